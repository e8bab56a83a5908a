"""Where a payment stands among the others: year to date, the other payments of its earnings
period, and (US) the last regular paycheck. Read per chunk with a fixed number of queries.

UK: a payment is taxed and NI'd in the tax period of its PAY DATE (HMRC). Every finalised
payment of the same tax period counts, whatever its own pay date inside the period: cumulative
PAYE for the month is the same whichever of two payments is made first, and NI is worked on the
earnings period as a whole (NIM08510: payments in one earnings period are added together).
A correction's NI belongs to the earnings period of the payment it corrects (that is where it
is recalculated), its PAYE difference to the period of its own pay date (where it is taxed).

Payments of other runs that are calculated but NOT finalised are not counted (their figures
may still change or be deleted); instead, when such a payment comes EARLIER in the period (pay
date, then run id), the payslip gets a blocking, non-overridable flag naming that run: the runs
of one period are finalised in pay-date order, each recalculated on the ones before it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from hrops.sql_ids import id_array
from payroll.engine import tax_years
from payroll.models import PayRun, Payslip
from payroll.selectors import ytd_by_employee

ZERO = Decimal("0")
UK_FREQUENCIES = ("weekly", "fortnightly", "four_weekly", "monthly")
PENDING_FLAG = "pending_payment_in_period"
# engine YearToDate field <- ytd_increments key, for the other payments of the period. NI
# keys place a correction in the period of the payment it corrects (its NI is recalculated
# there); PAYE keys in the period of its own pay date (its tax difference is taxed there).
NI_KEYS = {"uk_period_ni_pay": "uk_ni_pay", "uk_period_employee_ni": "uk_employee_ni",
           "uk_period_employer_ni": "uk_employer_ni"}
PAYE_KEYS = {"uk_period_taxable_pay": "uk_taxable_pay", "uk_period_tax_paid": "uk_tax_paid"}
PERIOD_KEYS = NI_KEYS | PAYE_KEYS


@dataclass
class PayPosition:
    ytd: dict[int, dict[str, Decimal]]
    period: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    pending: dict[int, list[tuple[int, str, date]]] = field(default_factory=dict)
    last_regular: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    bounds: tuple[date, date] | None = None

    def engine_ytd_extra(self, employee_id: int) -> dict:
        """Extra engine ``YearToDate`` fields for one employee (all zero/None when alone)."""
        extra: dict = {key: self.period.get(employee_id, {}).get(key, ZERO)
                       for key in PERIOD_KEYS}
        extra["us_supplemental_wages"] = self.ytd.get(employee_id, {}).get(
            "us_supplemental_wages", ZERO)
        last = self.last_regular.get(employee_id)
        if last is not None:
            extra["us_last_regular_wages"], extra["us_last_regular_income_tax"] = last
        return extra

    def pending_flag(self, employee_id: int) -> dict | None:
        """A blocking, non-overridable flag when another run pays this person in the same
        earnings period and is not finalised yet (overriding would under-deduct NI)."""
        pending = self.pending.get(employee_id)
        if not pending or self.bounds is None:
            return None
        runs = ", ".join(_("%(kind)s run #%(id)s paid %(date)s") % {
            "kind": kind, "id": run_id, "date": pay_date.isoformat()}
            for run_id, kind, pay_date in pending)
        message = _("Another payment to this person in the same tax period (%(start)s to "
                    "%(end)s) is not finalised yet: %(runs)s. Tax and NI are worked on the "
                    "period as a whole, so finalise or delete that run first, then recalculate "
                    "this one.") % {"start": self.bounds[0].isoformat(),
                                    "end": self.bounds[1].isoformat(), "runs": runs}
        return {"code": PENDING_FLAG, "message": message, "blocking": True,
                "overridable": False}

    def digest_part(self, employee_id: int) -> str:
        return repr(sorted(self.pending.get(employee_id, [])))


def pay_position(run: PayRun, employee_ids: list[int], *, tax_year: str, pay_date: date,
                 exclude_run_ids: set[int]) -> PayPosition:
    """Queries: 1 (YTD) + 1 (UK: the period's other payments) or + 1 (US off-cycle: the last
    regular paycheck), whatever the number of employees."""
    schedule = run.schedule
    if (not schedule.is_supported or schedule.jurisdiction != "UK"
            or schedule.frequency not in UK_FREQUENCIES):
        position = PayPosition(ytd_by_employee(employee_ids, tax_year, on_or_before=pay_date,
                                               exclude_run_ids=exclude_run_ids))
        if PayRun.Kind.OFF_CYCLE in (run.kind, getattr(run.corrects, "kind", None)):
            position.last_regular = last_regular_paychecks(
                employee_ids, tax_year, pay_date, exclude_run_ids)
        return position
    start, end = tax_years.uk_tax_period_bounds(pay_date, schedule.frequency)
    position = PayPosition(ytd_by_employee(employee_ids, tax_year, on_or_before=end,
                                           exclude_run_ids=exclude_run_ids), bounds=(start, end))
    in_window = Q(run__pay_date__range=(start, end)) | Q(
        run__kind=PayRun.Kind.CORRECTION, run__corrects__pay_date__range=(start, end))
    rows = Payslip.objects.filter(in_window, employee_id__in_ids=id_array(employee_ids),
                                  tax_year=tax_year).exclude(run_id__in=exclude_run_ids)
    kinds = dict(PayRun.Kind.choices)
    for employee_id, run_id, status, kind, paid_on, corrected_on, increments in rows.order_by(
        "employee_id", "run__pay_date", "run_id"
    ).values_list("employee_id", "run_id", "run__status", "run__kind", "run__pay_date",
                  "run__corrects__pay_date", "ytd_increments"):
        if status in PayRun.FROZEN:
            totals = position.period.setdefault(employee_id, {})
            ni_here = start <= (corrected_on or paid_on) <= end
            keys = {**(NI_KEYS if ni_here else {}),
                    **(PAYE_KEYS if start <= paid_on <= end else {})}
            for key, source in keys.items():
                totals[key] = totals.get(key, ZERO) + Decimal(str(increments.get(source, 0)))
        elif (paid_on, run_id) < (pay_date, run.pk):
            # Only an EARLIER payment of the period is waited for: the runs of a period are
            # finalised in pay-date order, and a later one never blocks an earlier one.
            position.pending.setdefault(employee_id, []).append(
                (run_id, str(kinds.get(kind, kind)), paid_on))
    return position


def last_regular_paychecks(employee_ids: list[int], tax_year: str, pay_date: date,
                           exclude_run_ids: set[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """US: each employee's most recent finalised regular paycheck of the calendar year on or
    before ``pay_date``: (income-tax wages, federal income tax withheld), for the aggregate
    method on supplemental wages paid separately (Pub 15 section 7). One query."""
    found: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))
    for employee_id, increments in Payslip.objects.filter(
        employee_id__in_ids=id_array(employee_ids), tax_year=tax_year,
        run__status__in=PayRun.FROZEN, run__kind=PayRun.Kind.REGULAR, run__pay_date__lte=pay_date,
    ).exclude(run_id__in=exclude_run_ids).order_by("employee_id", "run__pay_date", "run_id"
                                                   ).values_list("employee_id", "ytd_increments"):
        found[employee_id] = (Decimal(str(increments.get("us_income_tax_wages", 0))),
                              Decimal(str(increments.get("us_federal_income_tax", 0))))
    return dict(found)


def stale_payslip_count(run: PayRun) -> int:
    """UK: payslips of ``run`` calculated BEFORE another payment to the same person in the same
    tax period was finalised: their NI (and week 1 / month 1 PAYE) did not see that payment, so
    the run must be recalculated before it is finalised. One query."""
    schedule = run.schedule
    if (not schedule.is_supported or schedule.jurisdiction != "UK"
            or schedule.frequency not in UK_FREQUENCIES):
        return 0
    dates = [run.pay_date] + ([run.corrects.pay_date] if run.corrects_id else [])
    window = Q()
    for day in dates:
        start, end = tax_years.uk_tax_period_bounds(day, schedule.frequency)
        window |= Q(run__pay_date__range=(start, end)) | Q(
            run__kind=PayRun.Kind.CORRECTION, run__corrects__pay_date__range=(start, end))
    later = Payslip.objects.filter(window, employee_id=OuterRef("employee_id"),
                                   run__status__in=PayRun.FROZEN,
                                   run__finalised_at__gt=OuterRef("calculated_at")).exclude(
        run_id=run.pk)
    return run.payslips.filter(Exists(later)).count()
