"""The morning digest: one email per person per day, listing their tasks due today or overdue.

Exactly-once per (user, day) comes from DigestSent's unique constraint. The row is inserted (and
committed) BEFORE the email goes out: a second beat run, a retried task or a second worker racing
for the same person hits the constraint and sends nothing. If sending then fails, the claim is
removed again so the retry can send (at-least-once beats silently losing the day's digest).
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from hrops.mail import send_templated_email
from lifecycle.models import DigestSent
from lifecycle.selectors import digest_recipient_ids, digest_tasks_for
from lifecycle.services.checklists import assignee_label, task_url

log = logging.getLogger(__name__)


def digest_claim(*, user_id: int, day: date, task_count: int) -> DigestSent | None:
    """Insert the (user, day) row; None when someone else already has it."""
    try:
        with transaction.atomic():
            return DigestSent.objects.create(user_id=user_id, day=day, task_count=task_count)
    except IntegrityError:
        return None


def digest_send(*, user_id: int, day: date | None = None) -> bool:
    """Send one user's digest for `day` unless it was already sent. Returns True if sent."""
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
    claim = digest_claim(user_id=user_id, day=day, task_count=len(tasks))
    if claim is None:
        return False
    rows = [
        {"title": t.title, "employee": t.checklist.employee.display_name, "due": t.due_date,
         "overdue": t.due_date < day, "url": task_url(t), "assignee": assignee_label(t)}
        for t in tasks
    ]
    try:
        send_templated_email(
            "lifecycle_digest",
            {"user": user, "day": day, "tasks": rows,
             "overdue_count": sum(1 for r in rows if r["overdue"])},
            to=[user.email],
        )
    except Exception:
        claim.delete()
        raise
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
