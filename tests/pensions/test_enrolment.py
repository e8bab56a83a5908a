"""Assessment when a regular run is calculated, enrolment and contributions on qualifying
earnings, through real pay runs (UK monthly, April 2025 = period 1).

Hand-computed: salary 24,000 / 12 = 2,000.00 a month; qualifying earnings 2,000 - 520 =
1,480.00 (TPR monthly band 520-4,189); employee 5% = 74.00 (net pay arrangement, before
PAYE); employer 3% = 44.40."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import DeliveryItem
from payroll.models import EmployeePayItem, PayRun
from payroll.services.runs import run_calculate, run_create
from pensions.models import Assessment, Letter, Membership
from pensions.services.assessment import assess_run
from pensions.services.optout import cease, opt_out

pytestmark = pytest.mark.django_db
D = Decimal


def calculated_run(schedule, number, user, capture):
    """Create and calculate; the assessment may send the run back to draft (new items)."""
    run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                     acting_user=user)
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status in (PayRun.Status.CALCULATED, PayRun.Status.DRAFT), run.last_error
    return run


def _line(run, employee, code) -> Decimal:
    slip = run.payslips.get(employee=employee)
    return sum((ln.amount for ln in slip.lines.all() if ln.code == code), D("0"))


def _recalculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error
    return run


def _finalise(run):
    """Finalised as far as pensions can tell (the payslip PDFs and emails are not needed)."""
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED)


def test_calculating_a_run_assesses_enrols_and_the_recalculation_deducts(
        scheme, worker, payroll_admin, django_capture_on_commit_callbacks):
    run = calculated_run(scheme.schedules.get(), 1, payroll_admin,
                         django_capture_on_commit_callbacks)
    membership = Membership.objects.get(employee=worker)
    assert (membership.status, membership.category) == ("enrolled", "eligible")
    assert membership.enrolled_on == date(2025, 4, 1)
    today = timezone.localdate()
    assert membership.opt_out_deadline == date(today.year + (today.month == 12),
                                               today.month % 12 + 1, 1) or (
        membership.opt_out_deadline > today)
    items = EmployeePayItem.objects.filter(employee=worker, effective_from=date(2025, 4, 1))
    assert {i.component.code for i in items} == {f"AE{scheme.pk}EE", f"AE{scheme.pk}ER"}
    # the letter went out once, by email, through the delivery mechanism
    letter = Letter.objects.get(membership=membership)
    assert letter.kind == "enrolment" and letter.emailed_at is not None
    assert len(mail.outbox) == 1 and "enrolled" in mail.outbox[0].subject
    # new items in the period: the run must be worked out again
    run.refresh_from_db()
    assert run.status == PayRun.Status.DRAFT
    run = _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    assert _line(run, worker, f"AE{scheme.pk}EE") == D("74.00")
    assert _line(run, worker, f"AE{scheme.pk}ER") == D("44.40")
    # assessed once per period, whatever the number of calculations
    assert Assessment.objects.filter(employee=worker).count() == 1
    assert Letter.objects.count() == 1 and len(mail.outbox) == 1
    assert DeliveryItem.objects.filter(kind="pensions.letter").count() == 1


def test_weekly_contributions_on_qualifying_earnings(scheme):
    """26,000 a year paid weekly = 500.00 a week; QE 500 - 120 = 380.00 (TPR weekly band
    120-967); employee 5% = 19.00, employer 3% = 11.40; above the band: 967 - 120 = 847.00."""
    from payroll.engine.gross_to_net import _component_amount
    from payroll.engine.statutory.auto_enrolment import qualifying_earnings
    from payroll.engine.types import PayItem
    from payroll.services.calculation import engine_component

    ee = PayItem(engine_component(scheme.employee_component))
    er = PayItem(engine_component(scheme.employer_component))
    bases = {"qualifying": qualifying_earnings(D("500.00"), "weekly")}
    assert (_component_amount(ee, bases)[0], _component_amount(er, bases)[0]) == (
        D("19.00"), D("11.40"))
    bases = {"qualifying": qualifying_earnings(D("1200.00"), "weekly")}
    assert (_component_amount(ee, bases)[0], _component_amount(er, bases)[0]) == (
        D("42.35"), D("25.41"))  # 847 x 5% = 42.35; 847 x 3% = 25.41


def test_non_eligible_and_entitled_get_their_letter_once(
        scheme, uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    from tests.factories.payroll_runs import paid_employee

    low = paid_employee(uk_schedule, salary="9000.00", date_of_birth=date(1990, 1, 1))  # 750/m
    tiny = paid_employee(uk_schedule, salary="6000.00", date_of_birth=date(1990, 1, 1))  # 500/m
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert Membership.objects.get(employee=low).category == "non_eligible"
    assert Membership.objects.get(employee=tiny).category == "entitled"
    assert set(Letter.objects.values_list("kind", flat=True)) == {"non_eligible", "entitled"}
    assert run.status == PayRun.Status.CALCULATED  # nobody enrolled: nothing to recalculate
    Assessment.objects.all().delete()
    assess_run(run)  # assessed again: no second letter
    assert Letter.objects.count() == 2
    assert not EmployeePayItem.objects.filter(employee__in=[low, tiny],
                                              note="auto-enrolment").exists()


def test_postponement_then_enrolment_after_it(
        scheme, worker, payroll_admin, django_capture_on_commit_callbacks):
    scheme.postponement_days = 60
    scheme.duties_start_date = date(2025, 4, 1)
    scheme.save()
    schedule = scheme.schedules.get()
    calculated_run(schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    membership = Membership.objects.get(employee=worker)
    assert membership.status == "postponed"
    assert membership.postponed_until == date(2025, 5, 31)  # 1 April + 60 days
    assert Letter.objects.get().kind == "postponement"
    calculated_run(schedule, 2, payroll_admin, django_capture_on_commit_callbacks)
    membership.refresh_from_db()
    assert membership.status == "enrolled" and membership.enrolled_on == date(2025, 5, 31)


def test_opt_out_in_the_window_refunds_the_deductions(
        scheme, worker, payroll_admin, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    schedule = scheme.schedules.get()
    run = calculated_run(schedule, 1, payroll_admin, capture)
    run = _recalculate(run, payroll_admin, capture)
    _finalise(run)
    membership = Membership.objects.get(employee=worker)
    opt_out(membership=membership, notice_date=timezone.localdate(), acting_user=payroll_admin)
    membership.refresh_from_db()
    assert membership.status == "opted_out"
    assert (membership.employee_refund, membership.employer_refund) == (D("74.00"), D("44.40"))
    may = calculated_run(schedule, 2, payroll_admin, capture)
    # no contribution in May, the 74.00 comes back as taxable (not NI-able) pay
    assert _line(may, worker, f"AE{scheme.pk}EE") == D("0")
    assert _line(may, worker, f"AE{scheme.pk}REF") == D("74.00")
    assert Letter.objects.filter(kind="opted_out").count() == 1


def test_after_the_window_it_is_a_cessation_without_refund(
        scheme, worker, payroll_admin, django_capture_on_commit_callbacks):
    calculated_run(scheme.schedules.get(), 1, payroll_admin, django_capture_on_commit_callbacks)
    membership = Membership.objects.get(employee=worker)
    late = membership.opt_out_deadline.replace(day=1).replace(
        month=membership.opt_out_deadline.month % 12 + 1,
        year=membership.opt_out_deadline.year + (membership.opt_out_deadline.month == 12))
    with pytest.raises(ValidationError, match="window has closed"):
        opt_out(membership=membership, notice_date=late, acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="opt-out window"):
        cease(membership=membership, on=membership.opt_out_deadline, acting_user=payroll_admin)
    cease(membership=membership, on=late, acting_user=payroll_admin)
    membership.refresh_from_db()
    assert membership.status == "ceased" and membership.employee_refund == D("0.00")
    assert not EmployeePayItem.objects.filter(note="pension opt-out refund").exists()
    assert set(EmployeePayItem.objects.filter(employee=worker, note="auto-enrolment")
               .values_list("effective_to", flat=True)) == {late}
