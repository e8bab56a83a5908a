from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from employees.models import Employee
from employees.services.bank import bank_account_add, national_id_set
from employees.services.personal import emergency_contact_save
from tests.factories.employees_records import GB_IBAN, BankAccountFactory

pytestmark = pytest.mark.django_db

NINO = "AB123456C"


@pytest.fixture
def history(org, hr_admin):
    national_id_set(acting_user=hr_admin, employee=org.report, country="GB", value=NINO)
    bank_account_add(acting_user=hr_admin, employee=org.report, notify=False, details={
        "holder_name": "R", "country": "GB", "scheme": "iban", "iban": GB_IBAN})
    emergency_contact_save(acting_user=hr_admin, employee=org.report, data={
        "name": "Ana", "relationship": "Partner", "phone": "07700900123"})
    old = AuditEvent.objects.get(object_type="employees.emergencycontact")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))


def test_history_shows_who_when_source_and_changes(org, hr_admin, client_for, history):
    html = client_for(hr_admin).get(reverse("employees:history", args=[org.report.pk])).text
    assert "hr.admin@example.test" in html
    assert "Web form" in html or "System" in html
    assert "••••456C" in html and "••••5432" in html
    assert NINO not in html and GB_IBAN not in html


@pytest.mark.parametrize(("query", "kinds"), [
    ({"kind": "employees.bankaccount"}, {"employees.bankaccount"}),
    ({"action": "create"}, {"employees.bankaccount", "employees.emergencycontact"}),
    ({"since": (timezone.localdate() - timedelta(days=7)).isoformat()},
     {"employees.employee", "employees.bankaccount"}),
    ({"until": (timezone.localdate() - timedelta(days=30)).isoformat()},
     {"employees.emergencycontact"}),
])
def test_history_filters(org, hr_admin, client_for, history, query, kinds):
    response = client_for(hr_admin).get(reverse("employees:history", args=[org.report.pk]),
                                        query)
    shown = {e.object_type for e in response.context["page"].object_list}
    assert shown == kinds


def test_history_bad_dates_are_a_form_error(org, hr_admin, client_for, history):
    response = client_for(hr_admin).get(reverse("employees:history", args=[org.report.pk]),
                                        {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 200
    assert "must be on or before" in response.text


def test_history_is_paginated_with_constant_queries(org, hr_admin, client_for,
                                                    django_assert_max_num_queries):
    for n in range(30):
        AuditEvent.objects.create(action="update", object_type="employees.employee",
                                  object_id=str(org.report.pk), employee_id=org.report.pk,
                                  actor=hr_admin, actor_label=hr_admin.email,
                                  changes={"city": [str(n), str(n + 1)]})
    client = client_for(hr_admin)
    # session + user + roles + MFA flag, employee with header, count, page of events, messages,
    # the header's "Leaving on" (latest employment)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("employees:history", args=[org.report.pk]))
    assert len(response.context["page"].object_list) == 25
    page2 = client.get(reverse("employees:history", args=[org.report.pk]), {"page": 2})
    assert len(page2.context["page"].object_list) == 5


@pytest.fixture
def superuser(db):
    from tests.factories.accounts import UserFactory

    return UserFactory(email="root@example.test", is_superuser=True, is_staff=True)


def test_admin_never_shows_secrets(org, superuser, client_for, history):
    client = client_for(superuser)
    account = org.report.bank_accounts.get()
    pages = [
        reverse("admin:employees_employee_changelist"),
        reverse("admin:employees_employee_change", args=[org.report.pk]),
        reverse("admin:employees_bankaccount_changelist"),
        reverse("admin:employees_bankaccount_change", args=[account.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NINO not in response.text and GB_IBAN not in response.text
    assert "•••• 5432" in client.get(pages[2]).text
    assert "•••• 456C" in client.get(pages[1]).text


def test_admin_edit_is_audited_with_source_admin(org, superuser, client_for):
    client = client_for(superuser)
    url = reverse("admin:employees_employee_change", args=[org.report.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()
            if k in form.fields}
    data.update({"preferred_name": "Jojo", "employments-TOTAL_FORMS": "1",
                 "employments-INITIAL_FORMS": "1", "employments-MIN_NUM_FORMS": "0",
                 "employments-MAX_NUM_FORMS": "1000",
                 "employments-0-id": str(org.report.employments.get().pk),
                 "employments-0-employee": str(org.report.pk)})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(object_type="employees.employee", action="update")
    assert event.source == "admin" and event.changes["preferred_name"] == ["", "Jojo"]
    assert Employee.objects.get(pk=org.report.pk).version == 2


def test_admin_bank_list_query_count(superuser, client_for, django_assert_max_num_queries):
    for _ in range(12):
        BankAccountFactory()
    client = client_for(superuser)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:employees_bankaccount_changelist")).status_code == 200


def test_portal_shows_my_profile_card(org, client_for):
    html = client_for(org.users["employee"]).get(reverse("portal:home")).text
    assert "My profile" in html
    assert reverse("employees:personal", args=[org.report.pk]) in html
    assert "no emergency contact" in html
