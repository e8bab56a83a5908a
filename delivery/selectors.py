"""Reads of the delivery mechanism: counts per state for a page, the oldest waiting item."""

from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from delivery.models import DeliveryItem

S = DeliveryItem.Status


# The ETA is the work left at the pace of the last few minutes' finished items.
ETA_WINDOW_SECONDS = 300


def delivery_counts(*, group: str, kinds: list[str],
                    now: datetime | None = None) -> dict[str, dict]:
    """{kind: {"counts": {status: n}, "oldest_waiting": datetime | None, "per_second": float |
    None, "eta_seconds": float | None}} in one query. The rate is the items done in the last
    ETA_WINDOW_SECONDS over the time since the first of them; no rate, no ETA."""
    now = now or timezone.now()
    since = now - timedelta(seconds=ETA_WINDOW_SECONDS)
    result = {kind: {"counts": dict.fromkeys(S.values, 0), "oldest_waiting": None,
                     "per_second": None, "eta_seconds": None} for kind in kinds}
    recent = Q(status=S.DONE, done_at__gte=since)
    rows = (DeliveryItem.objects.filter(group=group, kind__in=kinds)
            .values("kind", "status").annotate(
                n=Count("pk"), oldest=Min("created_at"), recent=Count("pk", filter=recent),
                first_recent=Min("done_at", filter=recent))
            .order_by())
    for row in rows:
        entry = result[row["kind"]]
        entry["counts"][row["status"]] = row["n"]
        if row["status"] in DeliveryItem.UNDELIVERED:
            known = entry["oldest_waiting"]
            entry["oldest_waiting"] = min(known, row["oldest"]) if known else row["oldest"]
        elif row["status"] == S.DONE and row["recent"] >= 2:
            elapsed = max((now - row["first_recent"]).total_seconds(), 1.0)
            entry["per_second"] = row["recent"] / elapsed
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
