"""Recalculation, immutability, corrections, YTD, variance and flags."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from employees.models import CompensationRecord
from payroll.models import (
    EmployeePayItem,
    PayComponent,
    PayrollImmutableError,
    PayRun,
    Payslip,
    PayslipLine,
)
from payroll.selectors import ytd_for
from payroll.services.inputs import run_input_set
from payroll.services.runs import (
    payslip_flag_override,
    run_approve,
    run_calculate,
    run_correction_create,
    run_create,
    run_finalise,
)
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db


def _recalculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    return run


def test_recalculation_keeps_unchanged_and_replaces_changed(
        uk_schedule, uk_staff, payroll_admin, django_capture_on_commit_callbacks):
    # given a calculated run
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    same, changed = uk_staff
    before = {p.employee_id: (p.pk, p.inputs_hash, p.calculated_at, p.net)
              for p in run.payslips.all()}
    same_lines = list(PayslipLine.objects.filter(payslip__employee=same).values_list("pk",
                                                                                      flat=True))
    # when one employee gets a one-off bonus and the run is recalculated
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    run_input_set(run=run, employee=changed, component=bonus, amount=Decimal("500"),
                  acting_user=payroll_admin)
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT  # inputs changed: results are stale
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    after = {p.employee_id: p for p in run.payslips.all()}
    # then the unchanged employee keeps the very same payslip row, result and lines
    kept = after[same.pk]
    assert (kept.pk, kept.inputs_hash, kept.calculated_at, kept.net) == before[same.pk]
    assert list(PayslipLine.objects.filter(payslip=kept).values_list("pk", flat=True)) == \
        same_lines
    # and the changed one has a new result (same row, new hash, higher net, one-off reason)
    new = after[changed.pk]
    assert new.pk == before[changed.pk][0]
    assert new.inputs_hash != before[changed.pk][1]
    assert new.net > before[changed.pk][3]
    assert "one_off_input" in new.reasons
    assert Payslip.objects.filter(run=run).count() == 2


def test_recalculating_twice_changes_nothing(uk_schedule, uk_staff, payroll_admin,
                                            django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    snapshot = list(run.payslips.values_list("pk", "calculated_at", "net"))
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    assert list(run.payslips.values_list("pk", "calculated_at", "net")) == snapshot
    assert run.status == PayRun.Status.CALCULATED


def test_finalised_results_are_immutable(uk_schedule, uk_staff, payroll_admin,
                                         second_payroll_admin,
                                         django_capture_on_commit_callbacks):
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    payslip = run.payslips.first()
    line = payslip.lines.first()
    # services refuse
    with pytest.raises(ValidationError):
        run_calculate(run=run, acting_user=payroll_admin)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    with pytest.raises(ValidationError):
        run_input_set(run=run, employee=uk_staff[0], component=bonus, amount=Decimal("1"),
                      acting_user=payroll_admin)
    # the models refuse too
    payslip.net = Decimal("1.00")
    with pytest.raises(PayrollImmutableError):
        payslip.save()
    with pytest.raises(PayrollImmutableError):
        payslip.delete()
    line.amount = Decimal("1.00")
    with pytest.raises(PayrollImmutableError):
        line.save()
    with pytest.raises(PayrollImmutableError):
        line.delete()
    run.note = "rewrite history"
    with pytest.raises(PayrollImmutableError):
        run.save()
    with pytest.raises(PayrollImmutableError):
        run.delete()
    # only the delivery fields of a payslip may move (PDF pipeline)
    payslip.refresh_from_db()
    payslip.pdf_status = Payslip.PdfStatus.READY
    payslip.save(update_fields=["pdf_status"])


def test_ytd_counts_finalised_runs_only(uk_schedule, uk_staff, payroll_admin,
                                        second_payroll_admin,
                                        django_capture_on_commit_callbacks):
    emp = uk_staff[0]
    first = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                          django_capture_on_commit_callbacks)
    calculated_run(uk_schedule, 2, payroll_admin, django_capture_on_commit_callbacks)
    paid = Payslip.objects.get(run=first, employee=emp)
    ytd = ytd_for(emp, "2025-26")
    assert ytd["gross"] == paid.gross
    assert ytd["uk_tax_paid"] == Decimal(paid.ytd_increments["uk_tax_paid"])


def test_correction_reverses_and_replaces(uk_schedule, uk_staff, payroll_admin,
                                          second_payroll_admin,
                                          django_capture_on_commit_callbacks):
    # given a finalised month-1 run at 36,000 a year
    emp = uk_staff[0]
    original = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                             django_capture_on_commit_callbacks)
    old = Payslip.objects.get(run=original, employee=emp)
    # when the salary is found to have been 48,000 and a correction run is made
    CompensationRecord.objects.filter(employee=emp).update(annual_salary=Decimal("48000.00"))
    correction = run_correction_create(original=original, employee_ids=[emp.pk],
                                       acting_user=payroll_admin, pay_date=date(2025, 5, 15))
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=correction, acting_user=payroll_admin)
    fix = Payslip.objects.get(run=correction, employee=emp)
    # then it holds negated original lines plus the new lines: totals are the differences
    lines = list(fix.lines.all())
    reversals = [ln for ln in lines if ln.description.startswith("Reversal")]
    assert sum(ln.amount for ln in reversals if ln.category == "earning") == -old.gross
    assert fix.gross == Decimal("4000.00") - old.gross  # 48,000 / 12 minus 3,000
    assert fix.net == fix.gross - fix.total_pre_tax - fix.total_employee_tax - fix.total_post_tax
    assert fix.reasons == ["correction"]
    # and once finalised, YTD equals what a correct first payslip would have said
    run_approve(run=correction, acting_user=second_payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_finalise(run=correction, acting_user=second_payroll_admin)
    ytd = ytd_for(emp, "2025-26")
    assert ytd["gross"] == Decimal("4000.00")
    assert ytd["net"] == old.net + fix.net
    assert ytd["uk_tax_paid"] == Decimal(old.ytd_increments["uk_tax_paid"]) + Decimal(
        fix.ytd_increments["uk_tax_paid"])
    # the original is untouched
    assert Payslip.objects.get(pk=old.pk).gross == old.gross


def test_variance_reasons_and_flags(uk_schedule, payroll_admin, second_payroll_admin,
                                    django_capture_on_commit_callbacks):
    steady = paid_employee(uk_schedule)
    raised = paid_employee(uk_schedule)
    finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                  django_capture_on_commit_callbacks)
    # month 2: a new hire mid-period without tax details or bank account, a pay rise, a leaver
    newbie = paid_employee(uk_schedule, hire=date(2025, 5, 12), tax=False, bank=False)
    CompensationRecord.objects.create(employee=raised, effective_date=date(2025, 5, 1),
                                      basis="salary", annual_salary=Decimal("72000.00"),
                                      currency="GBP", pay_schedule=uk_schedule, reason="promotion")
    type(steady).objects.filter(pk=steady.pk).update(termination_date=date(2025, 5, 20))
    run = calculated_run(uk_schedule, 2, payroll_admin, django_capture_on_commit_callbacks)
    by = {p.employee_id: p for p in run.payslips.all()}
    assert {"new_hire", "proration"} <= set(by[newbie.pk].reasons)
    assert {f["code"] for f in by[newbie.pk].flags} == {"missing_tax_setup",
                                                          "missing_bank_details"}
    assert "rate_change" in by[raised.pk].reasons
    assert "variance" in {f["code"] for f in by[raised.pk].flags}  # +100% > 10% threshold
    assert {"leaver", "proration"} <= set(by[steady.pk].reasons)
    # blocking flags stop approval until overridden with a comment
    with pytest.raises(ValidationError, match="blocking"):
        run_approve(run=run, acting_user=second_payroll_admin)
    with pytest.raises(ValidationError):
        payslip_flag_override(payslip=by[raised.pk], code="variance", comment="  ",
                              acting_user=payroll_admin)
    for payslip in by.values():
        for flag in payslip.flags:
            payslip_flag_override(payslip=payslip, code=flag["code"],
                                  comment="Checked with HR", acting_user=payroll_admin)
    run_approve(run=run, acting_user=second_payroll_admin)
    overridden = Payslip.objects.get(pk=by[raised.pk].pk).overrides[0]
    assert overridden["comment"] == "Checked with HR"
    assert overridden["by"] == payroll_admin.email


def test_recurring_items_and_negative_net_flag(uk_schedule, payroll_admin,
                                               django_capture_on_commit_callbacks):
    emp = paid_employee(uk_schedule)
    pension = PayComponent.objects.create(
        code="PENSION", name="Pension", kind="pre_tax_deduction", calculation="percent_of_base",
        reduces_income_tax_wages=True)
    advance = PayComponent.objects.create(code="ADV", name="Advance recovery",
                                          kind="pre_tax_deduction")
    EmployeePayItem.objects.create(employee=emp, component=pension, percent=Decimal("5"),
                                   effective_from=date(2025, 1, 1))
    EmployeePayItem.objects.create(employee=emp, component=advance, amount=Decimal("5000"),
                                   effective_from=date(2025, 4, 1),
                                   effective_to=date(2025, 4, 30))
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=emp)
    assert payslip.lines.get(code="PENSION").amount == Decimal("150.00")  # 5% of 3,000
    assert payslip.net < 0
    assert "negative_net" in {f["code"] for f in payslip.flags}


def test_off_cycle_bonus_run(uk_schedule, uk_staff, payroll_admin,
                             django_capture_on_commit_callbacks):
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     kind=PayRun.Kind.OFF_CYCLE, employees=[uk_staff[0]],
                     acting_user=payroll_admin)
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    run_input_set(run=run, employee=uk_staff[0], component=bonus, amount=Decimal("1000"),
                  acting_user=payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=payroll_admin)
    payslip = run.payslips.get()
    # only the bonus is paid (no second salary), taxed like any pay
    assert payslip.gross == Decimal("1000.00")
    assert [ln.code for ln in payslip.lines.filter(category="earning")] == ["BONUS"]


def test_bulk_deletes_of_finalised_rows_are_refused(uk_schedule, uk_staff, payroll_admin,
                                                    second_payroll_admin,
                                                    django_capture_on_commit_callbacks):
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    for qs in (PayRun.objects.filter(pk=run.pk), Payslip.objects.filter(run=run),
               PayslipLine.objects.filter(payslip__run=run)):
        with pytest.raises(PayrollImmutableError):
            qs.delete()
    assert Payslip.objects.filter(run=run).count() == 2


def test_final_pay_run_takes_the_leaver_out_of_the_regular_run(
        uk_schedule, uk_staff, payroll_admin, django_capture_on_commit_callbacks):
    leaver, stayer = uk_staff
    type(leaver).objects.filter(pk=leaver.pk).update(termination_date=date(2025, 4, 15))
    final = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                       kind=PayRun.Kind.FINAL_PAY, employees=[leaver], acting_user=payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=final, acting_user=payroll_admin)
    payslip = final.payslips.get()
    assert payslip.gross == Decimal("1500.00")  # 36,000 / 12 x 15 / 30 days
    assert "leaver" in payslip.reasons
    regular = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert list(regular.payslips.values_list("employee_id", flat=True)) == [stayer.pk]


def test_a_stuck_calculation_can_be_restarted(uk_schedule, uk_staff, payroll_admin,
                                              django_capture_on_commit_callbacks):
    from payroll.models import PayRunChunk

    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    # given a calculation whose tasks were lost (never run)
    with django_capture_on_commit_callbacks(execute=False):
        run_calculate(run=run, acting_user=payroll_admin)
    stale = PayRunChunk.objects.get(run=run)
    # when asked again without restart nothing happens; with restart a new generation runs
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=payroll_admin)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATING
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=payroll_admin, restart=True)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED and run.payslips.count() == 2
    # and the old generation's chunk, delivered late, changes nothing
    from payroll.services.runs import run_calculate_chunk

    run_calculate_chunk(chunk_id=stale.pk)
    run.refresh_from_db()
    assert run.progress_done == 2
