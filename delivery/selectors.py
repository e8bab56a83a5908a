"""Reads of the delivery mechanism: counts per state for a page, the oldest waiting item."""

from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from delivery.models import DeliveryItem

S = DeliveryItem.Status


def delivery_counts(*, group: str, kinds: list[str]) -> dict[str, dict]:
    """{kind: {"counts": {status: n}, "oldest_waiting": datetime | None}} in one query."""
    result = {kind: {"counts": dict.fromkeys(S.values, 0), "oldest_waiting": None}
              for kind in kinds}
    rows = (DeliveryItem.objects.filter(group=group, kind__in=kinds)
            .values("kind", "status").annotate(n=Count("pk"), oldest=Min("created_at"))
            .order_by())
    for row in rows:
        entry = result[row["kind"]]
        entry["counts"][row["status"]] = row["n"]
        if row["status"] in DeliveryItem.UNDELIVERED:
            known = entry["oldest_waiting"]
            entry["oldest_waiting"] = min(known, row["oldest"]) if known else row["oldest"]
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
