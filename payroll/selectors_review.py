"""The run-level review before approval, and the run page's totals: all from SQL aggregates.

Nothing here loops over a run's payslips in Python: every figure is a SUM/COUNT in the
database, and the people lists (joiners, leavers, largest variances) are LIMITed queries with
the full count taken by a window function in the same query; on PostgreSQL all of them are
index-only scans of payslip_run_totals (payroll/migrations/0011_review_indexes.py). So a
review costs the same number of queries at 20 or 20,000 payslips (tests/payroll_review).

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

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from payroll.models import PayRun, Payslip

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
# Percentages are shown to one decimal place, half away from zero (a display rounding only:
# every amount stays exact to the cent).
PERCENT_PLACES = Decimal("0.1")
PEOPLE_SHOWN = 10
VARIANCES_SHOWN = 10

_SUMS = {"gross": "gross", "pre_tax": "total_pre_tax", "employee_tax": "total_employee_tax",
         "post_tax": "total_post_tax", "net": "net", "employer_cost": "employer_cost",
         "employer_tax": "total_employer_tax"}
_EMPLOYEE_FIELDS = ("employee__id", "employee__employee_number", "employee__legal_first_name",
                    "employee__legal_last_name", "employee__preferred_name")


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

    @property
    def employer_contribution(self) -> Decimal:
        # Employer cost is gross + employer taxes + employer contributions on every payslip
        # (build_payslip), so the run's contributions are what is left of its cost.
        return self.employer_cost - self.gross - self.employer_tax

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


def run_totals(run_ids: list[int]) -> dict[int, RunTotals]:
    """Headcount and money totals per run: one grouped query over the payslips (their own
    totals, kept equal to their lines by build_payslip; no payslip line is read). On PostgreSQL
    an index-only scan of payslip_run_totals (payroll/migrations/0011_review_indexes.py)."""
    rows = Payslip.objects.filter(run_id__in=run_ids).order_by().values("run_id").annotate(
        headcount=Count("id"), **{name: Sum(column) for name, column in _SUMS.items()})
    found = {row["run_id"]: RunTotals(
        headcount=row["headcount"], **{name: _amount(row[name]) for name in _SUMS})
        for row in rows}
    return {run_id: found.get(run_id, RunTotals()) for run_id in run_ids}


def payslip_page(payslips: QuerySet[Payslip], number, per_page: int = 100) -> Page:
    """One page of a run's payslip list. The page is picked on ids alone (sorting ids and names
    for any depth of page is cheap) and only its rows are loaded: a deep page never sorts the
    whole run's payslip rows. Three queries: count, ids, rows."""
    page = Paginator(payslips.values_list("pk", flat=True), per_page).get_page(number)
    rows = payslips.in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


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
    """Up to PEOPLE_SHOWN payslips (with their employee, by name) and how many in all."""

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


# Payslips of one run whose employee has none in the other run: an anti-join of two
# index-only scans of payslip_run_totals (no employee row is read for the count).
_ONLY_IN = (
    "SELECT c.id, COUNT(*) OVER () FROM payroll_payslip c WHERE c.run_id = %s AND NOT EXISTS "
    "(SELECT 1 FROM payroll_payslip p WHERE p.run_id = %s AND p.employee_id = c.employee_id) "
    "ORDER BY c.employee_id LIMIT %s"
)
# Both runs' payslips joined on the employee, where the pay differs: index-only too.
_CHANGES = (
    "SELECT c.id, p.id, COUNT(*) OVER () FROM payroll_payslip c "
    "JOIN payroll_payslip p ON p.employee_id = c.employee_id AND p.run_id = %s "
    "WHERE c.run_id = %s AND (c.gross <> p.gross OR c.net <> p.net) "
    "ORDER BY ABS(c.net - p.net) DESC, ABS(c.gross - p.gross) DESC, c.id LIMIT %s"
)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _payslips(ids: list[int]) -> dict[int, Payslip]:
    """The few payslips a review lists, with their employee: one query."""
    return Payslip.objects.select_related("employee").only(
        "id", "run_id", "gross", "net", "reasons", *_EMPLOYEE_FIELDS).in_bulk(ids)


def _by_name(payslips: list[Payslip]) -> list[Payslip]:
    return sorted(payslips, key=lambda p: (p.employee.legal_last_name,
                                           p.employee.legal_first_name, p.pk))


def only_in(run_id: int, other_run_id: int) -> tuple[int, list[int]]:
    """How many are paid in `run_id` and not in `other_run_id` (joiners one way round, leavers
    the other), and the ids of up to PEOPLE_SHOWN of their payslips: one query."""
    rows = _fetch(_ONLY_IN, [run_id, other_run_id, PEOPLE_SHOWN])
    return (int(rows[0][1]) if rows else 0), [row[0] for row in rows]


def pay_changes(run_id: int, previous_run_id: int) -> tuple[int, list[tuple[int, int]]]:
    """How many people paid in both runs have a different gross or net pay, and the payslip
    pairs (now, before) of the largest changes of net pay, by size either way: one query."""
    rows = _fetch(_CHANGES, [previous_run_id, run_id, VARIANCES_SHOWN])
    return (int(rows[0][2]) if rows else 0), [(now, before) for now, before, _ in rows]


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
    """Everything the approver sees before approving: at most 6 queries whatever the headcount
    (previous run, totals, joiners, leavers, pay changes, and the few payslips listed)."""
    previous = previous_regular_run(run)
    ids = [run.pk] + ([previous.pk] if previous else [])
    totals = run_totals(ids)
    review = RunReview(run=run, previous=previous, totals=totals[run.pk],
                       previous_totals=totals[previous.pk] if previous else None)
    review.rows = comparisons(review.totals, review.previous_totals)
    if previous is None:
        return review
    review.compare_people = run.kind == PayRun.Kind.REGULAR
    joined = left = (0, [])
    if review.compare_people:
        joined, left = only_in(run.pk, previous.pk), only_in(previous.pk, run.pk)
    review.pay_changed, pairs = pay_changes(run.pk, previous.pk)
    slips = _payslips([*joined[1], *left[1], *(pk for pair in pairs for pk in pair)])
    if review.compare_people:
        review.joiners = People(joined[0], _by_name([slips[pk] for pk in joined[1]]))
        review.leavers = People(left[0], _by_name([slips[pk] for pk in left[1]]))
    review.variances = [Variance(slips[now], slips[before].gross, slips[before].net)
                        for now, before in pairs]
    return review
