"""Unpaid leave on the pay setup page: HR Admin and Payroll Admin record it; HR Staff may look;
managers and employees never see the page (404, as for the rest of pay setup)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from payroll.models import UnpaidLeave
from payroll.services.leave import unpaid_leave_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import finalised_run, login

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _add_url(employee) -> str:
    return reverse("payroll:unpaid_leave_add", args=[employee.pk])


def _post(first="2025-05-06", last="2025-05-08", reason="Sabbatical") -> dict:
    return {"first_day": first, "last_day": last, "reason": reason}


def test_permission_matrix(client, org, payroll_admin, hr_admin, hr_staff):
    target = org.report
    leave = unpaid_leave_create(employee=target, first_day=date(2025, 6, 2),
                                last_day=date(2025, 6, 2), acting_user=payroll_admin)
    delete_url = reverse("payroll:unpaid_leave_delete", args=[target.pk, leave.pk])
    # manager-of, manager-not-of, self and other employees: pay setup does not exist for them
    for who in ("manager", "boss", "employee", "other", "intern"):
        login(client, org.users[who])
        assert client.post(_add_url(target), _post()).status_code == 404, who
        assert client.post(delete_url).status_code == 404, who
    # HR Staff with the Payroll Viewer grant sees the leave but may not change it
    hr_staff.groups.add(Group.objects.get(name=Role.PAYROLL_VIEWER))
    login(client, hr_staff)
    page = client.get(reverse("payroll:employee_setup", args=[target.pk]))
    assert page.status_code == 200 and f'id="leave-{leave.pk}"'.encode() in page.content
    assert reverse("payroll:unpaid_leave_add", args=[target.pk]).encode() not in page.content
    assert client.post(_add_url(target), _post()).status_code == 403
    assert client.post(delete_url).status_code == 403
    assert UnpaidLeave.objects.count() == 1
    # HR Admin and Payroll Admin may
    for user, first in ((hr_admin, "2025-05-06"), (payroll_admin, "2025-07-01")):
        login(client, user)
        assert client.post(_add_url(target), _post(first, first)).status_code == 302
    assert UnpaidLeave.objects.count() == 3


def test_add_and_remove_with_a_plain_form(client, org, payroll_admin):
    login(client, payroll_admin)
    response = client.post(_add_url(org.report), _post(), follow=True)
    assert b"Unpaid leave recorded." in response.content
    leave = UnpaidLeave.objects.get(employee=org.report)
    assert (leave.first_day, leave.last_day, leave.reason, leave.created_by) == (
        date(2025, 5, 6), date(2025, 5, 8), "Sabbatical", payroll_admin)
    assert b"Sabbatical" in response.content
    removed = client.post(reverse("payroll:unpaid_leave_delete", args=[org.report.pk, leave.pk]))
    assert removed.status_code == 302
    assert not UnpaidLeave.objects.exists()


def test_add_with_htmx_returns_the_section(client, org, payroll_admin):
    login(client, payroll_admin)
    response = client.post(_add_url(org.report), _post(), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="unpaid-leave"')
    assert "Sabbatical" in body and "<h1>" not in body


@pytest.mark.parametrize(("data", "message"), [
    (_post("2025-05-08", "2025-05-06"), "The last day is before the first day."),
    (_post("2025-05-07", "2025-05-09"), "This overlaps unpaid leave already recorded"),
    (_post("2025-05-07", "not a date"), "Enter a valid date."),
])
def test_bad_input_is_explained(data, message, client, org, payroll_admin):
    # given leave on 6-8 May
    unpaid_leave_create(employee=org.report, first_day=date(2025, 5, 6),
                        last_day=date(2025, 5, 8), acting_user=payroll_admin)
    login(client, payroll_admin)
    # when bad input is posted, plainly or with htmx
    plain = client.post(_add_url(org.report), data)
    htmx = client.post(_add_url(org.report), data, headers=HTMX)
    # then nothing is saved and the form says why: the whole page, or the section (422)
    assert plain.status_code == 400 and message in plain.content.decode()
    assert htmx.status_code == 422 and message in htmx.content.decode()
    assert htmx.content.decode().lstrip().startswith('<section id="unpaid-leave"')
    assert UnpaidLeave.objects.count() == 1


def test_finalised_period_is_explained(client, payroll_admin, second_payroll_admin,
                                       uk_schedule, django_capture_on_commit_callbacks):
    employee = paid_employee(uk_schedule)
    period = uk_schedule.periods.get(number=1)
    leave = unpaid_leave_create(employee=employee, first_day=period.start_date,
                                last_day=period.start_date, acting_user=payroll_admin)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    login(client, payroll_admin)
    day = period.end_date.isoformat()
    added = client.post(_add_url(employee), _post(day, day))
    assert added.status_code == 400 and b"already finalised" in added.content
    removed = client.post(reverse("payroll:unpaid_leave_delete", args=[employee.pk, leave.pk]),
                          headers=HTMX)
    assert removed.status_code == 422 and b"already finalised" in removed.content
    assert list(UnpaidLeave.objects.values_list("pk", flat=True)) == [leave.pk]


def test_setup_page_lists_leave_in_a_fixed_number_of_queries(
        client, org, payroll_admin, django_assert_max_num_queries):
    for month in range(1, 7):
        unpaid_leave_create(employee=org.report, first_day=date(2025, month, 3),
                            last_day=date(2025, month, 4), acting_user=payroll_admin)
    login(client, payroll_admin)
    # session, user, roles, MFA, employee, relation, tax profiles, items, leave (+ its recorder)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("payroll:employee_setup", args=[org.report.pk]))
    assert response.content.count(b'id="leave-') == 6
