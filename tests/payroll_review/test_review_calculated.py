"""The review of runs calculated by the real pipeline: its SQL totals equal the stored payslip
lines added up one by one, and the people movement follows the calculation's own reasons."""

from datetime import date
from decimal import Decimal

import pytest

from payroll.models import PayslipLine
from payroll.selectors_review import run_review
from tests.factories.employees import CompensationRecordFactory
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db


def _line_sums(run) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for category, amount in PayslipLine.objects.filter(payslip__run=run).values_list(
            "category", "amount"):
        sums[category] = sums.get(category, Decimal("0")) + amount
    return sums


def test_review_of_calculated_runs_matches_their_lines(uk_schedule, uk_staff, payroll_admin,
                                                       second_payroll_admin,
                                                       django_capture_on_commit_callbacks):
    # given period 1 finalised for two people; then one gets a rise and a third joins
    capture = django_capture_on_commit_callbacks
    first = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    period2 = uk_schedule.periods.get(number=2)
    CompensationRecordFactory(employee=uk_staff[0], effective_date=period2.start_date,
                              annual_salary=Decimal("42000.00"), pay_schedule=uk_schedule,
                              reason="merit")
    joiner = paid_employee(uk_schedule, hire=date(2024, 1, 8))
    # (hired before period 1 but on the schedule only from period 2: a joiner of this run)
    joiner.compensation_records.update(effective_date=period2.start_date)
    second = calculated_run(uk_schedule, 2, payroll_admin, capture)

    # when the second run is reviewed
    review = run_review(second)

    # then the SQL totals are the stored lines added up in Python, run by run
    for run, totals in ((second, review.totals), (first, review.previous_totals)):
        lines = _line_sums(run)
        payslips = list(run.payslips.all())
        assert totals.headcount == len(payslips)
        assert totals.gross == lines.get("earning", 0) + lines.get("reimbursement", 0)
        assert totals.employee_tax == lines["employee_tax"]
        assert totals.employer_tax == lines["employer_tax"]
        assert totals.deductions == lines.get("pre_tax_deduction", 0) + lines.get(
            "post_tax_deduction", 0)
        assert totals.net == sum(p.net for p in payslips)
        assert totals.employer_cost == sum(p.employer_cost for p in payslips)
        assert totals.cash_needed == totals.employer_cost
    # and the joiner joined, nobody left, the one with the rise has a changed pay
    assert [p.employee for p in review.joiners.shown] == [joiner]
    assert review.leavers.total == 0
    assert uk_staff[0] in [v.employee for v in review.variances]
    rise = next(v for v in review.variances if v.employee == uk_staff[0])
    assert rise.gross_change == Decimal("500.00")  # (42000 - 36000) / 12
    assert "rate_change" in rise.payslip.reasons


def test_migration_backfills_employer_taxes_from_the_payslips_own_lines(uk_schedule, people):
    # given payslips written before the column existed (total 0, employer NI lines 300 + 12.34)
    import importlib

    from django.db import connection

    from payroll.models import Payslip
    from tests.factories.payroll_review import run_with_payslips, slip_lines

    run = run_with_payslips(uk_schedule, 1, {
        people["Alice"]: slip_lines(earning="3000.00", ni_er="300.00"),
        people["Bob"]: [*slip_lines(earning="100.00"),
                        ("NI_ER_ARREARS", "employer_tax", "12.34")],
        people["Carol"]: slip_lines(earning="100.00"),
    })
    Payslip.objects.filter(run=run).update(total_employer_tax=Decimal("0"))

    # when the migration's backfill runs
    migration = importlib.import_module("payroll.migrations.0011_review_indexes")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)

    # then each payslip states the sum of its own employer tax lines, and nothing else changed
    by_name = {p.employee.legal_first_name: p for p in Payslip.objects.filter(run=run)}
    assert by_name["Alice"].total_employer_tax == Decimal("300.00")
    assert by_name["Bob"].total_employer_tax == Decimal("12.34")
    assert by_name["Carol"].total_employer_tax == Decimal("0.00")
    assert by_name["Alice"].employer_cost == Decimal("3300.00")
