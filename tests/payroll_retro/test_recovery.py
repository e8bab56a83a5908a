"""Retro pay: a back-dated decrease is a recovery, deducted only once a Payroll Admin confirms it.

Figures by hand from the HROps proration rule (annual / 12 for a whole month): 36,000 -> 3,000.00
a month, 30,000 -> 2,500.00, 24,000 -> 2,000.00.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from payroll.models import PayRun, Payslip, RetroRecovery
from payroll.services.retro import retro_recovery_confirm
from payroll.services.runs import run_approve, run_calculate, run_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def decreased(tax_months, finalise, pay_change, payroll_admin,
              django_capture_on_commit_callbacks):
    """Months 1-3 finalised at 36,000; then a decrease to 30,000 back-dated to 6 May 2025;
    month 4 calculated."""
    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    pay_change(employee, date(2025, 5, 6), "30000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    return employee, run


def _recalculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    return run


def _lines(run, employee):
    payslip = Payslip.objects.get(run=run, employee=employee)
    return [(ln.description, ln.amount) for ln in payslip.lines.filter(code="ARREARS")]


def test_unconfirmed_recovery_is_flagged_and_nothing_is_deducted(decreased,
                                                                 second_payroll_admin):
    # given a decrease back-dated into finalised months 2 and 3 (3,000.00 paid, 2,500.00 due)
    employee, run = decreased
    payslip = Payslip.objects.get(run=run, employee=employee)
    # then nothing is recovered yet: just this month's 2,500.00
    assert _lines(run, employee) == []
    assert payslip.gross == Decimal("2500.00")
    # and each overpaid month is a blocking flag saying what to do
    flags = [f for f in payslip.flags if f["code"] == "retro_recovery"]
    assert [f["blocking"] for f in flags] == [True, True]
    assert "500.00 GBP was overpaid for 6 May \u2013 5 Jun" in flags[0]["message"]
    assert "retro_pay" in payslip.reasons
    # so the run cannot be approved silently
    with pytest.raises(ValidationError, match="blocking flags"):
        run_approve(run=run, acting_user=second_payroll_admin)


def test_confirmed_recovery_is_deducted_by_the_next_calculation(
        decreased, payroll_admin, django_capture_on_commit_callbacks):
    # given the flagged recovery
    employee, run = decreased
    before = Payslip.objects.get(run=run, employee=employee).inputs_hash
    # when a Payroll Admin confirms it
    rows = retro_recovery_confirm(run=run, employee=employee, acting_user=payroll_admin,
                                  comment="Agreed with the employee")
    # then it is recorded (and audited) for exactly 500.00 per month, and the run needs
    # recalculating
    assert sorted(r.amount for r in rows) == [Decimal("500.00"), Decimal("500.00")]
    assert AuditEvent.objects.filter(object_type="payroll.retrorecovery").count() == 2
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT
    # and the recalculation deducts it: 2,500.00 - 2 x 500.00 = 1,500.00 gross
    run = _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    assert _lines(run, employee) == [
        ("Recovery: salary 6 May \u2013 5 Jun", Decimal("-500.00")),
        ("Recovery: salary 6 Jun \u2013 5 Jul", Decimal("-500.00")),
    ]
    payslip = Payslip.objects.get(run=run, employee=employee)
    assert payslip.gross == Decimal("1500.00")
    assert not [f for f in payslip.flags if f["code"] == "retro_recovery"]
    assert payslip.inputs_hash != before


def test_a_confirmation_covers_only_the_amount_confirmed(
        decreased, tax_months, pay_change, payroll_admin, django_capture_on_commit_callbacks):
    # given the month 2 and 3 recoveries confirmed at 500.00 each
    employee, run = decreased
    retro_recovery_confirm(run=run, employee=employee, acting_user=payroll_admin)
    # when pay is cut again, to 24,000 from 6 June 2025 (month 3 should be 2,000.00)
    pay_change(employee, date(2025, 6, 6), "24000.00", schedule=tax_months)
    run = _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    # then month 2's confirmed 500.00 is deducted; month 3's is now 1,000.00 and unconfirmed
    payslip = Payslip.objects.get(run=run, employee=employee)
    assert _lines(run, employee) == [("Recovery: salary 6 May \u2013 5 Jun", Decimal("-500.00"))]
    flags = [f for f in payslip.flags if f["code"] == "retro_recovery"]
    assert len(flags) == 1 and "1000.00 GBP was overpaid for 6 Jun \u2013 5 Jul" in (
        flags[0]["message"])


def test_confirming_with_nothing_to_recover_is_refused(tax_months, finalise, payroll_admin,
                                                       django_capture_on_commit_callbacks):
    employee = paid_employee(tax_months)
    finalise(tax_months, 1)
    run = calculated_run(tax_months, 2, payroll_admin, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="no recovery to confirm"):
        retro_recovery_confirm(run=run, employee=employee, acting_user=payroll_admin)
    assert not RetroRecovery.objects.exists()


def test_recoveries_are_confirmed_on_regular_runs_not_yet_finalised(
        decreased, tax_months, payroll_admin):
    employee, _run = decreased
    off = run_create(schedule=tax_months, period=tax_months.periods.get(number=4),
                     kind=PayRun.Kind.OFF_CYCLE, employees=[employee], acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="regular run"):
        retro_recovery_confirm(run=off, employee=employee, acting_user=payroll_admin)
    finalised = PayRun.objects.get(schedule=tax_months, period__number=3)
    with pytest.raises(ValidationError, match="regular run"):
        retro_recovery_confirm(run=finalised, employee=employee, acting_user=payroll_admin)
    assert not RetroRecovery.objects.exists()


def test_only_a_payroll_admin_other_than_the_employee_confirms(decreased, hr_admin,
                                                                payroll_admin):
    employee, run = decreased
    with pytest.raises(PermissionDenied):
        retro_recovery_confirm(run=run, employee=employee, acting_user=hr_admin)
    employee.user = payroll_admin
    employee.save(update_fields=["user"])
    with pytest.raises(PermissionDenied):
        retro_recovery_confirm(run=run, employee=employee, acting_user=payroll_admin)
    assert not RetroRecovery.objects.exists()


def test_recoveries_are_read_only_in_admin(decreased, payroll_admin):
    from django.contrib import admin
    from django.test import RequestFactory

    from tests.factories import UserFactory

    employee, run = decreased
    retro_recovery_confirm(run=run, employee=employee, acting_user=payroll_admin)
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[RetroRecovery]
    row = RetroRecovery.objects.first()
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    assert not model_admin.has_add_permission(request)
