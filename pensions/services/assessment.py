"""Assessment every pay period: when a regular run is calculated, each worker it pays is
categorised for the period (idempotent: one Assessment row per worker and period), and
enrolled, postponed or told of their rights as the category requires (pensions/rules.py)."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from delivery.models import DeliveryItem
from payroll.engine.statutory.auto_enrolment import band_for
from payroll.models import PayRun, PayslipLine
from payroll.services.runs import run_mark_inputs_changed
from pensions import rules
from pensions.models import Assessment, Letter, Membership, PensionScheme
from pensions.services.enrolment import enrol, postpone
from pensions.services.letters import letter_issue

ASSESS_KIND = "pensions.assess_run"
INFO_LETTER = {rules.NON_ELIGIBLE: Letter.Kind.NON_ELIGIBLE, rules.ENTITLED: Letter.Kind.ENTITLED}
ASSESSED_STATUSES = (PayRun.Status.CALCULATED, PayRun.Status.APPROVED,
                     PayRun.Status.FINALISED, PayRun.Status.PAID)


def assess_deliver(*, item: DeliveryItem) -> None:
    run = PayRun.objects.select_related("period", "schedule").filter(
        pk=item.payload["run_id"]).first()
    if run is not None:
        assess_run(run)


def _earnings(run: PayRun, excluded_codes: set[str]) -> dict[int, Decimal]:
    """Earnings in the pay reference period: the run's earning lines (pensions refunds left
    out: they are pay given back, not earnings)."""
    rows = PayslipLine.objects.filter(payslip__run=run, category="earning").exclude(
        code__in=excluded_codes).values("payslip__employee_id").annotate(total=Sum("amount"))
    return {r["payslip__employee_id"]: r["total"] for r in rows}


def _decide(scheme: PensionScheme, membership: Membership, employee, period, category: str,
            on) -> str:
    status = membership.status
    # Not before the worker starts, nor before the employer's duties start.
    on = max(on, employee.hire_date, scheme.duties_start_date)
    if status in (*Membership.ACTIVE, Membership.Status.OPTED_OUT, Membership.Status.CEASED):
        return ""
    if status == Membership.Status.POSTPONED:
        if period.end_date < membership.postponed_until:
            return "postponed"
        on = max(on, membership.postponed_until)
    elif scheme.postponement_days and membership.postponed_until is None:
        start_point = max(employee.hire_date, scheme.duties_start_date)
        if period.start_date <= start_point <= period.end_date or category == rules.ELIGIBLE:
            begin = start_point if start_point >= period.start_date else on
            postpone(membership, begin, scheme.postponement_days)
            return "postponed"
    if category == rules.ELIGIBLE:
        enrol(membership, on)
        return "enrolled"
    kind = INFO_LETTER.get(category)
    if kind and not membership.letters.filter(kind=kind).exists():
        letter_issue(membership, kind, period.start_date)
        return "informed"
    return ""


def assess_run(run: PayRun) -> dict[str, int]:
    """Assess every worker paid by a regular run. Counts of the actions taken."""
    counts: dict[str, int] = defaultdict(int)
    if run.kind != PayRun.Kind.REGULAR or run.status not in ASSESSED_STATUSES:
        return counts
    period = run.period
    if band_for(run.schedule.frequency) is None:
        return counts
    schemes = PensionScheme.objects.filter(schedules=run.schedule).select_related(
        "employee_component", "employer_component", "refund_component")
    for scheme in schemes:
        with transaction.atomic():
            _assess_scheme(run, scheme, period, counts)
    return dict(counts)


def _assess_scheme(run, scheme, period, counts) -> None:
    excluded = {scheme.refund_component.code} if scheme.refund_component_id else set()
    earnings = _earnings(run, excluded)
    people = {p.employee_id: p.employee for p in run.payslips.select_related("employee")}
    memberships = {m.employee_id: m for m in Membership.objects.select_for_update().filter(
        scheme=scheme, employee_id__in=people)}
    done = set(Assessment.objects.filter(scheme=scheme, period=period,
                                         employee_id__in=people).values_list("employee_id",
                                                                             flat=True))
    enrolled_now = False
    for employee_id, employee in people.items():
        if employee_id in done or employee.date_of_birth is None:
            continue
        pay = earnings.get(employee_id, Decimal("0.00"))
        category, on, age = rules.categorise(
            dob=employee.date_of_birth, start=period.start_date, end=period.end_date,
            earnings=pay, frequency=run.schedule.frequency)
        membership = memberships.get(employee_id) or Membership.objects.create(
            scheme=scheme, employee=employee)
        membership.scheme = scheme
        membership.category = category
        action = _decide(scheme, membership, employee, period, category, on)
        membership.save(update_fields=["category", "updated_at"])
        Assessment.objects.create(scheme=scheme, employee=employee, period=period,
                                  category=category, earnings=pay, age=age, action=action)
        counts[action or "unchanged"] += 1
        enrolled_now = enrolled_now or action == "enrolled"
    if enrolled_now:
        # New contribution items from a date in this period: the run must be worked out again.
        run_mark_inputs_changed(run)
