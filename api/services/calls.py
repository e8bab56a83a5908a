"""The per-call log is kept API_CALL_LOG_KEEP_DAYS (default 90), then deleted in batches by a
daily job: idempotent (a second run the same day finds nothing older to delete)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from api.models import ApiCall

BATCH = 5000


def api_calls_purge(*, now=None) -> int:
    days = int(getattr(settings, "API_CALL_LOG_KEEP_DAYS", 90))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(ApiCall.objects.filter(at__lt=cutoff).order_by("id")
                   .values_list("id", flat=True)[:BATCH])
        if not ids:
            return deleted
        deleted += ApiCall.objects.filter(id__in=ids).delete()[0]
