"""The RTI pages: who may see and file, prepare -> download -> HMRC's answer, the transport,
the problems list on the page, and the links from the run and "Taxes to pay"."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from employees.models import Employee
from rti.models import RtiPerson, RtiSubmission
from tests.factories import UserFactory
from tests.mfa import enrol_totp

from .conftest import SLUG
from .fakes import FakeTransport

pytestmark = pytest.mark.django_db
S = RtiSubmission.Status


@pytest.fixture
def as_user(client):
    def _login(user):
        enrol_totp(user)
        client.force_login(user)
        return client
    return _login


def _fps_url(run, name="rti:fps"):
    return reverse(name, args=[run.pk])


def test_payroll_admin_prepares_downloads_and_records_acceptance(rti_year, as_user,
                                                                 payroll_admin):
    client = as_user(payroll_admin)
    run = rti_year["runs"][1]
    # the run page links to the FPS
    run_page = client.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    assert _fps_url(run) in run_page and "RTI: download FPS" in run_page
    assert client.post(_fps_url(run, "rti:fps_prepare")).status_code == 302
    submission = RtiSubmission.objects.get(run=run)
    page = client.get(_fps_url(run)).content.decode()
    assert "Draft" in page and submission.irmark in page and 'id="rti-download"' in page
    # download: the XML, marked downloaded, audited
    response = client.post(reverse("rti:download", args=[submission.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == (
        f'attachment; filename="FPS-123-AB45678-2026-27-run{run.pk}.xml"')
    assert b"HMRC-PAYE-RTI-FPS" in response.content
    submission.refresh_from_db()
    assert submission.status == S.DOWNLOADED
    assert AuditEvent.objects.filter(object_id=str(submission.pk), action="download").exists()
    # HMRC's answer, as the filing software showed it
    answer = reverse("rti:answer", args=[submission.pk])
    bad = client.post(answer, {"outcome": "accepted", "correlation_id": "not valid!"})
    assert bad.status_code == 422 and "correlation ID" in bad.content.decode()
    submission.refresh_from_db()
    assert submission.status == S.DOWNLOADED
    good = client.post(answer, {"outcome": "accepted", "correlation_id": "ABCDEF0123456789",
                                "acknowledgement": "Thank you for your submission"})
    assert good.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.correlation_id, submission.answered_by) == (
        S.ACCEPTED, "ABCDEF0123456789", payroll_admin)
    # accepted is final: no preparing again, no second answer
    page = client.get(_fps_url(run)).content.decode()
    assert 'id="rti-prepare"' not in page and 'id="rti-answer"' not in page
    again = client.post(answer, {"outcome": "rejected", "correlation_id": "ABCDEF0123456789"})
    assert again.status_code == 422


def test_hr_admin_reads_the_status_but_cannot_prepare_or_download(rti_year, as_user, hr_admin,
                                                                  payroll_admin):
    as_user(payroll_admin).post(_fps_url(rti_year["runs"][1], "rti:fps_prepare"))
    submission = RtiSubmission.objects.get()
    client = as_user(hr_admin)
    page = client.get(_fps_url(rti_year["runs"][1]))
    assert page.status_code == 200 and 'id="rti-download"' not in page.content.decode()
    assert client.post(reverse("rti:download", args=[submission.pk])).status_code == 403
    assert client.post(_fps_url(rti_year["runs"][0], "rti:fps_prepare")).status_code == 403


@pytest.mark.parametrize("roles", [[Role.HR_STAFF, Role.PAYROLL_VIEWER], [Role.EMPLOYEE],
                                   [Role.MANAGER, Role.EMPLOYEE]])
def test_nobody_else_sees_rti(rti_year, client, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(_fps_url(rti_year["runs"][1])).status_code == 403
    assert client.get(reverse("rti:employer", args=[SLUG])).status_code == 403


def test_bad_data_shows_the_problems_on_the_page(rti_year, as_user, payroll_admin):
    RtiPerson.objects.filter(employee=rti_year["carol"]).delete()
    Employee.objects.filter(pk=rti_year["bob"].pk).update(date_of_birth=None)
    client = as_user(payroll_admin)
    response = client.post(_fps_url(rti_year["runs"][1], "rti:fps_prepare"))
    body = response.content.decode()
    assert response.status_code == 422 and 'id="rti-problems-table"' in body
    assert "Carol Cole" in body and "No gender recorded" in body and "Bob Baker" in body
    assert not RtiSubmission.objects.exists()
    # the fix link leads to the details page, which sends back to the FPS
    fix = reverse("rti:person", args=[rti_year["carol"].pk]) + f"?run={rti_year['runs'][1].pk}"
    assert fix in body
    saved = client.post(fix, {"gender": "F"})
    assert saved.status_code == 302 and saved.url == _fps_url(rti_year["runs"][1])
    assert RtiPerson.objects.get(employee=rti_year["carol"]).gender == "F"
    assert client.post(fix, {"gender": "X"}).status_code == 422


def test_sending_needs_a_transport_that_sends(rti_year, as_user, payroll_admin, settings):
    client = as_user(payroll_admin)
    run = rti_year["runs"][1]
    client.post(_fps_url(run, "rti:fps_prepare"))
    submission = RtiSubmission.objects.get()
    send = reverse("rti:send", args=[submission.pk])
    # the default: download only
    refused = client.post(send)
    assert refused.status_code == 422 and "only offers the download" in refused.content.decode()
    # a transport that sends (the test double): submitted with HMRC's correlation id
    settings.HROPS_RTI_TRANSPORT = "tests.rti.fakes.FakeTransport"
    FakeTransport.sent, FakeTransport.fail = [], True
    failed = client.post(send)
    submission.refresh_from_db()
    assert failed.status_code == 422 and submission.status == S.DRAFT
    assert "test service is down" in submission.last_error
    FakeTransport.fail = False
    assert client.post(send).status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.SUBMITTED
    assert submission.correlation_id == "0123456789ABCDEF0123456789ABCDEF"
    assert FakeTransport.sent == [("fps", submission.message.encode())]
    # a second click sends nothing
    assert client.post(send).status_code == 422 and len(FakeTransport.sent) == 1


def test_employer_page_lists_runs_and_months_and_the_eps_flow(rti_year, as_user, payroll_admin):
    client = as_user(payroll_admin)
    taxes = client.get(reverse("liabilities:employer", args=["gb", SLUG])).content.decode()
    assert reverse("rti:employer", args=[SLUG]) in taxes
    page = client.get(reverse("rti:employer", args=[SLUG])).content.decode()
    assert _fps_url(rti_year["runs"][0]) in page and reverse("rti:eps", args=[SLUG, 3]) in page
    # tax month 3 (6 June - 5 July 2026): nobody paid
    assert client.post(reverse("rti:eps_prepare", args=[SLUG, 3])).status_code == 302
    eps = RtiSubmission.objects.get(kind="eps")
    assert eps.tax_month == 3 and eps.figures["no_payment"] is True
    assert b"<NoPaymentDates>" in client.post(reverse("rti:download", args=[eps.pk])).content
    assert client.get(reverse("rti:eps", args=[SLUG, 13])).status_code == 404


def test_fps_page_of_a_us_or_draft_run_says_why_there_is_none(rti_year, as_user, payroll_admin,
                                                              uk_schedule):
    from payroll.services.runs import run_create
    draft = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                       acting_user=payroll_admin)
    page = as_user(payroll_admin).get(_fps_url(draft))
    assert page.status_code == 200 and "once the run is finalised" in page.content.decode()


def test_missing_genders_are_set_in_one_form_on_the_fps_page(rti_year, as_user, payroll_admin,
                                                            org):
    RtiPerson.objects.all().delete()
    client = as_user(payroll_admin)
    run = rti_year["runs"][1]
    page = client.post(_fps_url(run, "rti:fps_prepare")).content.decode()
    assert page.count('name="gender_') == 3
    # someone not on the run is ignored; a bad value refuses the whole form
    outsider = org.peer
    data = {f"gender_{rti_year['alice'].pk}": "F", f"gender_{rti_year['carol'].pk}": "X",
            f"gender_{outsider.pk}": "M"}
    assert client.post(reverse("rti:genders", args=[run.pk]), data).status_code == 422
    assert not RtiPerson.objects.exists()
    data[f"gender_{rti_year['carol'].pk}"] = "F"
    data[f"gender_{rti_year['bob'].pk}"] = "M"
    assert client.post(reverse("rti:genders", args=[run.pk]), data).status_code == 302
    assert dict(RtiPerson.objects.values_list("employee_id", "gender")) == {
        rti_year["alice"].pk: "F", rti_year["carol"].pk: "F", rti_year["bob"].pk: "M"}
    assert client.post(_fps_url(run, "rti:fps_prepare")).status_code == 302


def test_a_late_fps_warns_and_carries_the_late_reason_chosen(rti_year, as_user, payroll_admin):
    # today (the test clock) is after the 29 May 2026 payday
    client = as_user(payroll_admin)
    run = rti_year["runs"][1]
    assert 'id="rti-late"' in client.get(_fps_url(run)).content.decode()
    assert client.post(_fps_url(run, "rti:fps_prepare"), {"late_reason": "E"}).status_code == 422
    assert client.post(_fps_url(run, "rti:fps_prepare"), {"late_reason": "G"}).status_code == 302
    submission = RtiSubmission.objects.get()
    assert submission.late_reason == "G" and "<LateReason>G</LateReason>" in submission.message
    assert 'id="rti-late"' not in client.get(_fps_url(run)).content.decode()


def test_accounts_office_reference_is_set_in_taxes_to_pay_settings(rti_year, as_user,
                                                                   payroll_admin):
    from liabilities.models import Employer

    client = as_user(payroll_admin)
    url = reverse("liabilities:settings", args=["gb", SLUG])
    bad = client.post(url, {"accounts_office_reference": "123PA0001234"})  # 12 characters
    assert bad.status_code == 422 and "123PA00012345" in bad.content.decode()
    assert client.post(url, {"accounts_office_reference": "321pb0007654x"}).status_code == 302
    assert Employer.objects.get(reference="123/AB45678").accounts_office_reference == (
        "321PB0007654X")
