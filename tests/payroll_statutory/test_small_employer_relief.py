"""Small Employer Relief is a setting of the legal employer on the pay schedule page: set by a
Payroll Admin, audited, shown on the page; HR without payroll rights cannot change it."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import UserFactory


def _post(client, schedule, **extra):
    return client.post(reverse("payroll:schedule_employer_details", args=[schedule.pk]),
                       {"employer_legal_name": "Acme Ltd", **extra})


def test_payroll_admin_turns_on_small_employer_relief_audited(uk_schedule, payroll_admin, login):
    client = login(payroll_admin)
    # when
    response = _post(client, uk_schedule, small_employer_relief="on")
    # then
    assert response.status_code == 302
    uk_schedule.refresh_from_db()
    assert uk_schedule.small_employer_relief is True
    event = AuditEvent.objects.get(note="employer details")
    assert event.changes["small_employer_relief"] == [False, True]
    page = client.get(reverse("payroll:schedule_detail", args=[uk_schedule.pk])).content.decode()
    assert "108.5% of statutory family pay recoverable" in page


@pytest.mark.parametrize("roles", [[Role.HR_ADMIN], [Role.HR_STAFF, Role.PAYROLL_VIEWER]])
def test_hr_cannot_change_small_employer_relief(uk_schedule, login, roles):
    client = login(UserFactory(email="hr.ser@example.test", roles=roles))
    response = _post(client, uk_schedule, small_employer_relief="on")
    assert response.status_code == 403
    uk_schedule.refresh_from_db()
    assert uk_schedule.small_employer_relief is False
