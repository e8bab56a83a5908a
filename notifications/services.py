"""Writes for in-app notifications. Other apps call `notify` (or `notify_many` for many people
at once) inside the transaction of the change they report, so a notification exists exactly
when the change does; both are idempotent on `key`."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import Notification

TEXT_MAX = Notification._meta.get_field("text").max_length
URL_MAX = Notification._meta.get_field("url").max_length


@dataclass(frozen=True)
class Note:
    recipient_user: object
    kind: str
    text: str
    url: str
    key: str | None = None


def _row(note: Note) -> Notification | None:
    user = note.recipient_user
    if user is None or not getattr(user, "is_active", False):
        return None  # nobody to tell (a manager without a login, a deactivated user)
    return Notification(recipient=user, kind=note.kind, text=str(note.text)[:TEXT_MAX],
                        url=note.url[:URL_MAX], key=note.key or "")


def notify(*, recipient_user, kind: str, text: str, url: str, key: str | None = None
           ) -> Notification | None:
    """Tell one user about something, linking to it. With a key, a second call for the same
    (user, key) changes nothing and returns the first row; None when there is nobody to tell."""
    row = _row(Note(recipient_user, kind, text, url, key))
    if row is None:
        return None
    if key is None:
        row.save()
        return row
    # ON CONFLICT DO NOTHING (PostgreSQL and SQLite): no savepoint, no IntegrityError to catch.
    Notification.objects.bulk_create([row], ignore_conflicts=True)
    return Notification.objects.get(recipient=row.recipient, key=key)


def notify_many(notes: Iterable[Note], *, batch_size: int = 1000) -> int:
    """Many notifications in a few INSERTs; rows whose (user, key) exist already are skipped.
    Returns how many were offered."""
    rows = [row for row in map(_row, notes) if row is not None]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    return len(rows)


def notify_user_ids(*, user_ids: Iterable[int] | QuerySet, kind: str, text: str, url: str,
                    key: str | None = None, batch_size: int = 1000) -> int:
    """The same notification to many users by id (a policy published to 20,000 people: a few
    INSERTs, no User loaded). Inactive users are left out in one query."""
    from django.contrib.auth import get_user_model

    # A values_list QuerySet stays a subquery (no 20,000 bound parameters).
    ids = user_ids if isinstance(user_ids, QuerySet) else list(user_ids)
    active = get_user_model().objects.filter(pk__in=ids, is_active=True).values_list(
        "pk", flat=True)
    rows = [Notification(recipient_id=pk, kind=kind, text=str(text)[:TEXT_MAX],
                         url=url[:URL_MAX], key=key or "") for pk in active]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=batch_size)
    return len(rows)


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read (someone else's: None, nothing changes)."""
    found = (Notification.objects.select_for_update()
             .filter(pk=notification_id, recipient=user).first())
    if found is not None and found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return found


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
