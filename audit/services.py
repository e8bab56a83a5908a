"""Recording audit events. Every service that writes people, pay or compliance data calls
`audit_record` inside its transaction, so the event exists exactly when the change does."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from audit.context import current
from audit.models import AuditEvent

MASK = "••••"


def mask_secret(value: object) -> str:
    """Last four characters only: enough to recognise, useless to steal."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    return f"{MASK}{text[-4:]}" if len(text) > 4 else MASK


def _plain(value: object) -> object:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """Field values of `instance` as JSON-ready values (foreign keys as their labels)."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(
    before: Mapping[str, object],
    after: Mapping[str, object],
    *,
    secret_fields: Iterable[str] = (),
) -> dict[str, list[object]]:
    """{field: [before, after]} for the fields whose value changed; secrets masked."""
    secrets = set(secret_fields)
    if not before and not secrets:
        # A creation (every value new): the same result without comparing each field with
        # nothing; a 20,000-person import diffs 60,000 new records.
        return {name: [None, new] for name in sorted(after)
                if (new := _plain(after[name])) is not None}
    changes: dict[str, list[object]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old == new:
            continue
        if name in secrets:
            old, new = mask_secret(old), mask_secret(new)
        changes[name] = [old, new]
    return changes


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: Mapping[str, list[object]] | None = None,
    employee_id: int | None = None,
    note: str = "",
    source: str | None = None,
    label: str | None = None,
) -> AuditEvent:
    """The event `audit_record` writes, unsaved: for `audit_record_many`. `label`: str(obj),
    when the caller has it already (a bulk write, where __str__ translates per row)."""
    ctx = current()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=actor_user,
        actor_label=(actor_user.email if actor_user else "system"),
        ip_address=ctx.ip_address,
        source=source or ctx.source,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=(str(obj) if label is None else label)[:255],
        employee_id=employee_id,
        changes=dict(changes or {}),
        note=note,
    )


def audit_record(**event: Any) -> AuditEvent:
    """Record one event in the caller's transaction; the keyword arguments of `audit_event`
    (actor, action, obj, changes, employee_id, note, source)."""
    record = audit_event(**event)
    record.save(force_insert=True)
    return record


def audit_record_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Many events of a bulk write (an import of 20,000 people) in a few INSERTs; call it in
    the transaction of that write, like `audit_record`."""
    return AuditEvent.objects.bulk_create(list(events), batch_size=1000)


REDACTED = "[anonymised]"


def audit_redact(*, employee_id: int, user_id: int | None, label: str,
                 actor_label: str | None = None) -> int:
    """Retention anonymisation of a person's audit trail: every event about them (their
    employee id, or their login as the object) keeps who, when, which object, which fields and
    what action, but each before/after VALUE and any free-text note becomes "[anonymised]" and
    the object label (which may carry the old name) becomes `label`. Events the person
    performed keep their actor but show `actor_label` instead of their old email. Returns the
    number of events redacted. Two or three queries whatever the number of events (bulk_update
    in batches)."""
    about = models.Q(employee_id=employee_id)
    if user_id is not None:
        about |= models.Q(object_type="accounts.user", object_id=str(user_id))
    events = list(AuditEvent.objects.filter(about).only("pk", "changes", "object_label", "note"))
    for event in events:
        event.changes = {name: [REDACTED, REDACTED] for name in (event.changes or {})}
        event.object_label = label[:255]
        # Free text (a reason, a file name) may name the person or hold their data.
        event.note = REDACTED if event.note else ""
    AuditEvent.objects.bulk_update(events, ["changes", "object_label", "note"], batch_size=500)
    if user_id is not None and actor_label is not None:
        AuditEvent.objects.filter(actor_id=user_id).update(actor_label=actor_label)
    return len(events)
