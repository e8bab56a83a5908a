"""The monthly workforce snapshot: the live computation (analytics.metrics) pre-aggregated by
month and dimension so a 5-year trend at 20,000 people is one small GROUP BY. Rebuilt whole by
`snapshot_refresh` (nightly job and "Refresh now"); tests/analytics checks it equals the live
computation for every filter."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from analytics.facts import Stint, stints_load
from analytics.metrics import Filters, Month, month_start, months_back, point_day
from analytics.models import (
    ComplianceCoverageSnapshot,
    PayrollCostSnapshot,
    SnapshotRun,
    WorkforceSnapshot,
)

# 5 years of trend, 12 more months for the first trailing-12-month rate, 1 for its opening.
SNAPSHOT_MONTHS = 60 + 12 + 1
COVERAGE_MONTHS = 60  # compliance coverage: five years
NO_DIMS = (None, None, "", "")


def _month_index(first: date, day: date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _cells(stints: list[Stint], months: list[date], as_of: date) -> dict[tuple, list]:
    """(month index, dims) -> [headcount, fte, hires, voluntary, involuntary, other]."""
    cells: dict[tuple, list] = defaultdict(lambda: [0, Decimal("0"), 0, 0, 0, 0])
    days = [point_day(m, as_of) for m in months]
    first, n = months[0], len(months)
    kind_column = {"voluntary": 3, "involuntary": 4, "other": 5}
    for s in stints:
        low = max(0, _month_index(first, s.start))
        high = min(n - 1, _month_index(first, min(s.end or as_of, as_of)))
        for i in range(low, high + 1):
            if s.employed_on(days[i]):
                job = s.job_on(days[i])
                cell = cells[(i, job.dims if job else NO_DIMS)]
                cell[0] += 1
                cell[1] += job.fte if job else 0
        if s.start <= as_of and 0 <= _month_index(first, s.start) < n:
            job = s.job_on(s.start)
            cells[(_month_index(first, s.start), job.dims if job else NO_DIMS)][2] += 1
        if s.end is not None and s.end <= as_of and 0 <= _month_index(first, s.end) < n:
            job = s.job_on(s.end)
            cells[(_month_index(first, s.end), job.dims if job else NO_DIMS)][
                kind_column[s.kind]] += 1
    return cells


def snapshot_refresh(*, as_of: date | None = None) -> SnapshotRun:
    """Rebuild the whole snapshot from the record (idempotent: the same data gives the same
    rows). Figures of as_of's month are taken on as_of."""
    as_of = as_of or timezone.localdate()
    months = months_back(as_of, SNAPSHOT_MONTHS)
    cells = _cells(stints_load(), months, as_of)  # outside the transaction: reads only
    from payroll.selectors_cost import payroll_cost_by_department_month

    costs = [PayrollCostSnapshot(
        month=r["month"].date() if hasattr(r["month"], "date") else r["month"],
        department_id=r["department_id_at"], currency=r["currency"], people=r["people"],
        gross=r["gross"], employer_tax=r["employer_tax"], employer_cost=r["employer_cost"])
        for r in payroll_cost_by_department_month(months[0], as_of)]
    from analytics.coverage import coverage_live

    coverage = [ComplianceCoverageSnapshot(month=c.month, required=c.required,
                                           compliant=c.compliant)
                for c in coverage_live(months[-COVERAGE_MONTHS:])]
    rows = [WorkforceSnapshot(
        month=months[i], department_id=dims[0], location_id=dims[1], country=dims[2] or "",
        employment_type=dims[3] or "", headcount=c[0], fte=c[1], hires=c[2],
        leavers_voluntary=c[3], leavers_involuntary=c[4], leavers_other=c[5])
        for (i, dims), c in cells.items()]
    with transaction.atomic():
        # The run row is the lock: two refreshes at once take turns instead of colliding.
        SnapshotRun.objects.get_or_create(pk=1, defaults={
            "refreshed_at": timezone.now(), "first_month": months[0], "last_month": months[-1]})
        run = SnapshotRun.objects.select_for_update().get(pk=1)
        WorkforceSnapshot.objects.all().delete()
        WorkforceSnapshot.objects.bulk_create(rows, batch_size=2000)
        PayrollCostSnapshot.objects.all().delete()
        PayrollCostSnapshot.objects.bulk_create(costs, batch_size=2000)
        ComplianceCoverageSnapshot.objects.all().delete()
        ComplianceCoverageSnapshot.objects.bulk_create(coverage, batch_size=2000)
        run.refreshed_at, run.first_month, run.last_month = (
            timezone.now(), months[0], months[-1])
        run.rows = len(rows)
        run.save()
    return run


def snapshot_covering(months: list[date]) -> SnapshotRun | None:
    """The snapshot run when it holds these months and the one before them."""
    run = SnapshotRun.objects.filter(pk=1).first()
    if run is None:
        return None
    before = month_start(months[0] - timedelta(days=1))
    return run if run.first_month <= before and run.last_month >= months[-1] else None


def filters_need_live(filters: Filters | None) -> bool:
    """A set of people (a manager's subtree) is not a dimension of the snapshot."""
    return filters is not None and filters.employee_ids is not None


def snapshot_months(months: list[date], filters: Filters) -> list[Month]:
    """The monthly series read from the snapshot: one query."""
    before = month_start(months[0] - timedelta(days=1))
    q = Q(month__gte=before, month__lte=months[-1])
    if filters.department_ids is not None:
        q &= Q(department_id__in=filters.department_ids)
    if filters.location_id is not None:
        q &= Q(location_id=filters.location_id)
    if filters.country:
        q &= Q(country=filters.country)
    if filters.employment_type:
        q &= Q(employment_type=filters.employment_type)
    totals = {row["month"]: row for row in WorkforceSnapshot.objects.filter(q).values(
        "month").annotate(hc=Sum("headcount"), fte_sum=Sum("fte"), h=Sum("hires"),
                          v=Sum("leavers_voluntary"), i=Sum("leavers_involuntary"),
                          o=Sum("leavers_other")).order_by()}
    out = []
    previous = totals.get(before, {}).get("hc") or 0
    for first in months:
        row = totals.get(first, {})
        month = Month(first, headcount=row.get("hc") or 0,
                      fte=Decimal(row.get("fte_sum") or 0), hires=row.get("h") or 0,
                      opening=previous)
        month.leavers = {"voluntary": row.get("v") or 0, "involuntary": row.get("i") or 0,
                         "other": row.get("o") or 0}
        previous = month.headcount
        out.append(month)
    return out


def snapshot_payroll_cost(first: date, last: date) -> list[dict] | None:
    """Payroll cost rows (as payroll.selectors_cost gives them) from the snapshot when it
    holds first..last whole and no run was finalised since it was taken; None otherwise (the
    caller computes live). Three queries."""
    from payroll.selectors_cost import runs_finalised_since

    run = SnapshotRun.objects.filter(pk=1).first()
    if run is None or run.first_month > first or last < timezone.localdate(run.refreshed_at) \
            or runs_finalised_since(run.refreshed_at):
        return None
    return [{"month": r.month, "department_id_at": r.department_id, "currency": r.currency,
             "people": r.people, "gross": r.gross, "employer_tax": r.employer_tax,
             "employer_cost": r.employer_cost}
            for r in PayrollCostSnapshot.objects.filter(
                month__gte=first.replace(day=1), month__lte=last).order_by(
                "month", "department_id", "currency")]
