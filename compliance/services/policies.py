"""Policies: publish versions, record that a person opened the text, acknowledge, nudge."""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from compliance.models import (
    Acknowledgement,
    Policy,
    PolicyNudge,
    PolicyOpen,
    PolicyVersion,
    RequirementKind,
    RequirementRule,
    RequirementType,
)
from compliance.services.statuses import compliance_status_refresh, compliance_status_refresh_type
from employees.models import Employee
from hrops.mail import send_templated_email

log = logging.getLogger(__name__)


@transaction.atomic
def policy_create(
    *, acting_user, title: str, summary: str = "", rule_data: dict | None = None
) -> Policy:
    """A policy and its 'acknowledge' requirement, in scope for whom `rule_data` says
    (default: everyone). More rules can be added on the requirement type later."""
    if Policy.objects.filter(title__iexact=title).exists():
        raise ValidationError({"title": "A policy with this title already exists."})
    policy = Policy.objects.create(title=title, summary=summary, created_by=acting_user)
    name = f"Policy: {title}"[:120]
    if RequirementType.objects.filter(name=name).exists():
        raise ValidationError({"title": "A requirement with this name already exists."})
    rtype = RequirementType.objects.create(
        name=name, kind=RequirementKind.POLICY, policy=policy, requires_document=False,
        evidence_required="Acknowledgement in the portal",
    )
    rule = RequirementRule(requirement_type=rtype, **(rule_data or {"scope": "everyone"}))
    rule.full_clean()
    rule.save()
    audit_record(actor=acting_user, action=AuditEvent.Action.CREATE, obj=policy,
                 changes={"title": [None, title], "scope": [None, str(rule)]})
    return policy


def content_hash(body: str, document_bytes: bytes | None) -> str:
    digest = hashlib.sha256()
    digest.update(body.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(document_bytes or b"")
    return digest.hexdigest()


@transaction.atomic
def policy_version_publish(
    *, acting_user, policy: Policy, label: str, body: str = "",
    document: UploadedFile | None = None,
) -> PolicyVersion:
    """Publish a new version; everyone in scope must acknowledge it again."""
    if not body.strip() and document is None:
        raise ValidationError("Give the policy text or upload its document.")
    # Lock the policy so two publishers cannot take the same version number.
    Policy.objects.select_for_update().get(pk=policy.pk)
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    data = b""
    if document is not None:
        data = b"".join(document.chunks())
        document.seek(0)
    version = PolicyVersion(
        policy=policy, number=number, label=label or str(number), body=body,
        content_hash=content_hash(body, data if document is not None else None),
        published_by=acting_user,
    )
    if document is not None:
        version.document_name = (document.name or "policy")[:255]
        version.document.save(document.name or "policy", document, save=False)
    version.save()
    if hasattr(policy, "requirement_type"):
        compliance_status_refresh_type(requirement_type=policy.requirement_type)
    audit_record(actor=acting_user, action=AuditEvent.Action.CREATE, obj=version,
                 changes={"version": [None, version.label], "hash": [None, version.content_hash]})
    _tell_employees(version)
    return version


def _tell_employees(version: PolicyVersion) -> None:
    """Everyone in scope with a login has a new version to acknowledge: one bell notification
    each, written in a few INSERTs whatever the headcount."""
    from compliance.selectors import employees_in_scope
    from notifications.models import Notification
    from notifications.services import notify_user_ids

    user_ids = (employees_in_scope().filter(user__isnull=False)
                .values_list("user_id", flat=True))
    notify_user_ids(user_ids=user_ids, kind=Notification.Kind.POLICY_TO_ACKNOWLEDGE,
                    text=_("Please read and acknowledge: %(title)s (version %(label)s)") % {
                        "title": version.policy.title, "label": version.label},
                    url=reverse("compliance:my_policy", args=[version.pk]),
                    key=f"compliance.policy:{version.pk}")


def policy_open(*, employee: Employee, version: PolicyVersion) -> PolicyOpen:
    """Record that the employee opened this version (idempotent)."""
    opened, _created = PolicyOpen.objects.get_or_create(version=version, employee=employee)
    return opened


@transaction.atomic
def policy_acknowledge(
    *, acting_user, employee: Employee, version: PolicyVersion, ip_address: str | None = None
) -> Acknowledgement:
    """Acknowledge a version: refused unless the employee opened the text first (server-side, so
    a crafted POST cannot skip reading), and only for the current version."""
    opened = PolicyOpen.objects.filter(version=version, employee=employee).first()
    if opened is None:
        raise ValidationError("Open and read the policy before acknowledging it.")
    latest = version.policy.versions.order_by("-number").first()
    if latest is not None and latest.pk != version.pk:
        raise ValidationError("A newer version of this policy has been published; read that.")
    existing = Acknowledgement.objects.filter(version=version, employee=employee).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                version=version, employee=employee, user=acting_user,
                version_hash=version.content_hash, opened_at=opened.opened_at,
                ip_address=ip_address,
            )
    except IntegrityError:
        # A double submit raced us: the other request recorded it.
        return Acknowledgement.objects.get(version=version, employee=employee)
    compliance_status_refresh(employee_ids=[employee.pk])
    audit_record(actor=acting_user, action=AuditEvent.Action.CREATE, obj=ack,
                 employee_id=employee.pk,
                 changes={"version": [None, version.label], "hash": [None, version.content_hash]})
    return ack


def policy_nudge(*, acting_user, version: PolicyVersion, employees: list[Employee]) -> int:
    """Email each not-yet-acknowledged person, at most once per day each (the PolicyNudge unique
    row is claimed before the email is queued). Returns how many were nudged."""
    today = timezone.localdate()
    acked = set(
        Acknowledgement.objects.filter(version=version).values_list("employee_id", flat=True)
    )
    sent = 0
    for employee in employees:
        if employee.pk in acked:
            continue
        to = [e for e in (employee.work_email, getattr(employee.user, "email", None)) if e][:1]
        if not to:
            continue
        try:
            with transaction.atomic():
                PolicyNudge.objects.create(version=version, employee=employee, day=today,
                                           sent_by=acting_user)
                audit_record(actor=acting_user, action=AuditEvent.Action.OTHER, obj=version,
                             employee_id=employee.pk, note="Acknowledgement reminder sent")
        except IntegrityError:
            continue  # already nudged today
        send_templated_email(
            "compliance_policy_nudge",
            {"employee": employee, "version": version,
             "url": reverse("compliance:my_policy", args=[version.pk])},
            to=to,
        )
        sent += 1
    return sent
