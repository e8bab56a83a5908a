"""Writes of the delivery mechanism: enqueue (inside the caller's transaction), publish (after
commit, never raising), run one item (claim, do, record), the relay, and "send again".

Guarantees, and where each comes from:
- the intent exists exactly when the change does: `delivery_enqueue` writes its row in the
  caller's transaction (it must be called inside it);
- a broker outage never fails the caller: publishing happens after commit and swallows broker
  errors; the item stays queued and the relay publishes it once the broker is back;
- each item is done once: a worker claims it with a conditional UPDATE (queued -> sending, or an
  expired lease) and records the outcome only if its claim (the attempt number) still holds;
- a dead worker's item is claimed again once its lease runs out (settings.DELIVERY_LEASE_SECONDS
  is longer than any task's hard time limit, so a live worker never loses its lease).
"""

import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from delivery.models import DeliveryItem
from delivery.registry import handler_for, is_transient

log = logging.getLogger(__name__)
S = DeliveryItem.Status
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 600
RELAY_LIMIT = 2000
# Any number that identifies "the delivery relay" among PostgreSQL advisory locks.
RELAY_LOCK_ID = 0x48524F5053_01


def _lease() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


def _republish_after() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_REPUBLISH_SECONDS)


def delivery_enqueue(*, kind: str, key: str, payload: dict | None = None,
                     group: str = "") -> DeliveryItem:
    """Record one piece of work; call it inside the transaction of the change it follows.
    Idempotent by key: an existing item is returned unchanged."""
    return delivery_enqueue_many(kind=kind, group=group,
                                 items=[(key, payload or {})])[0]


def delivery_enqueue_many(*, kind: str, items: Iterable[tuple[str, dict]],
                          group: str = "") -> list[DeliveryItem]:
    """Many items of one kind in one INSERT (a 20,000-payslip run); existing keys are kept.
    Published to the workers when the surrounding transaction commits."""
    handler_for(kind)  # fail now, in the caller's transaction, for a kind nobody handles
    pairs = list(items)
    rows = [DeliveryItem(kind=kind, key=key, payload=payload, group=group)
            for key, payload in pairs]
    DeliveryItem.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    keys = [key for key, _payload in pairs]
    created = [item for start in range(0, len(keys), 5000)
               for item in DeliveryItem.objects.filter(key__in=keys[start:start + 5000])]
    queued = [item.pk for item in created if item.status == S.QUEUED]
    if queued:
        transaction.on_commit(partial(delivery_publish, queued), robust=True)
    return created


# A long handler's soft limit comes this much before its hard one; its lease outlasts the hard
# limit by LONG_TASK_LEASE_MARGIN.
LONG_TASK_SOFT_MARGIN = 20
LONG_TASK_LEASE_MARGIN = 60


def _batches(ids: list[int]) -> list[tuple[list[int], dict]]:
    by_kind: dict[str, list[int]] = {}
    for start in range(0, len(ids), 5000):  # SQLite caps the parameters of one query
        for pk, kind in DeliveryItem.objects.filter(pk__in=ids[start:start + 5000]).order_by(
                "pk").values_list("pk", "kind"):
            by_kind.setdefault(kind, []).append(pk)
    batches = []
    for kind, pks in by_kind.items():
        found = handler_for(kind)
        options = ({"time_limit": found.time_limit,
                    "soft_time_limit": found.time_limit - LONG_TASK_SOFT_MARGIN}
                   if found.time_limit else {})
        if found.background:
            options["background"] = True
        batches.extend((pks[start:start + found.batch], options)
                       for start in range(0, len(pks), found.batch))
    return batches


def _send(batch: list[int], options: dict) -> None:
    """One batch to the broker; in embedded mode a background kind goes to the in-process
    thread instead (delivery.embedded), so the request that committed it does not wait."""
    from delivery import embedded
    from delivery.tasks import delivery_run_task

    options = dict(options)
    if options.pop("background", False) and embedded.in_background():
        embedded.submit(batch)
        return
    # No publish retries here: the relay is the retry, and a web request must not wait on a
    # broker that is down.
    delivery_run_task.apply_async((batch,), retry=False, **options)


def delivery_publish(ids: list[int], now: datetime | None = None) -> int:
    """Hand queued items to the broker; the number handed over. Never raises: at the first
    broker error it stops and un-marks the rest, which the relay publishes later."""
    now = now or timezone.now()
    try:
        batches = _batches(ids)
    except Exception:  # the database is gone too: the relay will find them
        log.exception("delivery: could not read %s item(s) to publish", len(ids))
        return 0
    # One UPDATE marks them all as handed over (a 20,000-payslip run is 1,000 messages); what a
    # broker error leaves unpublished is un-marked below.
    for start in range(0, len(ids), 5000):
        DeliveryItem.objects.filter(pk__in=ids[start:start + 5000], status=S.QUEUED).update(
            published_at=now)
    sent = 0
    for index, (batch, options) in enumerate(batches):
        try:
            _send(batch, options)
        except Exception:
            rest = [pk for b, _options in batches[index:] for pk in b]
            log.exception("delivery: broker unavailable; %s item(s) left for the relay",
                          len(rest))
            for start in range(0, len(rest), 5000):
                DeliveryItem.objects.filter(pk__in=rest[start:start + 5000], status=S.QUEUED,
                                            published_at=now).update(published_at=None)
            return sent
        sent += len(batch)
    return sent


def _claim(item_id: int, now: datetime) -> bool:
    due = Q(status=S.QUEUED, available_at__lte=now) | Q(status=S.SENDING, lease_until__lt=now)
    return bool(DeliveryItem.objects.filter(due, pk=item_id, attempts__lt=MAX_ATTEMPTS).update(
        status=S.SENDING, attempts=F("attempts") + 1, lease_until=now + _lease()))


def _backoff(attempt: int) -> timedelta:
    seconds = min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # jitter: no thundering herd


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _record_failure(item: DeliveryItem, exc: BaseException) -> str:
    mine = DeliveryItem.objects.filter(pk=item.pk, status=S.SENDING, attempts=item.attempts)
    if is_transient(exc) and item.attempts < MAX_ATTEMPTS:
        log.warning("delivery %s: attempt %s failed, will retry: %s", item.key, item.attempts,
                    _reason(exc))
        mine.update(status=S.QUEUED, lease_until=None, published_at=None,
                    available_at=timezone.now() + _backoff(item.attempts),
                    last_error=_reason(exc))
        return S.QUEUED
    log.error("delivery %s failed for good: %s", item.key, _reason(exc))
    mine.update(status=S.FAILED, lease_until=None, last_error=_reason(exc))
    return S.FAILED


def delivery_run(*, item_id: int, now: datetime | None = None) -> str | None:
    """Claim one item and do it; its new status, or None when someone else has it (or it is
    done). A handler error is recorded on the item, never raised."""
    if not _claim(item_id, now or timezone.now()):
        return None
    item = DeliveryItem.objects.get(pk=item_id)
    try:
        found = handler_for(item.kind)
        if found.time_limit:  # a long task: its lease must outlast its own hard limit
            DeliveryItem.objects.filter(pk=item.pk, status=S.SENDING,
                                        attempts=item.attempts).update(
                lease_until=timezone.now() + timedelta(
                    seconds=found.time_limit + LONG_TASK_LEASE_MARGIN))
        found.run(item)
    except Exception as exc:
        if not is_transient(exc):
            log.exception("delivery %s raised", item.key)
        return _record_failure(item, exc)
    DeliveryItem.objects.filter(pk=item.pk, status=S.SENDING, attempts=item.attempts).update(
        status=S.DONE, done_at=timezone.now(), lease_until=None, last_error="")
    return S.DONE


def _relay_lock() -> bool:
    """One relay at a time: a transaction-scoped advisory lock on PostgreSQL (SQLite already
    serialises writers: its transactions begin IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RELAY_LOCK_ID])
        return bool(cursor.fetchone()[0])


def delivery_relay(*, now: datetime | None = None, limit: int = RELAY_LIMIT) -> int:
    """Beat, every minute: take back items whose worker died (lease run out), and publish
    every queued item that is due and not handed to the broker recently. The count published."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _relay_lock():
            return 0
        expired = DeliveryItem.objects.filter(status=S.SENDING, lease_until__lt=now)
        expired.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=S.FAILED, lease_until=None,
            last_error=_("The worker stopped during every attempt."))
        expired.update(status=S.QUEUED, lease_until=None, published_at=None,
                       last_error=_("The worker stopped before finishing; queued again."))
        due = list(DeliveryItem.objects.filter(
            Q(published_at__isnull=True) | Q(published_at__lt=now - _republish_after()),
            status=S.QUEUED, available_at__lte=now,
        ).order_by("pk").values_list("pk", flat=True)[:limit])
        # Marked inside the lock, so a second relay right behind this one skips them.
        DeliveryItem.objects.filter(pk__in=due).update(published_at=now)
    if due:
        log.info("delivery relay: publishing %s item(s)", len(due))
    return delivery_publish(due, now=now)


PURGE_BATCH = 5000


def delivery_purge_done(*, older_than_days: int | None = None, batch: int = PURGE_BATCH,
                        now: datetime | None = None) -> int:
    """Daily: delete items done more than `older_than_days` (DELIVERY_PURGE_DONE_DAYS) ago;
    the count. Failed and undelivered items stay (someone may need to act on them). Deleted in
    batches of `batch` rows, each its own short transaction, so a 20,000-payslip run's 40,000
    items never hold one long lock. Safe to run twice: a second run finds nothing. Every
    handler stays idempotent by its own state (the PDF claim, `emailed_at`...), so a key
    enqueued again after its item is gone does no work twice."""
    days = settings.DELIVERY_PURGE_DONE_DAYS if older_than_days is None else older_than_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    removed = 0
    while True:
        ids = list(DeliveryItem.objects.filter(status=S.DONE, done_at__lt=cutoff)
                   .order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return removed
        removed += DeliveryItem.objects.filter(pk__in=ids, status=S.DONE).delete()[0]
        if len(ids) < batch:
            return removed


def _require_admin_for(item: DeliveryItem, acting_user) -> None:
    from accounts.roles import Role, has_role

    if not has_role(acting_user, Role.PAYROLL_ADMIN if item.group.startswith("payrun:")
                    else Role.HR_ADMIN):
        raise PermissionDenied(_("You may not send this again."))


RETRYABLE = (S.FAILED, S.QUEUED)


@transaction.atomic
def delivery_retry(*, item: DeliveryItem, acting_user) -> DeliveryItem:
    """"Send again": a failed (or backing-off) item goes back to the queue now, with a fresh
    count of attempts; audited."""
    item = DeliveryItem.objects.select_for_update().get(pk=item.pk)
    _require_admin_for(item, acting_user)
    if item.status not in RETRYABLE:
        raise ValidationError(_("Only a failed or waiting item can be sent again."))
    before = item.status
    item.status, item.attempts, item.available_at = S.QUEUED, 0, timezone.now()
    item.published_at, item.lease_until = None, None
    item.save(update_fields=["status", "attempts", "available_at", "published_at",
                             "lease_until"])
    audit_record(actor=acting_user, action="other", obj=item,
                 note=f"delivery sent again after: {item.last_error[:150]}",
                 changes={"status": [before, S.QUEUED]})
    transaction.on_commit(partial(delivery_publish, [item.pk]), robust=True)
    return item


@transaction.atomic
def delivery_retry_group(*, group: str, kind: str, status: str, acting_user) -> int:
    """"Retry all" for one state of one kind on a page (e.g. a run's failed emails): one UPDATE
    and one audit event, however many items."""
    if status not in RETRYABLE:
        raise ValidationError(_("Only failed or waiting items can be sent again."))
    items = DeliveryItem.objects.select_for_update().filter(group=group, kind=kind, status=status)
    ids = list(items.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    _require_admin_for(DeliveryItem(group=group), acting_user)
    DeliveryItem.objects.filter(pk__in=ids).update(
        status=S.QUEUED, attempts=0, available_at=timezone.now(), published_at=None,
        lease_until=None)
    audit_record(actor=acting_user, action="other", obj=DeliveryItem.objects.get(pk=ids[0]),
                 note=f"{len(ids)} {kind} item(s) of {group} sent again",
                 changes={"status": [status, S.QUEUED], "items": [None, len(ids)]})
    transaction.on_commit(partial(delivery_publish, ids), robust=True)
    return len(ids)
