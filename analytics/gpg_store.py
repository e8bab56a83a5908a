"""The UK gender pay gap figures computed once per snapshot date, sector and legal employer and
stored (analytics.PayGapResult): the page, exports and saved reports read the stored figures
(two queries) instead of every relevant employee's payslips.

When they are recomputed:
- "Recalculate" on the page (a delivery item: the work is durable and done by a worker);
- the nightly refresh (analytics.snapshot), for every stored result that is stale, and for the
  results of the last two snapshot years whatever their state (inputs without a timestamp:
  contracted hours, working patterns, unpaid leave, employment dates);
- the first time a snapshot is asked for (nothing stored yet: computed and stored then).
Stale: a pay run was finalised after the figures were computed whose pay period contains the
snapshot date or whose pay date falls in the 12 months of bonus pay (SI 2017/172 regs. 5 and
10-12), or a gender was recorded (HR's pay gap record, the employee's self-identification)
since. The page says so and offers "Recalculate"; a test checks stored equals live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from analytics.gpg import PayGapReport, pay_gap_report
from analytics.gpg_data import snapshot_date
from analytics.gpg_rules import Figures
from analytics.models import PayGapGender, PayGapResult, SelfIdentification

REFRESH_KIND = "analytics.pay_gap_refresh"
SCALARS = ("relevant", "men", "women", "full_pay_men", "full_pay_women")
PERCENTS = ("mean_gap", "median_gap", "mean_bonus_gap", "median_bonus_gap",
            "men_bonus_percent", "women_bonus_percent")


@dataclass
class StoredPayGap:
    report: PayGapReport
    computed_at: datetime
    excluded: dict[str, int] = field(default_factory=dict)
    stale_since: datetime | None = None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def figures_to_json(figures: Figures) -> dict:
    excluded: dict[str, int] = {}
    for row in figures.rows:
        if row.reason:
            excluded[row.reason] = excluded.get(row.reason, 0) + 1
    return {
        **{name: getattr(figures, name) for name in SCALARS},
        **{name: _text(getattr(figures, name)) for name in PERCENTS},
        "quartiles": [[band, _text(men), _text(women), size]
                      for band, men, women, size in figures.quartiles],
        "excluded": excluded,
    }


def figures_from_json(data: dict) -> tuple[Figures, dict[str, int]]:
    figures = Figures(**{name: data[name] for name in SCALARS},
                      **{name: _decimal(data[name]) for name in PERCENTS})
    figures.quartiles = [(band, _decimal(men), _decimal(women), size)
                         for band, men, women, size in data["quartiles"]]
    return figures, dict(data.get("excluded", {}))


def pay_gap_store(year: int, sector: str = "private", employer: str = "") -> PayGapResult:
    """Compute the figures from the record and store them (idempotent: the same data gives the
    same row). The computation reads outside the transaction; the write is one upsert."""
    started = timezone.now()
    report = pay_gap_report(year, sector, employer)
    with transaction.atomic():
        result, _ = PayGapResult.objects.update_or_create(
            snapshot=report.snapshot, sector=sector, employer=employer,
            defaults={"computed_at": started, "figures": figures_to_json(report.figures)})
    return result


def stale_since(result: PayGapResult) -> datetime | None:
    """When an input with a timestamp changed after the figures were computed (None: not)."""
    from payroll.models import PayRun

    day = result.snapshot
    bonus_from = day.replace(year=day.year - 1) + timedelta(days=1)
    moments = list(PayRun.objects.filter(
        finalised_at__gt=result.computed_at, status__in=("finalised", "paid")).filter(
        Q(period__start_date__lte=day, period__end_date__gte=day)
        | Q(pay_date__range=(bonus_from, day))).order_by("finalised_at").values_list(
        "finalised_at", flat=True)[:1])
    for model in (PayGapGender, SelfIdentification):
        moments += list(model.objects.filter(updated_at__gt=result.computed_at).order_by(
            "updated_at").values_list("updated_at", flat=True)[:1])
    return min(moments) if moments else None


def pay_gap_report_stored(year: int, sector: str = "private", employer: str = "",
                          *, with_state: bool = False):
    """The stored figures (computed and stored first if there are none): a PayGapReport whose
    figures carry no audit-sheet rows; with_state: a StoredPayGap (when, stale since, the
    numbers left out by reason)."""
    day = snapshot_date(year, sector)
    result = PayGapResult.objects.filter(snapshot=day, sector=sector, employer=employer).first()
    if result is None:
        result = pay_gap_store(year, sector, employer)
    figures, excluded = figures_from_json(result.figures)
    report = PayGapReport(day, sector, employer, figures)
    if not with_state:
        return report
    return StoredPayGap(report, result.computed_at, excluded, stale_since(result))


def pay_gap_refresh_request(*, acting_user, year: int, sector: str, employer: str):
    """"Recalculate": one delivery item (durable; a worker computes). Keyed by the minute, so a
    double click queues one recalculation."""
    from delivery.services import delivery_enqueue

    stamp = timezone.now().strftime("%Y%m%d%H%M")
    with transaction.atomic():
        return delivery_enqueue(
            kind=REFRESH_KIND, key=f"paygap:{year}:{sector}:{employer}:{stamp}",
            payload={"year": year, "sector": sector, "employer": employer,
                     "requested_by": acting_user.pk})


def pay_gap_refresh_due(today: date | None = None) -> int:
    """The nightly part: recompute every stored result that is stale or of the last two
    snapshot years, and store the latest private-sector snapshot of all GB employees if it is
    not stored yet (the page's default). The number computed."""
    from analytics.forms_gpg import default_year

    today = today or timezone.localdate()
    done = 0
    for result in PayGapResult.objects.order_by("snapshot", "sector", "employer"):
        recent = result.snapshot.year >= today.year - 1
        if recent or stale_since(result) is not None:
            pay_gap_store(result.snapshot.year, result.sector, result.employer)
            done += 1
    latest = default_year()
    if not PayGapResult.objects.filter(snapshot=snapshot_date(latest, "private"),
                                       sector="private", employer="").exists():
        pay_gap_store(latest, "private", "")
        done += 1
    return done
