"""Requests and approvals: costs, overlaps, balances, who may decide, the ledger they post."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from delivery.models import DeliveryItem
from payroll.models import UnpaidLeave
from tests.factories.timeoff import leave_type
from timeoff.models import Delegation, LeaveRequest, LedgerEntry
from timeoff.services.ledger import balance, entry_post
from timeoff.services.requests import (
    Dates,
    balance_after,
    request_approve,
    request_cancel,
    request_change,
    request_create,
    request_decline,
)

pytestmark = pytest.mark.django_db
MON, TUE, FRI = date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 13)


def _book(org, holiday, first=MON, last=TUE, **kw):
    return request_create(employee=org.report, leave_type=holiday, dates=Dates(first, last, **kw),
                          acting_user=org.users["employee"])


def test_employee_books_two_days_and_the_manager_approves(funded, holiday):
    # given
    request = _book(funded, holiday)
    assert request.amount == D("2") and request.status == "pending"
    assert balance_after(funded.report, holiday, TUE, D("0")) == D("8")
    # when
    request_approve(request=request, acting_user=funded.users["manager"])
    # then
    request.refresh_from_db()
    assert request.status == "approved"
    assert balance(funded.report, holiday, TUE) == D("8")
    assert balance(funded.report, holiday, date(2026, 3, 8)) == D("10")  # dated the first day
    assert list(LedgerEntry.objects.filter(request=request).values_list("kind", "amount")) == [
        ("taken", D("-2.000"))]


def test_each_step_is_an_email_item(funded, holiday, django_capture_on_commit_callbacks):
    request = _book(funded, holiday)
    request_decline(request=request, acting_user=funded.users["manager"], reason="Busy week")
    keys = sorted(DeliveryItem.objects.filter(kind="timeoff.request_notice")
                  .values_list("key", flat=True))
    assert keys == [f"timeoff.request:{request.pk}:1:requested",
                    f"timeoff.request:{request.pk}:2:declined"]


def test_nobody_approves_their_own_request(funded, holiday, hr_admin):
    request = _book(funded, holiday)
    with pytest.raises(PermissionDenied):
        request_approve(request=request, acting_user=funded.users["employee"])


def test_hr_cannot_approve_their_own_either(org, holiday, hr_admin, policy):
    from tests.factories.employees import EmployeeFactory

    me = EmployeeFactory(user=hr_admin)
    entry_post(employee=me, leave_type=holiday, kind="opening", amount=D("5"),
               effective_date=date(2026, 1, 1), reason="opening")
    request = request_create(employee=me, leave_type=holiday, dates=Dates(MON, MON),
                             acting_user=hr_admin)
    with pytest.raises(PermissionDenied):
        request_approve(request=request, acting_user=hr_admin)


def test_a_manager_decides_only_for_their_reports(funded, holiday):
    request = _book(funded, holiday)
    with pytest.raises(PermissionDenied):
        request_approve(request=request, acting_user=funded.users["other"])  # the peer
    with pytest.raises(PermissionDenied):
        request_approve(request=request, acting_user=funded.users["intern"])  # reports to them
    request_approve(request=request, acting_user=funded.users["boss"])  # a manager above
    assert LeaveRequest.objects.get(pk=request.pk).status == "approved"


def test_hr_acts_for_anyone(funded, holiday, hr_staff):
    request = request_create(employee=funded.report, leave_type=holiday,
                             dates=Dates(MON, TUE), acting_user=hr_staff)
    request_approve(request=request, acting_user=hr_staff)
    assert balance(funded.report, holiday, FRI) == D("8")


def test_a_delegate_decides_while_the_manager_is_away(funded, holiday):
    request = _book(funded, holiday)
    with pytest.raises(PermissionDenied):
        request_approve(request=request, acting_user=funded.users["other"])
    Delegation.objects.create(manager=funded.manager, delegate=funded.peer,
                              first_day=date(2020, 1, 1), last_day=date(2099, 1, 1))
    funded.users["other"].__dict__.pop("_timeoff_delegations", None)
    request_approve(request=request, acting_user=funded.users["other"])
    assert LeaveRequest.objects.get(pk=request.pk).status == "approved"


def test_an_employee_cannot_request_for_someone_else(funded, holiday):
    with pytest.raises(PermissionDenied):
        request_create(employee=funded.report, leave_type=holiday, dates=Dates(MON, TUE),
                       acting_user=funded.users["other"])


def test_overlaps_are_refused(funded, holiday):
    _book(funded, holiday)
    with pytest.raises(ValidationError, match="overlaps"):
        _book(funded, holiday, first=TUE, last=FRI)


def test_not_enough_balance_is_refused_and_pending_requests_count(funded, holiday):
    _book(funded, holiday, first=MON, last=FRI)  # 5 days pending
    with pytest.raises(ValidationError, match="Not enough"):
        _book(funded, holiday, first=date(2026, 3, 16), last=date(2026, 3, 23))  # 6 more


def test_negative_balance_when_the_policy_allows(funded, holiday, policy):
    policy.allow_negative = True
    policy.save()
    request = _book(funded, holiday, first=date(2026, 3, 2), last=date(2026, 3, 20))
    request_approve(request=request, acting_user=funded.users["manager"])
    assert balance(funded.report, holiday, date(2026, 3, 31)) == D("-5")


def test_bad_dates_and_empty_requests(funded, holiday):
    with pytest.raises(ValidationError, match="before the first"):
        _book(funded, holiday, first=TUE, last=MON)
    with pytest.raises(ValidationError, match="no working time"):
        _book(funded, holiday, first=date(2026, 3, 14), last=date(2026, 3, 15))  # a weekend
    with pytest.raises(ValidationError, match="counted in days"):
        _book(funded, holiday, first=MON, last=MON, hours=D("2"))


def test_cancelling_approved_leave_re_credits_the_ledger(funded, holiday):
    request = _book(funded, holiday)
    request_approve(request=request, acting_user=funded.users["manager"])
    request_cancel(request=request, acting_user=funded.users["employee"], today=date(2026, 3, 1))
    assert balance(funded.report, holiday, FRI) == D("10")
    assert LedgerEntry.objects.filter(request=request).count() == 2  # taken, re-credit
    # a second cancel is a no-op
    request_cancel(request=request, acting_user=funded.users["employee"], today=date(2026, 3, 1))
    assert LedgerEntry.objects.filter(request=request).count() == 2


def test_an_employee_cannot_cancel_leave_that_has_started(funded, holiday):
    request = _book(funded, holiday)
    request_approve(request=request, acting_user=funded.users["manager"])
    with pytest.raises(PermissionDenied):
        request_cancel(request=request, acting_user=funded.users["employee"], today=TUE)
    request_cancel(request=request, acting_user=funded.users["manager"], today=TUE)


def test_changing_approved_leave_re_credits_and_asks_again(funded, holiday):
    request = _book(funded, holiday)
    request_approve(request=request, acting_user=funded.users["manager"])
    new = request_change(request=request, dates=Dates(FRI, FRI),
                         acting_user=funded.users["employee"], today=date(2026, 3, 1))
    assert LeaveRequest.objects.get(pk=request.pk).status == "cancelled"
    assert new.status == "pending" and new.amount == D("1")
    assert balance(funded.report, holiday, FRI) == D("10")


def test_decline_needs_a_reason(funded, holiday):
    request = _book(funded, holiday)
    with pytest.raises(ValidationError):
        request_decline(request=request, acting_user=funded.users["manager"], reason=" ")


def test_a_declined_request_cannot_be_approved(funded, holiday):
    request = _book(funded, holiday)
    request_decline(request=request, acting_user=funded.users["manager"], reason="No")
    with pytest.raises(ValidationError, match="cannot be"):
        request_approve(request=request, acting_user=funded.users["manager"])


def test_approved_unpaid_leave_is_payrolls_unpaid_leave(org, hr_admin):
    # given
    unpaid = leave_type("unpaid")
    request = request_create(employee=org.report, leave_type=unpaid, dates=Dates(MON, FRI),
                             acting_user=org.users["employee"])
    # when the manager approves it (any leave type; payroll picks up the deduction)
    request_approve(request=request, acting_user=org.users["manager"])
    # then: one UnpaidLeave row, linked to the request
    request.refresh_from_db()
    leave = UnpaidLeave.objects.get(employee=org.report)
    assert (leave.first_day, leave.last_day) == (MON, FRI)
    assert request.unpaid_leave == leave
    # the employee cannot cancel it themself; HR can, and that removes it again
    with pytest.raises(PermissionDenied):
        request_cancel(request=request, acting_user=org.users["employee"],
                       today=date(2026, 3, 1))
    request_cancel(request=request, acting_user=hr_admin, today=date(2026, 3, 1))
    assert not UnpaidLeave.objects.filter(employee=org.report).exists()


def test_unpaid_leave_deciders_are_the_approvers_and_payroll_admin(org, payroll_admin):
    unpaid = leave_type("unpaid")
    request = request_create(employee=org.report, leave_type=unpaid, dates=Dates(MON, FRI),
                             acting_user=org.users["employee"])
    # a peer, the report's own report and the requester may not; Payroll Admin may
    for who in ("other", "intern", "employee"):
        with pytest.raises(PermissionDenied):
            request_approve(request=request, acting_user=org.users[who])
    from timeoff.selectors import pending_for_approver
    assert [r.pk for r in pending_for_approver(payroll_admin)] == [request.pk]
    assert [r.pk for r in pending_for_approver(org.users["manager"])] == [request.pk]
    request_approve(request=request, acting_user=payroll_admin)
    assert UnpaidLeave.objects.filter(employee=org.report).count() == 1


def test_a_manager_cannot_approve_unpaid_leave_in_a_finalised_period(
        uk_schedule, org, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given the report paid in a finalised January run
    from tests.factories.employees_records import BankAccountFactory
    from tests.factories.payroll_runs import CompensationRecordFactory
    from tests.payroll_runs.helpers import finalised_run

    BankAccountFactory(employee=org.report)
    CompensationRecordFactory(employee=org.report, annual_salary=D("36000"),
                              currency=uk_schedule.currency, pay_schedule=uk_schedule)
    from payroll.models import TaxProfile
    TaxProfile.objects.create(employee=org.report, jurisdiction="UK", tax_code="1257L",
                              ni_category="A")
    p1 = uk_schedule.periods.get(number=1)
    unpaid = leave_type("unpaid")
    request = request_create(employee=org.report, leave_type=unpaid,
                             dates=Dates(p1.end_date, p1.end_date),
                             acting_user=org.users["employee"])
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    # when the manager approves, it is refused with payroll's message and nothing is written
    with pytest.raises(ValidationError, match="finalised"):
        request_approve(request=request, acting_user=org.users["manager"])
    request.refresh_from_db()
    assert request.status == "pending"
    assert not UnpaidLeave.objects.exists()
    assert not LedgerEntry.objects.filter(request=request).exists()


def test_fmla_is_limited_to_12_weeks_in_12_months(org, hr_admin):
    fmla = leave_type("fmla")
    request_create(employee=org.report, leave_type=fmla,
                   dates=Dates(date(2026, 1, 5), date(2026, 3, 29)), acting_user=hr_admin)  # 12 wk
    with pytest.raises(ValidationError, match="12 weeks"):
        request_create(employee=org.report, leave_type=fmla,
                       dates=Dates(date(2026, 6, 1), date(2026, 6, 2)), acting_user=hr_admin)
