"""Requirement types, rules and compliance records. Every write is audited."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot
from compliance.hooks import record_added
from compliance.models import ComplianceRecord, RequirementRule, RequirementType
from compliance.services.statuses import compliance_status_refresh, compliance_status_refresh_type
from compliance.status import add_months
from employees.models import Employee

TYPE_FIELDS = ("name", "kind", "description", "evidence_required", "requires_document",
               "validity_months", "expiring_window_days", "country", "active")
RULE_FIELDS = ("requirement_type", "scope", "department", "location", "job_title",
               "employment_type", "country", "active")
RECORD_FIELDS = ("requirement_type", "completed_on", "expires_on", "reverify_on",
                 "document_kind", "document_number", "issuer", "evidence_name", "verification",
                 "verified_by", "verified_at")


@transaction.atomic
def requirement_type_save(
    *, acting_user, data: dict, instance: RequirementType | None = None
) -> RequirementType:
    before = snapshot(instance, TYPE_FIELDS) if instance else {}
    rtype = instance or RequirementType()
    for name in TYPE_FIELDS:
        if name in data:
            setattr(rtype, name, data[name])
    rtype.full_clean()
    rtype.save()
    compliance_status_refresh_type(requirement_type=rtype)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE if instance else AuditEvent.Action.CREATE,
        obj=rtype, changes=diff(before, snapshot(rtype, TYPE_FIELDS)),
    )
    return rtype


@transaction.atomic
def requirement_rule_save(
    *, acting_user, data: dict, instance: RequirementRule | None = None
) -> RequirementRule:
    before = snapshot(instance, RULE_FIELDS) if instance else {}
    old_type_id = instance.requirement_type_id if instance else None
    rule = instance or RequirementRule()
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    rule.save()
    compliance_status_refresh_type(requirement_type=rule.requirement_type)
    if old_type_id and old_type_id != rule.requirement_type_id:
        compliance_status_refresh(type_ids=[old_type_id])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE if instance else AuditEvent.Action.CREATE,
        obj=rule, changes=diff(before, snapshot(rule, RULE_FIELDS)),
    )
    return rule


@transaction.atomic
def requirement_rule_delete(*, acting_user, rule: RequirementRule) -> None:
    audit_record(actor=acting_user, action=AuditEvent.Action.DELETE, obj=rule,
                 changes=diff(snapshot(rule, RULE_FIELDS), {}))
    rtype = rule.requirement_type
    rule.delete()
    compliance_status_refresh_type(requirement_type=rtype)


@dataclass(frozen=True)
class RecordData:
    completed_on: date | None = None
    expires_on: date | None = None
    reverify_on: date | None = None
    document_kind: str = ""
    document_number: str = ""
    issuer: str = ""
    notes: str = ""


def _expiry(rtype: RequirementType, data: RecordData) -> date | None:
    """A recurring training/check is valid N months from completion unless a date was given."""
    if data.expires_on is None and rtype.validity_months and data.completed_on:
        return add_months(data.completed_on, rtype.validity_months)
    return data.expires_on


def _check(rtype: RequirementType, data: RecordData, evidence: UploadedFile | None) -> None:
    errors: dict[str, str] = {}
    if rtype.kind == "policy":
        errors["requirement_type"] = "Policies are acknowledged in the portal, not recorded."
    if not rtype.active:
        errors["requirement_type"] = "This requirement is no longer active."
    if data.expires_on and data.completed_on and data.expires_on < data.completed_on:
        errors["expires_on"] = "The expiry date is before the issue / completion date."
    if data.reverify_on and data.completed_on and data.reverify_on < data.completed_on:
        errors["reverify_on"] = "The re-verification date is before the check date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_add(
    *,
    acting_user,
    employee: Employee,
    requirement_type: RequirementType,
    data: RecordData,
    evidence: UploadedFile | None = None,
    verify: bool = False,
    source: str | None = None,
) -> ComplianceRecord:
    """Add a record (first one or a renewal: the old record stays as history).

    HR recording with `verify=True` marks it verified by them now; an employee's own upload stays
    pending until HR verifies it.
    """
    _check(requirement_type, data, evidence)
    if requirement_type.requires_document and evidence is None and not verify:
        raise ValidationError({"evidence": "Upload the evidence document."})
    record = ComplianceRecord(
        employee=employee,
        requirement_type=requirement_type,
        completed_on=data.completed_on,
        expires_on=_expiry(requirement_type, data),
        reverify_on=data.reverify_on,
        document_kind=data.document_kind,
        document_number=data.document_number,
        issuer=data.issuer,
        notes=data.notes,
        submitted_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    if evidence is not None:
        record.evidence_name = (evidence.name or "evidence")[:255]
        record.evidence.save(evidence.name or "evidence", evidence, save=False)
    if verify:
        record.verification = ComplianceRecord.Verification.VERIFIED
        record.verified_by = acting_user
        record.verified_at = timezone.now()
    record.save()
    compliance_status_refresh(employee_ids=[employee.pk])
    audit_record(
        actor=acting_user, action=AuditEvent.Action.CREATE, obj=record, employee_id=employee.pk,
        changes=diff({}, snapshot(record, RECORD_FIELDS)), source=source,
    )
    record_added(acting_user=acting_user, record=record)  # e.g. the linked onboarding task
    return record


def _locked(record: ComplianceRecord) -> ComplianceRecord:
    return ComplianceRecord.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_verify(*, acting_user, record: ComplianceRecord) -> ComplianceRecord:
    record = _locked(record)
    if record.verification == ComplianceRecord.Verification.VERIFIED:
        return record  # idempotent: a double click verifies once
    before = snapshot(record, RECORD_FIELDS)
    record.verification = ComplianceRecord.Verification.VERIFIED
    record.verified_by = acting_user
    record.verified_at = timezone.now()
    record.save(update_fields=["verification", "verified_by", "verified_at"])
    compliance_status_refresh(employee_ids=[record.employee_id])
    audit_record(actor=acting_user, action=AuditEvent.Action.STATUS, obj=record,
                 employee_id=record.employee_id, changes=diff(before, snapshot(record,
                                                                              RECORD_FIELDS)))
    return record


@transaction.atomic
def record_reject(*, acting_user, record: ComplianceRecord, reason: str) -> ComplianceRecord:
    record = _locked(record)
    if record.verification == ComplianceRecord.Verification.REJECTED:
        return record
    if record.verification == ComplianceRecord.Verification.VERIFIED:
        raise ValidationError("A verified record cannot be rejected; add a new record instead.")
    before = snapshot(record, RECORD_FIELDS)
    record.verification = ComplianceRecord.Verification.REJECTED
    record.notes = (record.notes + f"\nRejected: {reason}").strip()
    record.save(update_fields=["verification", "notes"])
    compliance_status_refresh(employee_ids=[record.employee_id])
    audit_record(actor=acting_user, action=AuditEvent.Action.STATUS, obj=record,
                 employee_id=record.employee_id, note=reason,
                 changes=diff(before, snapshot(record, RECORD_FIELDS)))
    return record


def record_evidence_downloaded(*, acting_user, record: ComplianceRecord) -> None:
    """Each evidence download is an audited read."""
    audit_record(actor=acting_user, action=AuditEvent.Action.DOWNLOAD, obj=record,
                 employee_id=record.employee_id, note=record.evidence_name)
