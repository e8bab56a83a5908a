"""Expiry reminders. Each (record, stage) is claimed by inserting a ReminderSent row together with
the reminder's delivery item (delivery/), in one transaction: the unique constraint means beat
double-firing or two workers racing queue it once. The item then delivers the email at least
once (retried with backoff on a timeout or 4xx, failed with the reason otherwise, with a stable
Message-ID), so a failed send is retried rather than the claim released."""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record
from compliance.models import ComplianceRecord, ReminderSent
from compliance.selectors import (
    Cell,
    cells_due_for_reminder,
    escalation_stages,
    reminder_offsets,
)
from compliance.status import reminder_stage
from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.services import delivery_enqueue
from webhooks.events import emit
from webhooks.models import Event
from webhooks.serializers import compliance_expiring_resource

log = logging.getLogger(__name__)
REMINDER_KIND = "compliance.reminder"


def reminders_due(*, today: date) -> list[tuple[Cell, str]]:
    """(cell, stage) for every current record whose most urgent stage has not been sent."""
    offsets = reminder_offsets()
    due: list[tuple[Cell, str]] = []
    candidates = []
    for cell in cells_due_for_reminder(today=today):
        stage = reminder_stage(cell.valid_until, today=today, offsets=offsets)
        if stage is not None:
            candidates.append((cell, stage))
    sent = set(
        ReminderSent.objects.filter(record_id__in=[c.record.pk for c, _ in candidates])
        .values_list("record_id", "stage")
    )
    for cell, stage in candidates:
        if (cell.record.pk, stage) not in sent:
            due.append((cell, stage))
    return due


def _hr_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name__in=[Role.HR_ADMIN, Role.HR_STAFF])
        .values_list("email", flat=True).distinct().order_by("email")
    )


def _recipients(record: ComplianceRecord, escalate: bool) -> tuple[list[str], list[str]]:
    employee = record.employee
    to = [e for e in (employee.work_email, getattr(employee.user, "email", None)) if e][:1]
    cc: list[str] = []
    if escalate:
        manager = employee.manager
        if manager is not None and manager.work_email:
            cc.append(manager.work_email)
        cc.extend(_hr_emails())
    return to, [e for e in dict.fromkeys(cc) if e not in to]


def _record_for_reminder(record_id: int) -> ComplianceRecord | None:
    return (
        ComplianceRecord.objects.select_related(
            "employee", "employee__manager", "employee__user", "requirement_type"
        ).filter(pk=record_id).first()
    )


def reminder_send(*, record_id: int, stage: str, today: date) -> bool:
    """Claim (record, stage) and queue its email. False if someone else already claimed it."""
    record = _record_for_reminder(record_id)
    if record is None:
        log.info("Reminder for missing record %s skipped", record_id)
        return False
    escalate = stage in escalation_stages()
    to, cc = _recipients(record, escalate)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                record=record, stage=stage, escalated=escalate, recipients=to + cc
            )
            audit_record(actor=None, action=AuditEvent.Action.OTHER, obj=record,
                         employee_id=record.employee_id, source=AuditEvent.Source.SYSTEM,
                         note=f"Expiry reminder stage {stage} to {', '.join(to + cc)}")
            emit(Event.COMPLIANCE_RECORD_EXPIRING, compliance_expiring_resource(record, stage))
            if to + cc:
                delivery_enqueue(kind=REMINDER_KIND, key=f"{REMINDER_KIND}:{record.pk}:{stage}",
                                 payload={"record_id": record.pk, "stage": stage,
                                          "to": to + cc, "escalated": escalate},
                                 group=f"employee:{record.employee_id}")
    except IntegrityError:
        return False  # already claimed by an earlier run or another worker
    if not to + cc:
        log.warning("Reminder for record %s has no recipient", record_id)
    return True


def reminder_deliver(*, item: DeliveryItem) -> None:
    """Send one queued reminder to the recipients chosen when it was claimed."""
    data = item.payload
    record = _record_for_reminder(data["record_id"])
    if record is None:
        log.info("Reminder for missing record %s skipped", data["record_id"])
        return
    stage = data["stage"]
    send_item_email(
        item, "compliance_expiry_reminder",
        {"record": record, "employee": record.employee, "stage": stage,
         "expired": stage == "expired", "valid_until": record.valid_until,
         "escalated": data["escalated"], "url": reverse("compliance:my_compliance")},
        to=data["to"],
    )


def reminders_run(*, today: date) -> int:
    sent = 0
    for cell, stage in reminders_due(today=today):
        if reminder_send(record_id=cell.record.pk, stage=stage, today=today):
            sent += 1
    return sent
