from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payroll.models import PayRun, Payslip
from payroll.services.runs import run_approve, run_finalise, run_mark_paid
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db


def test_calculate_approve_finalise_pay(uk_schedule, uk_staff, payroll_admin,
                                        second_payroll_admin,
                                        django_capture_on_commit_callbacks):
    # given a calculated run
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert run.progress_done == run.progress_total == 2
    payslips = list(run.payslips.prefetch_related("lines"))
    assert len(payslips) == 2
    for p in payslips:
        total: dict[str, Decimal] = {}
        for ln in p.lines.all():
            total[ln.category] = total.get(ln.category, Decimal(0)) + ln.amount
        assert p.gross == total.get("earning", 0) + total.get("reimbursement", 0)
        assert p.net == (p.gross - total.get("pre_tax_deduction", 0)
                         - total.get("employee_tax", 0) - total.get("post_tax_deduction", 0))
    # when approved by another payroll admin and finalised
    run_approve(run=run, acting_user=second_payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_finalise(run=run, acting_user=second_payroll_admin)
    run_mark_paid(run=run, acting_user=second_payroll_admin)
    # then payslips are numbered gaplessly and the run is paid
    run.refresh_from_db()
    assert run.status == PayRun.Status.PAID
    numbers = sorted(run.payslips.values_list("number", flat=True))
    assert numbers == [numbers[0], numbers[0] + 1]


def test_same_user_cannot_approve(uk_schedule, uk_staff, payroll_admin,
                                  django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Four-eyes"):
        run_approve(run=run, acting_user=payroll_admin)


def test_non_payroll_user_cannot_approve(uk_schedule, uk_staff, payroll_admin, hr_admin,
                                         django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        run_approve(run=run, acting_user=hr_admin)


def test_cannot_finalise_unapproved_run(uk_schedule, uk_staff, payroll_admin,
                                        django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        run_finalise(run=run, acting_user=payroll_admin)


def test_uk_cumulative_ytd_from_finalised_runs(uk_schedule, uk_staff, payroll_admin,
                                               second_payroll_admin,
                                               django_capture_on_commit_callbacks):
    first = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                          django_capture_on_commit_callbacks)
    second = calculated_run(uk_schedule, 2, payroll_admin, django_capture_on_commit_callbacks)
    emp = uk_staff[0]
    p1 = Payslip.objects.get(run=first, employee=emp)
    p2 = Payslip.objects.get(run=second, employee=emp)
    assert Decimal(p2.ytd["uk_taxable_pay"]) == Decimal(p1.ytd["uk_taxable_pay"]) * 2
