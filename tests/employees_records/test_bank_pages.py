import pytest
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import BankAccount
from employees.services.bank import bank_account_add, national_id_set
from tests.factories.employees import EmployeeFactory
from tests.factories.employees_records import GB_IBAN, BankAccountFactory

pytestmark = pytest.mark.django_db

NINO = "AB123456C"


@pytest.fixture
def secrets_on_report(org, hr_admin):
    national_id_set(acting_user=hr_admin, employee=org.report, country="GB", value=NINO)
    account = bank_account_add(acting_user=hr_admin, employee=org.report, details={
        "holder_name": "R Report", "country": "GB", "scheme": "iban", "iban": GB_IBAN,
        "bic": "NWBKGB2L"})
    return account


def _assert_no_secret(html: str) -> None:
    for secret in (NINO, "AB 12 34 56 C", GB_IBAN, "GB82 WEST"):
        assert secret not in html


@pytest.mark.parametrize("role", ["hr_admin", "hr_staff", "payroll_admin", "self"])
def test_bank_tab_shows_last4_only(viewers, client_for, secrets_on_report, role):
    user, target = viewers[role]
    html = client_for(user).get(reverse("employees:bank", args=[target.pk])).text
    assert "•••• 456C" in html
    assert "•••• 5432" in html
    _assert_no_secret(html)


def test_history_and_personal_pages_never_show_secrets(org, hr_admin, client_for,
                                                       secrets_on_report):
    client = client_for(hr_admin)
    for name in ("employees:history", "employees:personal"):
        _assert_no_secret(client.get(reverse(name, args=[org.report.pk])).text)


@pytest.mark.parametrize("role", ["hr_admin", "payroll_admin"])
def test_reveal_shows_full_value_and_is_audited(viewers, client_for, secrets_on_report, role):
    user, target = viewers[role]
    client = client_for(user)
    # when
    nid = client.post(reverse("employees:reveal_national_id", args=[target.pk]),
                      headers={"HX-Request": "true"})
    acct = client.post(reverse("employees:reveal_account",
                               args=[target.pk, secrets_on_report.pk]))
    # then: only the fragment comes back, with the full value, and each reveal is recorded
    assert nid.text.strip() == '<code class="secret-value">AB 12 34 56 C</code>'
    assert GB_IBAN in acct.text
    reveals = AuditEvent.objects.filter(action="reveal", employee_id=target.pk, actor=user)
    assert sorted(reveals.values_list("note", flat=True)) == ["iban", "national_id"]


def test_hr_staff_sees_no_reveal_button(org, hr_staff, hr_admin, client_for, secrets_on_report):
    staff_html = client_for(hr_staff).get(reverse("employees:bank", args=[org.report.pk])).text
    admin_html = client_for(hr_admin).get(reverse("employees:bank", args=[org.report.pk])).text
    assert "Reveal" not in staff_html
    assert "Reveal" in admin_html


def test_audit_of_bank_change_is_masked(org, secrets_on_report):
    event = AuditEvent.objects.get(action="create", object_type="employees.bankaccount")
    assert event.changes["iban"] == ["", "••••5432"]
    nid = AuditEvent.objects.get(object_type="employees.employee", employee_id=org.report.pk,
                                 action="update")
    assert nid.changes["national_id"][1] == "••••456C"
    assert NINO not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


@pytest.mark.parametrize(("country", "value", "message"), [
    ("US", "666-12-3456", "Social Security"),
    ("GB", "QQ123456Z", "National Insurance"),
])
def test_bad_national_id_is_a_form_error(org, hr_admin, client_for, country, value, message):
    response = client_for(hr_admin).post(
        reverse("employees:national_id_set", args=[org.report.pk]),
        {"national_id_country": country, "national_id": value})
    assert response.status_code == 400
    assert message in response.text
    org.report.refresh_from_db()
    assert org.report.national_id == ""


@pytest.mark.parametrize(("data", "message"), [
    ({"scheme": "iban", "country": "GB", "iban": "GB83WEST12345698765432"}, "Not a valid IBAN"),
    ({"scheme": "us_ach", "country": "US", "routing_number": "111000026",
      "account_number": "12345678"}, "routing number"),
    ({"scheme": "uk", "country": "GB", "sort_code": "2000", "account_number": "12345678"},
     "sort code"),
    ({"scheme": "iban", "country": "GB", "iban": GB_IBAN, "bic": "XX"}, "BIC"),
])
def test_bad_bank_details_are_form_errors(org, payroll_admin, client_for, data, message):
    response = client_for(payroll_admin).post(
        reverse("employees:bank_account_add", args=[org.report.pk]),
        {"holder_name": "R", "account_type": "checking", **data})
    assert response.status_code == 400
    assert message in response.text
    assert not BankAccount.objects.filter(employee=org.report).exists()


def test_payroll_admin_adds_account_and_employee_is_emailed(
    org, payroll_admin, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    org.report.personal_email = "me@home.example"
    org.report.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(payroll_admin).post(
            reverse("employees:bank_account_add", args=[org.report.pk]),
            {"holder_name": "R Report", "scheme": "us_ach", "country": "US",
             "account_type": "savings", "routing_number": "111000025",
             "account_number": "000123456789"})
    assert response.status_code == 302
    account = BankAccount.objects.get(employee=org.report)
    assert account.is_primary and account.last4 == "6789"
    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {org.report.work_email, "me@home.example"}
    assert "6789" in mailoutbox[0].body and "000123456789" not in mailoutbox[0].body


def test_deactivate_and_make_primary(org, hr_admin, client_for):
    first = BankAccountFactory(employee=org.report)
    second = BankAccountFactory(employee=org.report, is_primary=False)
    client = client_for(hr_admin)
    client.post(reverse("employees:bank_account_action", args=[org.report.pk, second.pk,
                                                                "primary"]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_primary and not first.is_primary
    client.post(reverse("employees:bank_account_action", args=[org.report.pk, second.pk,
                                                                "deactivate"]))
    second.refresh_from_db()
    assert not second.is_active and not second.is_primary
    response = client.post(reverse("employees:bank_account_action",
                                   args=[org.report.pk, second.pk, "primary"]), follow=True)
    assert "Reactivate the account" in response.text


def test_bank_tab_query_count_is_constant(org, hr_admin, client_for,
                                          django_assert_max_num_queries):
    for _ in range(15):
        BankAccountFactory(employee=org.report, is_primary=False)
    client = client_for(hr_admin)
    client.get(reverse("employees:bank", args=[org.report.pk]))  # warm the session
    # session + user + roles + MFA check, employee, tabs' relation checks, accounts, messages
    with django_assert_max_num_queries(12):
        response = client.get(reverse("employees:bank", args=[org.report.pk]))
    assert response.status_code == 200


def test_bank_requests_queue_query_count(org, hr_admin, client_for,
                                         django_assert_max_num_queries):
    from employees.services.bank import bank_change_request_create

    for n in range(10):
        employee = EmployeeFactory()
        bank_change_request_create(acting_user=None, employee=employee, notify=False, details={
            "holder_name": employee.legal_name, "country": "GB", "scheme": "uk",
            "sort_code": "200000", "account_number": f"{n:08d}"})
    client = client_for(hr_admin)
    client.get(reverse("employees:bank_requests"))
    # session + user + roles + MFA flag, count, page of requests, current accounts, messages
    with django_assert_max_num_queries(10):
        response = client.get(reverse("employees:bank_requests"))
    assert response.text.count("Approve</button>") == 10


def test_correct_account_form_prefills_non_secret_fields_only(org, hr_admin, client_for):
    account = BankAccountFactory(employee=org.report)
    client = client_for(hr_admin)
    url = reverse("employees:bank_account_edit", args=[org.report.pk, account.pk])
    html = client.get(url).text
    assert "NWBKGB2L" in html and GB_IBAN not in html
    response = client.post(url, {"holder_name": "New Holder", "scheme": "iban", "country": "DE",
                                 "account_type": "checking", "iban": "DE89370400440532013000"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.iban == "DE89370400440532013000" and account.last4 == "3000"
    event = AuditEvent.objects.get(object_type="employees.bankaccount", action="update")
    assert event.changes["iban"] == ["••••5432", "••••3000"]


def test_manager_with_sensitive_grant_sees_masked_but_cannot_reveal(org, client_for,
                                                                     secrets_on_report):
    from django.contrib.auth.models import Permission

    manager = org.users["manager"]
    manager.user_permissions.add(Permission.objects.get(codename="view_team_sensitive"))
    client = client_for(manager)
    html = client.get(reverse("employees:bank", args=[org.report.pk])).text
    assert "•••• 5432" in html and "Reveal" not in html
    _assert_no_secret(html)
    url = reverse("employees:reveal_account", args=[org.report.pk, secrets_on_report.pk])
    assert client.post(url).status_code == 403
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_reveal_is_post_only(org, hr_admin, client_for, secrets_on_report):
    url = reverse("employees:reveal_national_id", args=[org.report.pk])
    assert client_for(hr_admin).get(url).status_code == 405
