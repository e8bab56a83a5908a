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
- corrections are netted: the previous run's figures include its finalised corrections (per
  person too), and a correction run is compared with what it corrects: the corrected people's
  payslips in the original run plus earlier finalised corrections ("before"), and that plus
  this correction's differences ("after").

A calculated run's figures are worked out once, when its calculation completes
(payroll.services.run_summary writes a PayRunSummary in the same transaction); pages read that
row while it still describes the run's calculation and the runs it is compared with, and work
the same figures out live otherwise (a run calculated before summaries existed, a draft).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from payroll.models import PayRun, PayRunSummary, Payslip

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

    def plus(self, other: "RunTotals", *, headcount: int | None = None) -> "RunTotals":
        """These amounts plus another's (a correction's differences), with this headcount
        unless told otherwise: a correction pays the same people again."""
        return RunTotals(headcount=self.headcount if headcount is None else headcount,
                         **{name: getattr(self, name) + getattr(other, name) for name in _SUMS})

    def as_json(self) -> dict:
        return {"headcount": self.headcount, **{name: str(getattr(self, name)) for name in _SUMS}}

    @classmethod
    def from_json(cls, data: dict) -> "RunTotals":
        return cls(headcount=int(data["headcount"]),
                   **{name: Decimal(data[name]) for name in _SUMS})


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


def payslip_page(payslips: QuerySet[Payslip], number, per_page: int = 100, *,
                 count: int | None = None) -> Page:
    """One page of a run's payslip list. The page is picked on ids alone (sorting ids and names
    for any depth of page is cheap) and only its rows are loaded: a deep page never sorts the
    whole run's payslip rows. Three queries: count, ids, rows; two when the caller knows the
    count (the run's summary headcount for the unfiltered list)."""
    paginator = Paginator(payslips.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the COUNT(*) query is not made
    page = paginator.get_page(number)
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
    """One person's pay now against before. For a regular run "now" is the payslip itself; for
    a correction it is what was paid before plus the correction's differences."""

    payslip: Payslip
    previous_gross: Decimal
    previous_net: Decimal
    now_gross: Decimal
    now_net: Decimal

    @property
    def employee(self):
        return self.payslip.employee

    @property
    def gross_change(self) -> Decimal:
        return self.now_gross - self.previous_gross

    @property
    def net_change(self) -> Decimal:
        return self.now_net - self.previous_net

    @property
    def net_percent(self) -> Decimal | None:
        return percent_change(self.now_net, self.previous_net)


# Payslips of one run whose employee has none in the other run: an anti-join of two
# index-only scans of payslip_run_totals (no employee row is read for the count).
_ONLY_IN = (
    "SELECT c.id, COUNT(*) OVER () FROM payroll_payslip c WHERE c.run_id = %s AND NOT EXISTS "
    "(SELECT 1 FROM payroll_payslip p WHERE p.run_id = %s AND p.employee_id = c.employee_id) "
    "ORDER BY c.employee_id LIMIT %s"
)
# Both runs' payslips joined on the employee, where the pay differs: index-only too.
_CHANGES = (
    "SELECT c.id, p.gross, p.net, c.gross, c.net, COUNT(*) OVER () FROM payroll_payslip c "
    "JOIN payroll_payslip p ON p.employee_id = c.employee_id AND p.run_id = %s "
    "WHERE c.run_id = %s AND (c.gross <> p.gross OR c.net <> p.net) "
    "ORDER BY ABS(c.net - p.net) DESC, ABS(c.gross - p.gross) DESC, c.id LIMIT %s"
)
# The same against a previous run netted with its finalised corrections: per person, the sum
# of their payslips in those runs ({runs} is a list of placeholders, one per run).
_CHANGES_NETTED = (
    "WITH prev AS (SELECT employee_id, SUM(gross) AS gross, SUM(net) AS net "
    "FROM payroll_payslip WHERE run_id IN ({runs}) GROUP BY employee_id) "
    "SELECT c.id, p.gross, p.net, c.gross, c.net, COUNT(*) OVER () FROM payroll_payslip c "
    "JOIN prev p ON p.employee_id = c.employee_id "
    "WHERE c.run_id = %s AND (c.gross <> p.gross OR c.net <> p.net) "
    "ORDER BY ABS(c.net - p.net) DESC, ABS(c.gross - p.gross) DESC, c.id LIMIT %s"
)
# A correction's payslips against what was paid before it (original + earlier corrections):
# "after" is before + the correction's differences; the largest differences first.
_CORRECTION_CHANGES = (
    "WITH prev AS (SELECT employee_id, SUM(gross) AS gross, SUM(net) AS net "
    "FROM payroll_payslip WHERE run_id IN ({runs}) GROUP BY employee_id) "
    "SELECT c.id, COALESCE(p.gross, 0), COALESCE(p.net, 0), COALESCE(p.gross, 0) + c.gross, "
    "COALESCE(p.net, 0) + c.net, COUNT(*) OVER () FROM payroll_payslip c "
    "LEFT JOIN prev p ON p.employee_id = c.employee_id "
    "WHERE c.run_id = %s AND (c.gross <> 0 OR c.net <> 0) "
    "ORDER BY ABS(c.net) DESC, ABS(c.gross) DESC, c.id LIMIT %s"
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


def only_in(run_id: int, other_run_id: int) -> list:
    """[how many are paid in `run_id` and not in `other_run_id` (joiners one way round, leavers
    the other), the ids of up to PEOPLE_SHOWN of their payslips]: one query (a list, the form
    it takes in a stored summary)."""
    rows = _fetch(_ONLY_IN, [run_id, other_run_id, PEOPLE_SHOWN])
    return [int(rows[0][1]) if rows else 0, [row[0] for row in rows]]


def pay_changes(run_id: int, compared: list[int], *, correction: bool = False
                ) -> tuple[int, list[list]]:
    """How many people have a different gross or net pay than in the compared runs (the
    previous run, netted with its finalised corrections), and for the largest changes of net
    pay, by size either way: [payslip id, gross and net before, gross and net now]. One query."""
    runs = ", ".join(["%s"] * len(compared))
    if correction:
        rows = _fetch(_CORRECTION_CHANGES.format(runs=runs), [*compared, run_id, VARIANCES_SHOWN])
    elif len(compared) == 1:
        rows = _fetch(_CHANGES, [compared[0], run_id, VARIANCES_SHOWN])
    else:
        rows = _fetch(_CHANGES_NETTED.format(runs=runs), [*compared, run_id, VARIANCES_SHOWN])
    return (int(rows[0][5]) if rows else 0), [
        [row[0], *(str(_amount(value)) for value in row[1:5])] for row in rows]


def corrected_before(correction: PayRun, compared: list[int]) -> RunTotals:
    """What the people of a correction run were paid before it: their payslips in the run it
    corrects and its earlier finalised corrections, summed (one query)."""
    row = Payslip.objects.filter(
        run_id__in=compared,
        employee_id__in=Payslip.objects.filter(run_id=correction.pk).values("employee_id"),
    ).order_by().aggregate(headcount=Count("employee_id", distinct=True),
                           **{name: Sum(column) for name, column in _SUMS.items()})
    return RunTotals(headcount=row["headcount"], **{name: _amount(row[name]) for name in _SUMS})


@dataclass(frozen=True)
class Compared:
    """What a run is compared with: the run shown as "previous" and every run whose payslips
    make up the "before" figures (it and its finalised corrections)."""

    run: PayRun | None
    run_ids: list[int]
    correction: bool

    @property
    def key(self) -> str:
        if self.run is None:
            return ""
        return ("c" if self.correction else "r") + ":".join(map(str, self.run_ids))


def compared_with(run: PayRun) -> Compared:
    """A correction is compared with the run it corrects; any other run with the schedule's
    previous finalised regular run. Either way that run's finalised corrections are netted in
    (a correction's earlier siblings, not itself). Two queries at most."""
    if run.kind == PayRun.Kind.CORRECTION and run.corrects_id:
        base = run.corrects
    else:
        base = previous_regular_run(run)
    if base is None:
        return Compared(None, [], False)
    corrections = PayRun.objects.filter(corrects_id=base.pk, status__in=PayRun.FROZEN).exclude(
        pk=run.pk).order_by("pk").values_list("pk", flat=True)
    return Compared(base, [base.pk, *corrections], run.kind == PayRun.Kind.CORRECTION)


def review_figures(run: PayRun, compared: Compared) -> dict:
    """Every figure of the review, worked out live in SQL (at most 6 queries): the form a
    PayRunSummary stores, amounts as strings."""
    totals = run_totals([run.pk, *compared.run_ids])
    own = totals[run.pk]
    figures = {"totals": own.as_json(), "previous_totals": None, "current_totals": own.as_json(),
               "compare_people": False, "joiners": None, "leavers": None, "pay_changed": 0,
               "variances": []}
    if compared.run is None:
        return figures
    if compared.correction:
        before = corrected_before(run, compared.run_ids)
        figures["current_totals"] = before.plus(own, headcount=own.headcount).as_json()
    else:
        before = totals[compared.run.pk]
        for run_id in compared.run_ids[1:]:
            before = before.plus(totals[run_id])
    figures["previous_totals"] = before.as_json()
    if run.kind == PayRun.Kind.REGULAR:
        figures["compare_people"] = True
        figures["joiners"] = only_in(run.pk, compared.run.pk)
        figures["leavers"] = only_in(compared.run.pk, run.pk)
    figures["pay_changed"], figures["variances"] = pay_changes(
        run.pk, compared.run_ids, correction=compared.correction)
    return figures


def stored_summary(run: PayRun) -> PayRunSummary | None:
    """The summary of the run's latest calculation, if the run is calculated (no query when
    the run was loaded with select_related("summary"), else one)."""
    if run.status in (PayRun.Status.DRAFT, PayRun.Status.CALCULATING):
        return None
    try:
        summary = run.summary
    except PayRunSummary.DoesNotExist:
        return None
    return summary if summary.generation == run.calc_generation else None


def run_page_totals(run: PayRun) -> RunTotals:
    """The run page's totals: the summary's when it describes the latest calculation (one
    primary-key read), else the live aggregate."""
    summary = stored_summary(run)
    if summary is not None:
        return RunTotals.from_json(summary.figures["totals"])
    return run_totals([run.pk])[run.pk]


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
    # A correction run is compared with the run it corrects (before / after the correction).
    is_correction: bool = False
    # The previous run's figures include its finalised corrections.
    previous_corrected: bool = False

    @property
    def cash(self) -> list[tuple[str, Decimal]]:
        t = self.totals
        return [(str(_("Net pay to employees")), t.net),
                (str(_("Employee taxes withheld")), t.employee_tax),
                (str(_("Employer taxes")), t.employer_tax),
                (str(_("Deductions to other payees")), t.deductions),
                (str(_("Employer contributions")), t.employer_contribution)]


def run_review(run: PayRun) -> RunReview:
    """Everything the approver sees before approving: 4 queries when the run's summary is
    current (what it is compared with, the summary, the few payslips listed), at most 9 when
    the figures are worked out live; never more with headcount."""
    compared = compared_with(run)
    summary = stored_summary(run)
    if summary is not None and summary.compared_key == compared.key:
        figures = summary.figures
    else:
        figures = review_figures(run, compared)
    previous = figures["previous_totals"]
    review = RunReview(run=run, previous=compared.run,
                       totals=RunTotals.from_json(figures["totals"]),
                       previous_totals=None if previous is None else RunTotals.from_json(
                           previous), is_correction=compared.correction,
                       previous_corrected=len(compared.run_ids) > 1 and not compared.correction)
    review.rows = comparisons(RunTotals.from_json(figures["current_totals"]),
                              review.previous_totals)
    if compared.run is None:
        return review
    review.compare_people = figures["compare_people"]
    joined, left = figures["joiners"] or (0, []), figures["leavers"] or (0, [])
    review.pay_changed = figures["pay_changed"]
    slips = _payslips([*joined[1], *left[1], *(v[0] for v in figures["variances"])])
    if review.compare_people:
        review.joiners = People(joined[0], _by_name([slips[pk] for pk in joined[1]]))
        review.leavers = People(left[0], _by_name([slips[pk] for pk in left[1]]))
    review.variances = [Variance(slips[pk], *(Decimal(value) for value in values))
                        for pk, *values in figures["variances"]]
    return review
