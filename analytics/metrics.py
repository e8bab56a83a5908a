"""Workforce metrics from employment periods and job history (analytics.facts), computed live.

Definitions (the page states them too; tests/analytics computes them by hand):
- Employed on a day: the employment period started on or before it and its last working day
  is not before it. Attributes (department, location, FTE, ...) are the job record in force.
- Headcount: people employed on the day; FTE: the sum of their FTE.
- Hire: an employment period starting in the month (a rehire counts). Leaver: one whose last
  working day is in the month, classified by termination reason (analytics.facts).
- Monthly turnover % = leavers in the month ÷ average headcount x 100, where the average
  headcount = (headcount on the last day of the previous month + on the last day of the
  month) ÷ 2. Trailing 12 months % = leavers in the 12 months ÷ the mean of the 12 monthly
  average headcounts x 100. Rates are rounded half up to one decimal place.
- New-hire retention at 90 days (1 year): of the people hired in the 12 months ending 90 days
  (365 days) before the date, the share still employed 90 days (365 days) after their start.
"""

from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from analytics.facts import LEAVER_KINDS, Job, Stint

ONE_DP = Decimal("0.1")
Match = Callable[[Job | None], bool]


@dataclass(frozen=True)
class Filters:
    """What a report is about. `department_ids` already includes sub-departments;
    `employee_ids` is the viewer's scope or a manager subtree (None: everyone)."""

    department_ids: frozenset[int] | None = None
    location_id: int | None = None
    country: str = ""
    employment_type: str = ""
    employee_ids: frozenset[int] | None = None

    def matches(self, job: Job | None) -> bool:
        if job is None:
            return (self.department_ids is None and self.location_id is None
                    and not self.country and not self.employment_type)
        return ((self.department_ids is None or job.department_id in self.department_ids)
                and (self.location_id is None or job.location_id == self.location_id)
                and (not self.country or job.country == self.country)
                and (not self.employment_type or job.employment_type == self.employment_type))

    def in_scope(self, stints: Iterable[Stint]) -> list[Stint]:
        if self.employee_ids is None:
            return list(stints)
        return [s for s in stints if s.employee_id in self.employee_ids]


def rate(numerator: int | Decimal, denominator: Decimal | int) -> Decimal | None:
    """A percentage, half up to one decimal place; None when the base is zero."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_DP, ROUND_HALF_UP)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return first.replace(day=monthrange(first.year, first.month)[1])


def months_back(as_of: date, count: int) -> list[date]:
    """First days of the `count` months ending with as_of's month, oldest first."""
    first = month_start(as_of)
    out = []
    for _ in range(count):
        out.append(first)
        first = month_start(first - timedelta(days=1))
    return out[::-1]


def people_on(stints: Iterable[Stint], day: date, filters: Filters) -> list[tuple[Stint, Job]]:
    return [(s, s.job_on(day)) for s in filters.in_scope(stints)
            if s.employed_on(day) and filters.matches(s.job_on(day))]


def headcount_on(stints: Iterable[Stint], day: date, filters: Filters) -> tuple[int, Decimal]:
    found = people_on(stints, day, filters)
    return len(found), sum((job.fte for _, job in found if job), Decimal("0"))


def hires_in(stints: Iterable[Stint], first: date, last: date, filters: Filters) -> list[Stint]:
    return [s for s in filters.in_scope(stints)
            if first <= s.start <= last and filters.matches(s.job_on(s.start))]


def leavers_in(stints: Iterable[Stint], first: date, last: date, filters: Filters) -> list[Stint]:
    return [s for s in filters.in_scope(stints)
            if s.end is not None and first <= s.end <= last and filters.matches(s.job_on(s.end))]


@dataclass
class Month:
    month: date
    headcount: int = 0
    fte: Decimal = Decimal("0")
    hires: int = 0
    leavers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEAVER_KINDS, 0))
    opening: int = 0  # headcount on the last day of the previous month

    @property
    def leavers_total(self) -> int:
        return sum(self.leavers.values())

    @property
    def average_headcount(self) -> Decimal:
        return Decimal(self.opening + self.headcount) / 2

    @property
    def turnover(self) -> Decimal | None:
        return rate(self.leavers_total, self.average_headcount)

    def turnover_of(self, kind: str) -> Decimal | None:
        return rate(self.leavers[kind], self.average_headcount)


def point_day(first: date, as_of: date) -> date:
    """The day a month's figures are taken: its last day, or as_of in the month of as_of."""
    return min(month_end(first), as_of)


def live_months(stints: list[Stint], months: list[date], filters: Filters,
                as_of: date) -> list[Month]:
    """The monthly series computed straight from the record, month by month (the reference the
    snapshot is tested against). Months after as_of's are not counted."""
    out = []
    previous_close = None
    for first in months:
        last = point_day(first, as_of)
        row = Month(first)
        row.headcount, row.fte = headcount_on(stints, last, filters)
        if previous_close is None:
            previous_close = headcount_on(stints, first - timedelta(days=1), filters)[0]
        row.opening = previous_close
        row.hires = len(hires_in(stints, first, last, filters))
        for s in leavers_in(stints, first, last, filters):
            row.leavers[s.kind] += 1
        previous_close = row.headcount
        out.append(row)
    return out


def trailing_turnover(series: list[Month], index: int) -> Decimal | None:
    """Turnover over the 12 months ending at series[index] (None without 12 months of data)."""
    if index < 11:
        return None
    window = series[index - 11:index + 1]
    leavers = sum(m.leavers_total for m in window)
    return rate(leavers, sum((m.average_headcount for m in window), Decimal("0")) / 12)


@dataclass(frozen=True)
class Retention:
    days: int
    cohort: int
    retained: int
    cohort_from: date
    cohort_to: date

    @property
    def rate(self) -> Decimal | None:
        return rate(self.retained, self.cohort)


def retention(stints: list[Stint], as_of: date, days: int, filters: Filters) -> Retention:
    cohort_to = as_of - timedelta(days=days)
    cohort_from = cohort_to - timedelta(days=364)
    cohort = hires_in(stints, cohort_from, cohort_to, filters)
    kept = [s for s in cohort if s.employed_on(s.start + timedelta(days=days))]
    return Retention(days, len(cohort), len(kept), cohort_from, cohort_to)


TENURE_BANDS = ((0, 1, "< 1 year"), (1, 2, "1–2 years"), (2, 5, "2–5 years"),
                (5, 10, "5–10 years"), (10, None, "10+ years"))


def tenure_years(start: date, on: date) -> int:
    """Completed years of service on `on`."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def tenure_band(start: date, on: date) -> str:
    years = tenure_years(start, on)
    for low, high, label in TENURE_BANDS:
        if years >= low and (high is None or years < high):
            return label
    return TENURE_BANDS[0][2]


def tenure_distribution(people: list[tuple[Stint, Job]], on: date) -> dict[str, int]:
    counts = {label: 0 for _, _, label in TENURE_BANDS}
    for s, _ in people:
        counts[tenure_band(s.start, on)] += 1
    return counts


SPAN_BANDS = ((1, 3, "1–3"), (4, 7, "4–7"), (8, 12, "8–12"), (13, None, "13+"))


@dataclass(frozen=True)
class Span:
    managers: int
    average: Decimal | None
    median: Decimal | None
    bands: dict[str, int]
    reports_of: dict[int, int]  # manager employee id -> direct reports


def span_of_control(employed: set[int], people: list[tuple[Stint, Job]]) -> Span:
    """Direct reports per manager among the people in the report (a manager counts when
    employed that day: `employed`)."""
    reports_of: dict[int, int] = {}
    for _, job in people:
        if job and job.manager_id and job.manager_id in employed:
            reports_of[job.manager_id] = reports_of.get(job.manager_id, 0) + 1
    bands = {label: 0 for _, _, label in SPAN_BANDS}
    for n in reports_of.values():
        for low, high, label in SPAN_BANDS:
            if n >= low and (high is None or n <= high):
                bands[label] += 1
    values = list(reports_of.values())
    average = (Decimal(sum(values)) / len(values)).quantize(ONE_DP, ROUND_HALF_UP) if values \
        else None
    mid = Decimal(str(median(values))).quantize(ONE_DP, ROUND_HALF_UP) if values else None
    return Span(len(values), average, mid, bands, reports_of)


CONTRACT_TYPES = frozenset({"temporary", "contractor", "intern"})


def upcoming(stints: list[Stint], as_of: date, days: int, filters: Filters) -> dict[str, list]:
    """Starts and last working days in the next `days` days; a contract end is a leave of a
    temporary, contractor or intern, or one with the reason "end of contract"."""
    until = as_of + timedelta(days=days)
    starts = hires_in(stints, as_of + timedelta(days=1), until, filters)
    leaves = leavers_in(stints, as_of + timedelta(days=1), until, filters)
    contract = [s for s in leaves
                if s.reason == "end_of_contract"
                or (s.job_on(s.end) and s.job_on(s.end).employment_type in CONTRACT_TYPES)]
    contract_ids = {id(s) for s in contract}
    others = [s for s in leaves if id(s) not in contract_ids]
    return {"starts": starts, "leaves": others, "contract_ends": contract}
