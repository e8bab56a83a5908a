"""The workforce report a page, an export and `report_export` share: the numbers for one
as-of date, filters and trend length. A fixed number of queries, whatever the headcount."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from analytics import metrics
from analytics.asof import as_of_figures, retention_figures
from analytics.facts import Stint, stints_load, stints_starting_or_ending
from analytics.metrics import Filters, Month, months_back
from analytics.models import HeadcountPlan, SnapshotRun
from analytics.snapshot import filters_need_live, snapshot_covering, snapshot_months

UPCOMING_DAYS = 90
TREND_CHOICES = (12, 24, 36, 60)


@dataclass
class TrendRow:
    month: Month
    trailing: Decimal | None
    plan_headcount: int | None = None
    plan_fte: Decimal | None = None

    @property
    def variance(self) -> int | None:
        """Actual minus plan: negative means open positions."""
        if self.plan_headcount is None:
            return None
        return self.month.headcount - self.plan_headcount

    @property
    def open_positions(self) -> int | None:
        if self.plan_headcount is None:
            return None
        return max(self.plan_headcount - self.month.headcount, 0)


@dataclass
class WorkforceReport:
    as_of: date
    filters: Filters
    headcount: int
    fte: Decimal
    trend: list[TrendRow]
    source: str  # "snapshot" or "live"
    refreshed_at: object
    retention_90: metrics.Retention
    retention_365: metrics.Retention
    tenure: dict[str, int]
    span: metrics.Span
    upcoming: dict[str, list[Stint]]


def report_today() -> date:
    """The day the trend's current month is read on (tests pin it)."""
    return timezone.localdate()


def trend(filters: Filters, months_wanted: int, as_of: date,
          today: date | None = None) -> tuple[list[TrendRow], str, object]:
    """Month-end figures (this month: today) for the months ending with as_of's month, with the
    trailing-12-month turnover, from the snapshot when it covers them, else computed live."""
    today = today or report_today()
    end = min(as_of, today)
    months = months_back(end, months_wanted + 11)
    run = None if filters_need_live(filters) else snapshot_covering(months)
    if run is not None:
        series, source, refreshed = snapshot_months(months, filters), "snapshot", run.refreshed_at
    else:
        stints = stints_load(filters.employee_ids)
        series, source, refreshed = metrics.live_months(stints, months, filters, today), "live", \
            None
    rows = [TrendRow(m, metrics.trailing_turnover(series, i)) for i, m in enumerate(series)]
    return rows[11:], source, refreshed


def _attach_plan(rows: list[TrendRow], filters: Filters) -> None:
    """The plan applies to whole departments: shown when the report is not narrowed by
    location, country, type or people."""
    if filters.location_id or filters.country or filters.employment_type \
            or filters.employee_ids is not None:
        return
    plans = HeadcountPlan.objects.filter(month__in=[r.month.month for r in rows])
    if filters.department_ids is not None:
        plans = plans.filter(department_id__in=filters.department_ids)
    totals: dict[date, list] = {}
    for month, headcount, fte in plans.values_list("month", "budget_headcount", "budget_fte"):
        total = totals.setdefault(month, [0, Decimal("0")])
        total[0] += headcount
        total[1] += fte
    for row in rows:
        if row.month.month in totals:
            row.plan_headcount, row.plan_fte = totals[row.month.month]


def workforce_report(*, filters: Filters, as_of: date, months: int) -> WorkforceReport:
    """A fixed number of queries: the as-of figures aggregated in SQL (analytics.asof), the
    trend from the snapshot, the next 90 days' starts and leaves (few people) in Python."""
    figures = as_of_figures(as_of, filters)
    retention_90, retention_365 = retention_figures(as_of, filters)
    ahead = stints_starting_or_ending(as_of + timedelta(days=1),
                                      as_of + timedelta(days=UPCOMING_DAYS), filters.employee_ids)
    rows, source, refreshed = trend(filters, months, as_of)
    _attach_plan(rows, filters)
    return WorkforceReport(
        as_of=as_of, filters=filters, headcount=figures.headcount, fte=figures.fte,
        trend=rows, source=source, refreshed_at=refreshed, retention_90=retention_90,
        retention_365=retention_365, tenure=figures.tenure, span=figures.span,
        upcoming=metrics.upcoming(ahead, as_of, UPCOMING_DAYS, filters),
    )


def snapshot_status() -> SnapshotRun | None:
    return SnapshotRun.objects.filter(pk=1).first()
