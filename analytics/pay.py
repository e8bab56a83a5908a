"""Pay analytics (issue 15 item 2): salary distribution, pay bands and compa-ratio, pay changes,
payroll cost. Aggregates only; any group smaller than ANALYTICS_MIN_GROUP_SIZE is suppressed
(no figures), so nobody's pay can be read off a table or chart.

- Annual pay: the annual salary; or hourly rate x contracted hours a week (job record in force)
  x 52. Hourly staff without recorded hours cannot be annualised and are counted apart.
- One currency per report: people paid in another currency are counted apart, never converted.
- Quartiles: the inclusive method (Excel QUARTILE.INC: position (n - 1) x p, linear between
  neighbours), half up to the cent.
- Compa-ratio = annual pay / band midpoint, half up to 2 decimal places.
- Pay change % = (new annual pay - previous) / previous x 100, for records of the period that
  follow an earlier record in the same currency; half up to 0.1.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.conf import settings

from analytics import pay_sql
from analytics.facts import jobs_in_force
from analytics.metrics import Filters
from analytics.models import PayBand
from employees.models import ChangeReason, CompensationRecord, Department, JobTitle

CENT, ONE_DP, TWO_DP = Decimal("0.01"), Decimal("0.1"), Decimal("0.01")
WEEKS_A_YEAR = Decimal("52")


def min_group() -> int:
    return settings.ANALYTICS_MIN_GROUP_SIZE


def annual_pay(basis: str, salary: Decimal | None, hourly: Decimal | None,
               weekly_hours: Decimal | None) -> Decimal | None:
    if basis == CompensationRecord.Basis.SALARY:
        return salary
    if hourly is None or not weekly_hours:
        return None
    return (hourly * weekly_hours * WEEKS_A_YEAR).quantize(CENT, ROUND_HALF_UP)


def quantile(sorted_values: list[Decimal], p: Decimal) -> Decimal:
    """Inclusive quantile (QUARTILE.INC) of sorted values, half up to the cent."""
    position = (len(sorted_values) - 1) * p
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    value = sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Distribution:
    label: str
    count: int
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return self.count < min_group()


def distribution(label: str, values: list[Decimal]) -> Distribution:
    if len(values) < min_group():
        return Distribution(label, len(values))
    ordered = sorted(values)
    return Distribution(label, len(values), quantile(ordered, Decimal("0.25")),
                        quantile(ordered, Decimal("0.5")), quantile(ordered, Decimal("0.75")))


@dataclass
class PaidPerson:
    employee_id: int
    job_title_id: int
    annual: Decimal


@dataclass
class PayPopulation:
    """Who the report is about, as aggregates (analytics.pay_sql): how many are paid in the
    report's currency with an annual pay, the quartile points of each job title and
    department, and the pay band figures."""

    currency: str
    count: int = 0
    other_currencies: dict = field(default_factory=dict)
    not_annualised: int = 0
    currencies: list[str] = field(default_factory=list)
    points: dict = field(default_factory=dict)
    day: date | None = None
    filters: Filters | None = None


def pay_population(filters: Filters, as_of: date, currency: str = "") -> PayPopulation:
    """Everyone in the report on as_of, in one currency (the one asked for if anyone is paid
    in it, else the most common). One query whatever the headcount (analytics.pay_sql)."""
    found = pay_sql.population(as_of, filters, currency)
    people, annualised = found.counts.get(found.currency, (0, 0))
    return PayPopulation(
        found.currency, annualised,
        {c: n for c, (n, _a) in found.counts.items() if c != found.currency},
        people - annualised, sorted(found.counts), found.points, as_of, filters)


def _quantile_at(n: int, points: dict[int, Decimal], p: Decimal) -> Decimal:
    """QUARTILE.INC from the two ranks around (n - 1) x p (what quantile() does on the whole
    sorted list), half up to the cent."""
    position = (n - 1) * p
    low = int(position)
    high = min(low + 1, n - 1)
    value = points[low] + (points[high] - points[low]) * (position - low)
    return value.quantize(CENT, ROUND_HALF_UP)


def distributions_by(population: PayPopulation, key: str) -> list[Distribution]:
    """By "job_title" or "department", largest groups first."""
    model = JobTitle if key == "job_title" else Department
    kind = "title" if key == "job_title" else "dept"
    names = dict(model.objects.values_list("pk", "name"))
    rows = []
    for (k, group), (n, points) in population.points.items():
        if k != kind:
            continue
        label = names.get(group, "—")
        if n < min_group():
            rows.append(Distribution(label, n))
            continue
        rows.append(Distribution(label, n, *(_quantile_at(n, points, Decimal(p))
                                              for p in ("0.25", "0.5", "0.75"))))
    return sorted(rows, key=lambda d: (-d.count, d.label))


@dataclass(frozen=True)
class BandRow:
    label: str
    band: PayBand
    count: int
    below: int
    within: int
    above: int
    average_compa: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.count < min_group()


def compa_ratio(annual: Decimal, midpoint: Decimal) -> Decimal:
    return (annual / midpoint).quantize(TWO_DP, ROUND_HALF_UP)


def band_rows(population: PayPopulation) -> tuple[list[BandRow], list[tuple[PaidPerson,
                                                                              PayBand]]]:
    """Per job title with a band in the report's currency: counts below / within / above and
    the average compa-ratio = mean annual pay / midpoint, half up to 2 places, rounded once
    (suppressed under the minimum group); and the people outside their band (for HR Admin
    only: it shows individual pay). Three queries."""
    bands = {b.job_title_id: b for b in PayBand.objects.filter(
        currency=population.currency).select_related("job_title")}
    if not bands or population.day is None:
        return [], []
    day, filters, currency = population.day, population.filters, population.currency
    rows = []
    for title_id, (n, below, above, cents) in pay_sql.band_counts(day, filters,
                                                                  currency).items():
        band = bands[title_id]
        average = compa_ratio(Decimal(cents) / 100 / n, band.midpoint) \
            if n >= min_group() else None
        rows.append(BandRow(band.job_title.name, band, n, below, n - below - above, above,
                            average))
    outside = [(PaidPerson(pk, title, annual), bands[title])
               for pk, title, annual in pay_sql.outside_bands(day, filters, currency)]
    return sorted(rows, key=lambda r: r.label), outside


@dataclass(frozen=True)
class ChangeRow:
    reason: str
    count: int
    average_percent: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.count < min_group()


def pay_changes(first: date, last: date, filters: Filters, currency: str) -> list[ChangeRow]:
    """Pay changes effective between first and last, by reason (hires and rehires are not
    changes). Two queries; a third for the jobs of the people concerned when the report is
    narrowed by job (department, location, ...) or someone is paid by the hour."""
    # order_by(): the default ordering would join the employee table for nothing.
    changed = CompensationRecord.objects.filter(
        effective_date__range=(first, last)).exclude(
        reason__in=(ChangeReason.HIRE, ChangeReason.REHIRE)).order_by()
    if filters.employee_ids is not None:
        changed = changed.filter(employee_id__in=list(filters.employee_ids))
    records = defaultdict(list)
    for row in CompensationRecord.objects.filter(
            employee_id__in=changed.values("employee_id"), effective_date__lte=last).order_by(
            "employee_id", "effective_date").values_list(
            "employee_id", "effective_date", "basis", "annual_salary", "hourly_rate",
            "currency", "reason"):
        records[row[0]].append(row[1:])
    narrowed = not filters.matches(None)  # a job dimension is filtered on
    wanted = set(records) if narrowed else {
        pk for pk, history in records.items()
        if any(r[1] != CompensationRecord.Basis.SALARY for r in history)}
    jobs = jobs_in_force(last, employee_ids=wanted) if wanted else {}
    percents: dict[str, list[Decimal]] = defaultdict(list)
    for pk, history in records.items():
        job = jobs.get(pk)
        if narrowed and not filters.matches(job):
            continue
        hours = job.weekly_hours if job else None
        for previous, current in pairwise(history):
            effective, basis, salary, hourly, cur, reason = current
            if not first <= effective <= last or cur != currency or previous[4] != currency \
                    or reason in (ChangeReason.HIRE, ChangeReason.REHIRE):
                continue
            old = annual_pay(previous[1], previous[2], previous[3], hours)
            new = annual_pay(basis, salary, hourly, hours)
            if old and new is not None:
                percents[reason].append((new - old) * 100 / old)
    labels = dict(ChangeReason.choices)
    rows = []
    for reason, values in sorted(percents.items()):
        average = (sum(values, Decimal("0")) / len(values)).quantize(ONE_DP, ROUND_HALF_UP) \
            if len(values) >= min_group() else None
        rows.append(ChangeRow(str(labels.get(reason, reason)), len(values), average))
    return rows


@dataclass(frozen=True)
class CostRow:
    month: date
    department: str
    people: int
    gross: Decimal | None
    employer_tax: Decimal | None
    employer_cost: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.people < min_group()


def payroll_cost(first: date, last: date, filters: Filters, currency: str) -> list[CostRow]:
    """Gross, employer taxes and employer cost (gross + employer taxes and contributions) of
    finalised payslips by month of the pay date and department (job in force on it); the
    department filter and the viewer's scope apply. Two queries."""
    from analytics.snapshot import snapshot_payroll_cost
    from payroll.selectors_cost import payroll_cost_by_department_month

    names = dict(Department.objects.values_list("pk", "name"))
    found = snapshot_payroll_cost(first, last) if filters.employee_ids is None else None
    if found is None:
        found = payroll_cost_by_department_month(first, last, employee_ids=filters.employee_ids)
    rows = []
    for r in found:
        if r["currency"] != currency or (filters.department_ids is not None
                                         and r["department_id_at"] not in filters.department_ids):
            continue
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        small = r["people"] < min_group()
        rows.append(CostRow(month, names.get(r["department_id_at"], "—"), r["people"],
                            None if small else r["gross"],
                            None if small else r["employer_tax"],
                            None if small else r["employer_cost"]))
    return rows


def pay_report(filters: Filters, as_of: date, *, currency: str = "",
               changes_from: date | None = None, changes_to: date | None = None) -> dict:
    """Every pay table for one as-of date (what the page, exports and report_export show)."""
    from datetime import timedelta

    from analytics.metrics import months_back

    population = pay_population(filters, as_of, currency.upper())
    first = changes_from or as_of - timedelta(days=364)
    last = changes_to or as_of
    bands, outside = band_rows(population)
    return {
        "population": population, "as_of": as_of, "changes_from": first, "changes_to": last,
        "by_title": distributions_by(population, "job_title"),
        "by_department": distributions_by(population, "department"),
        "bands": bands, "outside": outside,
        "changes": pay_changes(first, last, filters, population.currency),
        "cost": payroll_cost(months_back(as_of, 12)[0], as_of, filters, population.currency),
        "min_group": min_group(),
    }
