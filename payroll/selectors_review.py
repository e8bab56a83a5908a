"""The run-level review before approval, and the run page's totals: all from SQL aggregates.

Nothing here loops over a run's payslips in Python: every figure is a SUM/COUNT in the
database, and the people lists (joiners, leavers, largest variances) are LIMITed queries with
the full count taken by a window function in the same query. So a review costs the same fixed
number of queries at 20 or 20,000 payslips (tests/payroll_review).

What the figures mean (shown on the page too):
- headcount: payslips in the run; gross = earnings + reimbursements; deductions = pre-tax +
  post-tax deductions; employer cost = gross + employer taxes + employer contributions (the
  payslip's own invariant, payroll.services.calculation.build_payslip).
- the previous run: the schedule's latest finalised (or paid) regular run of an earlier period
  (for an off-cycle, correction or final-pay run: of the same period or earlier).
- joiners: paid in this run and not in the previous one; leavers: paid in the previous run and
  not in this one; pay changed: paid in both, with a different gross or net pay.
- cash needed for the run: net pay (paid to employees on the pay day) + taxes due to the tax
  authority (employee taxes withheld + employer taxes) + amounts due to other payees (pre- and
  post-tax deductions + employer contributions: pension schemes, benefit providers, courts).
  It equals the total employer cost.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum, Window
from django.db.models.functions import Abs
from django.utils.translation import gettext_lazy as _

from payroll.models import PayRun, Payslip, PayslipLine

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
# Percentages are shown to one decimal place, half away from zero (a display rounding only:
# every amount stays exact to the cent).
PERCENT_PLACES = Decimal("0.1")
PEOPLE_SHOWN = 25
VARIANCES_SHOWN = 10

_SUMS = {"gross": "gross", "pre_tax": "total_pre_tax", "employee_tax": "total_employee_tax",
         "post_tax": "total_post_tax", "net": "net", "employer_cost": "employer_cost"}
_EMPLOYER_CATEGORIES = ("employer_tax", "employer_contribution")
_EMPLOYEE_FIELDS = ("employee__id", "employee__employee_number", "employee__legal_first_name",
                    "employee__legal_last_name", "employee__preferred_name")
_NAME_ORDER = ("employee__legal_last_name", "employee__legal_first_name", "pk")


@dataclass(frozen=True, slots=True)
class RunTotals:
    headcount: int = 0
    gross: Decimal = ZERO
    pre_tax: Decimal = ZERO
    employee_tax: Decimal = ZERO
    post_tax: Decimal = ZERO
    net: Decimal = ZERO
    employer_cost: Decimal = ZERO
    employer_tax: Decimal = ZERO
    employer_contribution: Decimal = ZERO

    @property
    def deductions(self) -> Decimal:
        return self.pre_tax + self.post_tax

    @property
    def taxes_due(self) -> Decimal:
        """Due to the tax authority: what employees had withheld plus the employer's taxes."""
        return self.employee_tax + self.employer_tax

    @property
    def other_payees(self) -> Decimal:
        """Due to pension schemes, benefit providers, courts and other deduction payees."""
        return self.pre_tax + self.post_tax + self.employer_contribution

    @property
    def cash_needed(self) -> Decimal:
        return self.net + self.taxes_due + self.other_payees


def _amount(value) -> Decimal:
    # SUM over no rows is NULL; SQLite returns decimals of whole amounts without places.
    return ZERO if value is None else Decimal(value).quantize(ZERO)


def payslip_totals(run_ids: list[int]) -> dict[int, RunTotals]:
    """Headcount and payslip-level sums per run: one grouped query (no payslip lines read)."""
    rows = Payslip.objects.filter(run_id__in=run_ids).order_by().values("run_id").annotate(
        headcount=Count("id"), **{name: Sum(column) for name, column in _SUMS.items()})
    return {row["run_id"]: RunTotals(
        headcount=row["headcount"], **{name: _amount(row[name]) for name in _SUMS})
        for row in rows}


def run_totals(run_ids: list[int]) -> dict[int, RunTotals]:
    """Payslip sums plus employer taxes and contributions (summed from the payslip lines of those
    two categories): two grouped queries for any number of payslips."""
    totals = payslip_totals(run_ids)
    employer: dict[int, dict[str, Decimal]] = {}
    for row in PayslipLine.objects.filter(
        payslip__run_id__in=run_ids, category__in=_EMPLOYER_CATEGORIES
    ).order_by().values("payslip__run_id", "category").annotate(total=Sum("amount")):
        employer.setdefault(row["payslip__run_id"], {})[row["category"]] = _amount(row["total"])
    result = {}
    for run_id in run_ids:
        base = totals.get(run_id, RunTotals())
        extra = employer.get(run_id, {})
        result[run_id] = RunTotals(**{
            **{name: getattr(base, name) for name in ("headcount", *_SUMS)},
            "employer_tax": extra.get("employer_tax", ZERO),
            "employer_contribution": extra.get("employer_contribution", ZERO)})
    return result


def previous_regular_run(run: PayRun) -> PayRun | None:
    """The schedule's latest finalised regular run before this one (see the module docstring)."""
    earlier = (Q(period__start_date__lt=run.period.start_date) if run.kind == PayRun.Kind.REGULAR
               else Q(period__start_date__lte=run.period.start_date, pay_date__lte=run.pay_date))
    return (PayRun.objects.filter(earlier, schedule_id=run.schedule_id, kind=PayRun.Kind.REGULAR,
                                  status__in=PayRun.FROZEN)
            .exclude(pk=run.pk).select_related("period")
            .order_by("-period__start_date", "-pay_date", "-pk").first())


def percent_change(current: Decimal | int, previous: Decimal | int | None) -> Decimal | None:
    """(current - previous) / |previous| x 100 to one place; None when there is no previous
    figure or it is zero (a change from nothing has no percentage)."""
    if previous is None or previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) / abs(Decimal(previous)) * HUNDRED
    return change.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Comparison:
    key: str
    label: str
    current: Decimal | int
    previous: Decimal | int | None
    is_count: bool = False

    @property
    def change(self) -> Decimal | int | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        return percent_change(self.current, self.previous)


ROWS = (
    ("headcount", _("Headcount")),
    ("gross", _("Gross pay")),
    ("employee_tax", _("Employee taxes")),
    ("employer_tax", _("Employer taxes")),
    ("deductions", _("Deductions")),
    ("net", _("Net pay")),
    ("employer_cost", _("Employer cost")),
)


def comparisons(current: RunTotals, previous: RunTotals | None) -> list[Comparison]:
    return [Comparison(key, str(label), getattr(current, key),
                       None if previous is None else getattr(previous, key),
                       is_count=key == "headcount") for key, label in ROWS]


@dataclass(frozen=True, slots=True)
class People:
    """Up to PEOPLE_SHOWN payslips (with their employee) and how many there are in all."""

    total: int
    shown: list[Payslip]

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True, slots=True)
class Variance:
    payslip: Payslip
    previous_gross: Decimal
    previous_net: Decimal

    @property
    def employee(self):
        return self.payslip.employee

    @property
    def gross_change(self) -> Decimal:
        return self.payslip.gross - self.previous_gross

    @property
    def net_change(self) -> Decimal:
        return self.payslip.net - self.previous_net

    @property
    def net_percent(self) -> Decimal | None:
        return percent_change(self.payslip.net, self.previous_net)


def _against(run_id: int, other_run_id: int) -> QuerySet[Payslip]:
    """This run's payslips, each joined (LEFT JOIN, one pass) to the same employee's payslip in
    the other run as `other`: the join the joiners, leavers and variances are counted on."""
    return Payslip.objects.filter(run_id=run_id).annotate(other=FilteredRelation(
        "employee__payslips", condition=Q(employee__payslips__run_id=other_run_id)))


def _people(qs: QuerySet[Payslip]) -> People:
    rows = list(qs.select_related("employee").only("id", "run_id", "gross", "net", "reasons",
                                                   *_EMPLOYEE_FIELDS)
                .annotate(n=Window(Count("id"))).order_by(*_NAME_ORDER)[:PEOPLE_SHOWN])
    return People(rows[0].n if rows else 0, rows)


def only_in(run_id: int, other_run_id: int) -> People:
    """Paid in `run_id` and not in `other_run_id` (joiners one way round, leavers the other)."""
    return _people(_against(run_id, other_run_id).filter(other__isnull=True))


def pay_changes(run_id: int, previous_run_id: int) -> tuple[int, list[Variance]]:
    """How many people paid in both runs have a different gross or net pay, and the largest
    changes of net pay (by size, either way): one query."""
    rows = (_against(run_id, previous_run_id).filter(other__isnull=False)
            .filter(~Q(gross=F("other__gross")) | ~Q(net=F("other__net")))
            .select_related("employee")
            .only("id", "run_id", "gross", "net", "reasons", *_EMPLOYEE_FIELDS)
            .annotate(previous_gross=F("other__gross"), previous_net=F("other__net"),
                      n=Window(Count("id")))
            .order_by(Abs(F("net") - F("other__net")).desc(),
                      Abs(F("gross") - F("other__gross")).desc(), *_NAME_ORDER)
            [:VARIANCES_SHOWN])
    variances = [Variance(p, _amount(p.previous_gross), _amount(p.previous_net)) for p in rows]
    return (rows[0].n if rows else 0), variances


@dataclass
class RunReview:
    run: PayRun
    previous: PayRun | None
    totals: RunTotals
    previous_totals: RunTotals | None
    rows: list[Comparison] = field(default_factory=list)
    # People movement is shown for regular runs (against the previous regular run) only: an
    # off-cycle run pays a few people, and "everyone else left" would be noise.
    compare_people: bool = False
    joiners: People | None = None
    leavers: People | None = None
    pay_changed: int = 0
    variances: list[Variance] = field(default_factory=list)

    @property
    def cash(self) -> list[tuple[str, Decimal]]:
        t = self.totals
        return [(str(_("Net pay to employees")), t.net),
                (str(_("Employee taxes withheld")), t.employee_tax),
                (str(_("Employer taxes")), t.employer_tax),
                (str(_("Deductions to other payees")), t.deductions),
                (str(_("Employer contributions")), t.employer_contribution)]


def run_review(run: PayRun) -> RunReview:
    """Everything the approver sees before approving: at most 7 queries whatever the headcount
    (previous run, 2 for totals, joiners, leavers, pay changes)."""
    previous = previous_regular_run(run)
    ids = [run.pk] + ([previous.pk] if previous else [])
    totals = run_totals(ids)
    review = RunReview(run=run, previous=previous, totals=totals[run.pk],
                       previous_totals=totals[previous.pk] if previous else None)
    review.rows = comparisons(review.totals, review.previous_totals)
    if previous is None:
        return review
    review.compare_people = run.kind == PayRun.Kind.REGULAR
    if review.compare_people:
        review.joiners = only_in(run.pk, previous.pk)
        review.leavers = only_in(previous.pk, run.pk)
    review.pay_changed, review.variances = pay_changes(run.pk, previous.pk)
    return review
