"""Reads of the delivery mechanism: counts per state for a page, the oldest waiting item."""

from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from delivery.models import DeliveryItem

S = DeliveryItem.Status


# The ETA is the work left at the pace of the last few minutes' finished items: at most the
# newest ETA_SAMPLE of them, so a run sending 30 a second reads 200 index entries, not 9,000.
ETA_WINDOW_SECONDS = 300
ETA_SAMPLE = 200


def delivery_counts(*, group: str, kinds: list[str], now: datetime | None = None,
                    done_kinds: list[str] | None = None) -> dict[str, dict]:
    """{kind: {"counts": {status: n}, "oldest_waiting": datetime | None, "per_second": float |
    None, "eta_seconds": float | None}}. The counts are index-only reads of
    (group, kind, status), so a finished run of 40,000 items reads no table row: the items not
    done (few, probed by status), and the done ones only of ``done_kinds`` (default: every
    kind; a page that shows no "done" figure for a kind need not count its thousands). Only
    while something is still undelivered do more queries read the waiting items' age (one
    query, few rows) and, per kind still busy, the pace: the newest ETA_SAMPLE items done in
    the last ETA_WINDOW_SECONDS over the time since the oldest of them (a backward range of
    the partial index delivery_group_done, so the read is bounded however fast the run
    goes). Fewer than two: no rate, no ETA."""
    now = now or timezone.now()
    done_kinds = kinds if done_kinds is None else done_kinds
    result = {kind: {"counts": dict.fromkeys(S.values, 0), "oldest_waiting": None,
                     "per_second": None, "eta_seconds": None} for kind in kinds}
    def counts(**where):
        return (DeliveryItem.objects.filter(group=group, **where).values("kind", "status")
                .annotate(n=Count("*")).order_by())

    # One round trip; each half is an index range of its own (an OR would walk every item).
    rows = counts(kind__in=kinds, status__in=[s for s in S.values if s != S.DONE])
    if done_kinds:
        rows = rows.union(counts(kind__in=done_kinds, status=S.DONE), all=True).order_by()
    for row in rows:
        result[row["kind"]]["counts"][row["status"]] = row["n"]
    busy = [kind for kind in kinds
            if any(result[kind]["counts"][s] for s in DeliveryItem.UNDELIVERED)]
    if not busy:
        return result
    # Two small range reads rather than one OR (which reads every item of the group): the
    # waiting items on delivery_group_kind_status, the recent ones on delivery_group_done.
    items = DeliveryItem.objects.filter(group=group, kind__in=busy).order_by().values("kind")
    for row in items.filter(status__in=DeliveryItem.UNDELIVERED).annotate(
            oldest=Min("created_at")):
        result[row["kind"]]["oldest_waiting"] = row["oldest"]
    since = now - timedelta(seconds=ETA_WINDOW_SECONDS)
    for kind in busy:  # a backward range of delivery_group_done, cut at ETA_SAMPLE entries
        recent = list(DeliveryItem.objects.filter(
            group=group, kind=kind, status=S.DONE, done_at__gte=since).order_by(
            "-done_at").values_list("done_at", flat=True)[:ETA_SAMPLE])
        if len(recent) >= 2:
            elapsed = max((now - recent[-1]).total_seconds(), 1.0)
            result[kind]["per_second"] = len(recent) / elapsed
    for entry in result.values():
        left = sum(entry["counts"][s] for s in DeliveryItem.UNDELIVERED)
        if left and entry["per_second"]:
            entry["eta_seconds"] = left / entry["per_second"]
    return result


def delivery_attention(*, group: str, kinds: list[str], limit: int = 100) -> list[DeliveryItem]:
    """Items a person may need to act on: failed, or retrying after an error."""
    return list(
        DeliveryItem.objects.filter(Q(status=S.FAILED) | (Q(status=S.QUEUED) & ~Q(last_error="")),
                                    group=group, kind__in=kinds)
        .order_by("status", "pk")[:limit]
    )


def delivery_oldest_undelivered(now: datetime | None = None) -> float | None:
    """Seconds the oldest queued or in-progress item has waited, or None (nothing waiting)."""
    oldest = DeliveryItem.objects.filter(status__in=DeliveryItem.UNDELIVERED).aggregate(
        oldest=Min("created_at"))["oldest"]
    if oldest is None:
        return None
    return max(0.0, ((now or timezone.now()) - oldest).total_seconds())
