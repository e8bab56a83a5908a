"""Recording unpaid leave: dates, overlaps, finalised periods, stale runs, audit, who may."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from payroll.models import PayRun, UnpaidLeave
from payroll.services.leave import (
    unpaid_leave_create,
    unpaid_leave_delete,
    unpaid_leave_update,
)
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db


def _leave(employee, user, first, last, reason="Sabbatical"):
    return unpaid_leave_create(employee=employee, first_day=first, last_day=last, reason=reason,
                               acting_user=user)


def test_create_records_leave_and_an_audit_event(uk_schedule, payroll_admin):
    # given an employee on a schedule
    employee = paid_employee(uk_schedule)
    # when payroll records three days of unpaid leave
    leave = _leave(employee, payroll_admin, date(2025, 5, 6), date(2025, 5, 8))
    # then it is stored with who recorded it, and audited with the values
    assert (leave.days, leave.created_by, leave.reason) == (3, payroll_admin, "Sabbatical")
    event = AuditEvent.objects.get(object_type="payroll.unpaidleave", object_id=str(leave.pk))
    assert (event.action, event.employee_id, event.actor) == ("create", employee.pk,
                                                              payroll_admin)
    assert event.changes["first_day"] == [None, "2025-05-06"]
    assert event.changes["last_day"] == [None, "2025-05-08"]


def test_end_before_start_is_refused_by_service_and_database(uk_schedule, payroll_admin):
    employee = paid_employee(uk_schedule)
    with pytest.raises(ValidationError) as exc:
        _leave(employee, payroll_admin, date(2025, 5, 8), date(2025, 5, 6))
    assert "last_day" in exc.value.message_dict
    # the check constraint holds even for a stray direct write
    with pytest.raises(IntegrityError), transaction.atomic():
        UnpaidLeave.objects.create(employee=employee, first_day=date(2025, 5, 8),
                                   last_day=date(2025, 5, 6))
    assert not UnpaidLeave.objects.exists()


def test_overlapping_ranges_for_one_employee_are_refused(uk_schedule, payroll_admin):
    # given leave on 6-8 May
    employee, other = paid_employee(uk_schedule), paid_employee(uk_schedule)
    _leave(employee, payroll_admin, date(2025, 5, 6), date(2025, 5, 8))
    # when ranges sharing even one day are recorded, they are refused
    for first, last in [(date(2025, 5, 8), date(2025, 5, 9)),
                        (date(2025, 5, 1), date(2025, 5, 6)),
                        (date(2025, 5, 7), date(2025, 5, 7)),
                        (date(2025, 5, 1), date(2025, 5, 31))]:
        with pytest.raises(ValidationError, match="overlaps"):
            _leave(employee, payroll_admin, first, last)
    # then adjacent days and other people are fine
    _leave(employee, payroll_admin, date(2025, 5, 9), date(2025, 5, 9))
    _leave(other, payroll_admin, date(2025, 5, 6), date(2025, 5, 8))
    assert UnpaidLeave.objects.count() == 3


def test_update_checks_overlap_against_others_only_and_audits_the_change(uk_schedule,
                                                                         payroll_admin):
    employee = paid_employee(uk_schedule)
    first = _leave(employee, payroll_admin, date(2025, 5, 6), date(2025, 5, 8))
    _leave(employee, payroll_admin, date(2025, 5, 20), date(2025, 5, 21))
    # extending within its own days is fine; reaching the other range is not
    unpaid_leave_update(leave=first, first_day=date(2025, 5, 5), last_day=date(2025, 5, 8),
                        reason="Longer", acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="overlaps"):
        unpaid_leave_update(leave=first, first_day=date(2025, 5, 5), last_day=date(2025, 5, 20),
                            acting_user=payroll_admin)
    event = AuditEvent.objects.filter(action="update", object_id=str(first.pk)).get()
    assert event.changes == {"first_day": ["2025-05-06", "2025-05-05"],
                             "reason": ["Sabbatical", "Longer"]}


def test_changes_touching_a_finalised_period_are_refused(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given leave in period 2 and a finalised run for period 1
    employee = paid_employee(uk_schedule)
    p1, p2 = uk_schedule.periods.get(number=1), uk_schedule.periods.get(number=2)
    leave = _leave(employee, payroll_admin, p2.start_date, p2.start_date + timedelta(days=1))
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    # when leave would reach into period 1, whether new, moved or removed, it is refused
    with pytest.raises(ValidationError, match="finalised"):
        _leave(employee, payroll_admin, p1.start_date, p1.start_date)
    with pytest.raises(ValidationError, match="finalised"):
        _leave(employee, payroll_admin, p1.end_date - timedelta(days=2), p1.end_date)
    with pytest.raises(ValidationError, match="finalised"):
        unpaid_leave_update(leave=leave, first_day=p1.end_date, last_day=p2.start_date,
                            acting_user=payroll_admin)
    # then period 2 is still open
    unpaid_leave_delete(leave=leave, acting_user=payroll_admin)
    assert not UnpaidLeave.objects.exists()


def test_leave_in_a_finalised_period_stays_put(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    employee = paid_employee(uk_schedule)
    p1 = uk_schedule.periods.get(number=1)
    leave = _leave(employee, payroll_admin, p1.start_date, p1.start_date)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="finalised"):
        unpaid_leave_delete(leave=leave, acting_user=payroll_admin)
    assert UnpaidLeave.objects.filter(pk=leave.pk).exists()
    assert not AuditEvent.objects.filter(object_type="payroll.unpaidleave",
                                         action="delete").exists()


def test_someone_not_paid_in_the_finalised_run_may_still_record_leave(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    paid_employee(uk_schedule)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    p1 = uk_schedule.periods.get(number=1)
    later_hire = paid_employee(uk_schedule, hire=p1.end_date + timedelta(days=1))
    _leave(later_hire, payroll_admin, p1.start_date, p1.end_date + timedelta(days=3))
    assert UnpaidLeave.objects.filter(employee=later_hire).count() == 1


@pytest.mark.parametrize("status", [PayRun.Status.CALCULATED, PayRun.Status.APPROVED])
def test_leave_makes_a_calculated_or_approved_run_stale(
        status, uk_schedule, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given a calculated (or approved) run paying the employee for period 1
    from payroll.services.runs import run_approve

    employee = paid_employee(uk_schedule)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    if status == PayRun.Status.APPROVED:
        run_approve(run=run, acting_user=second_payroll_admin)
    # when leave is recorded in that period
    _leave(employee, payroll_admin, run.period.start_date, run.period.start_date)
    # then the results are stale: back to draft, approval withdrawn
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (PayRun.Status.DRAFT, None)


def test_a_run_being_calculated_refuses_leave_for_its_period(uk_schedule, payroll_admin):
    employee = paid_employee(uk_schedule)
    period = uk_schedule.periods.get(number=1)
    PayRun.objects.create(schedule=uk_schedule, period=period, pay_date=period.pay_date,
                          currency="GBP", status=PayRun.Status.CALCULATING)
    with pytest.raises(ValidationError, match="being calculated"):
        _leave(employee, payroll_admin, period.start_date, period.start_date)


@pytest.mark.parametrize("who", ["hr_staff", "manager", "employee"])
def test_only_payroll_admin_and_hr_admin_may_record_leave(who, uk_schedule, org, hr_staff,
                                                          hr_admin, payroll_admin):
    actor = hr_staff if who == "hr_staff" else org.users[who]
    with pytest.raises(PermissionDenied):
        _leave(org.report, actor, date(2025, 5, 6), date(2025, 5, 8))
    leave = _leave(org.report, hr_admin, date(2025, 5, 6), date(2025, 5, 8))
    with pytest.raises(PermissionDenied):
        unpaid_leave_delete(leave=leave, acting_user=actor)
    unpaid_leave_delete(leave=leave, acting_user=payroll_admin)
    assert AuditEvent.objects.filter(object_type="payroll.unpaidleave",
                                     action="delete").count() == 1


def test_two_concurrent_overlapping_requests_record_one_range(postgres_db, uk_schedule,
                                                              payroll_admin):
    # given two requests for overlapping leave for one person, at the same moment
    employee = paid_employee(uk_schedule)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def record(first, last):
        try:
            barrier.wait(timeout=10)
            outcomes.append(_leave(employee, payroll_admin, first, last))
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=args) for args in [
        (date(2025, 5, 6), date(2025, 5, 8)), (date(2025, 5, 8), date(2025, 5, 10))]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # then the employee row lock lets exactly one through
    assert sorted(type(o).__name__ for o in outcomes) == ["UnpaidLeave", "ValidationError"]
    assert UnpaidLeave.objects.filter(employee=employee).count() == 1
