"""The morning digest: one email per person per day, listing their tasks due today or overdue.

One per (user, day) comes from DigestSent's unique constraint: the row is inserted together with
the digest's delivery item (delivery/), in one transaction, so a second beat run or a second
worker racing for the same person hits the constraint and queues nothing. The item then delivers
the email at least once (retried with backoff on a relay timeout or 4xx, failed with the reason
otherwise), with a stable Message-ID; nothing is counted as sent before the relay accepted it.
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.services import delivery_enqueue
from lifecycle.models import DigestSent
from lifecycle.selectors import digest_recipient_ids, digest_tasks_for
from lifecycle.services.checklists import assignee_label, task_url

log = logging.getLogger(__name__)


DIGEST_KIND = "lifecycle.digest"


def digest_claim(*, user_id: int, day: date, task_count: int) -> DigestSent | None:
    """Insert the (user, day) row and the digest's delivery item; None when someone else already
    has it."""
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(user_id=user_id, day=day, task_count=task_count)
            delivery_enqueue(kind=DIGEST_KIND, key=f"{DIGEST_KIND}:{user_id}:{day.isoformat()}",
                             payload={"user_id": user_id, "day": day.isoformat()},
                             group=f"user:{user_id}")
            return claim
    except IntegrityError:
        return None


def digest_send(*, user_id: int, day: date | None = None) -> bool:
    """Queue one user's digest for `day` unless it was already queued. Returns True if queued;
    the email goes out when the transaction commits (see `digest_deliver`)."""
    day = day or timezone.localdate()
    user = get_user_model().objects.filter(pk=user_id, is_active=True,
                                           receives_task_digest=True).first()
    if user is None:
        return False
    if DigestSent.objects.filter(user_id=user_id, day=day).exists():
        return False  # cheap early exit; the claim below is what actually guarantees once
    tasks = digest_tasks_for(user, day)
    if not tasks:
        return False
    return digest_claim(user_id=user_id, day=day, task_count=len(tasks)) is not None


def digest_deliver(*, item: DeliveryItem) -> bool:
    """Send the digest of one delivery item; the tasks are read now, so one completed since the
    beat is not listed. False when there is nothing (left) to send."""
    user_id, day = item.payload["user_id"], date.fromisoformat(item.payload["day"])
    user = get_user_model().objects.filter(pk=user_id, is_active=True,
                                           receives_task_digest=True).first()
    tasks = digest_tasks_for(user, day) if user is not None else []
    if not tasks:
        log.info("digest for user %s on %s: nothing left to send", user_id, day)
        return False
    rows = [
        {"title": t.title, "employee": t.checklist.employee.display_name, "due": t.due_date,
         "overdue": t.due_date < day, "url": task_url(t), "assignee": assignee_label(t)}
        for t in tasks
    ]
    send_item_email(item, "lifecycle_digest",
                    {"user": user, "day": day, "tasks": rows,
                     "overdue_count": sum(1 for r in rows if r["overdue"])}, to=[user.email])
    return True


def digest_recipients(day: date | None = None) -> list[int]:
    day = day or timezone.localdate()
    already = set(DigestSent.objects.filter(day=day).values_list("user_id", flat=True))
    return sorted(digest_recipient_ids(day) - already)


@transaction.atomic
def digest_preference_set(*, acting_user, user, enabled: bool) -> bool:
    """Turn the user's morning digest on or off. Returns True when it changed."""
    from audit.services import audit_record

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.receives_task_digest == enabled:
        return False
    user.receives_task_digest = enabled
    user.save(update_fields=["receives_task_digest"])
    audit_record(actor=acting_user, action="update", obj=user,
                 changes={"receives_task_digest": [not enabled, enabled]})
    return True
