"""Data retention: what is due for deletion, a dry-run report, and an HR-Admin-approved purge.

Scope: the run purges COMPLIANCE records (and their evidence files) due under the
compliance-records rules, and anonymises former employees whose personal data is due under the
employee-record rule (``compliance.services.retention_employees``; report keys "employees" and
"employees_held"). Payroll records (US 4 years, UK 3 years after the tax year) are listed by a
hook when an app provides `<app>.retention.retention_due(today)` returning
[{"kind", "label", "employee_id", "due_on"}]; those "external" items are report-only: approving a
purge run never deletes them (finalised payslips are immutable). Nothing under an active
LegalHold is removed, and external items of a person under hold are marked as held.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import is_hr_admin
from audit.models import AuditEvent
from audit.services import audit_record
from compliance.hooks import app_hook
from compliance.models import ComplianceRecord, LegalHold, PurgeRun, RetentionRule
from compliance.services.retention_employees import employee_purge, employees_report
from compliance.services.statuses import compliance_status_refresh
from compliance.status import add_years
from employees.models import Employee

EXTERNAL_PROVIDERS = ["payroll", "employees", "lifecycle"]


def due_date(rule: RetentionRule, employee: Employee) -> date | None:
    """Pure: the first day the records may be destroyed, or None (not yet knowable).

    The later of hire + years_after_hire and end + years_after_end; a rule that counts from the
    end of employment never makes a current employee's records due.
    """
    candidates: list[date] = []
    if rule.years_after_hire is not None:
        candidates.append(add_years(employee.hire_date, rule.years_after_hire))
    if rule.years_after_end is not None:
        ended = employee.termination_date if (
            employee.status == Employee.Status.TERMINATED) else None
        if ended is None:
            return None
        candidates.append(add_years(ended, rule.years_after_end))
    if not candidates:
        return None
    return max(candidates)


def _held(today: date) -> tuple[set[int], set[int]]:
    holds = LegalHold.objects.filter(Q(released_at__isnull=True))
    employees = set(holds.filter(record__isnull=True).values_list("employee_id", flat=True))
    records = set(holds.filter(record__isnull=False).values_list("record_id", flat=True))
    return employees, records


def retention_report(*, today: date) -> dict:
    """The dry run: {"due": [...], "held": [...], "employees": [...], "employees_held": [...],
    "external": [...]} (nothing is changed)."""
    held_employees, held_records = _held(today)
    due: list[dict] = []
    held: list[dict] = []
    rules = RetentionRule.objects.filter(active=True, kind=RetentionRule.Kind.COMPLIANCE_RECORDS)
    for rule in rules.select_related("requirement_type"):
        records = (
            ComplianceRecord.objects.filter(requirement_type=rule.requirement_type,
                                            anonymised_at__isnull=True)
            .select_related("employee").order_by("employee_id", "id")
        )
        for record in records:
            when = due_date(rule, record.employee)
            if when is None or when > today:
                continue
            item = {
                "record_id": record.pk, "employee_id": record.employee_id,
                "employee": str(record.employee), "requirement": rule.requirement_type.name,
                "rule": rule.name, "action": rule.action, "due_on": when.isoformat(),
                "file": record.evidence_name,
            }
            if record.employee_id in held_employees or record.pk in held_records:
                held.append(item)
            else:
                due.append(item)
    employees, employees_held = employees_report(today=today)
    return {"due": due, "held": held, "employees": employees, "employees_held": employees_held,
            "external": _external_due(today, held_employees)}


def _external_due(today: date, held_employees: set[int]) -> list[dict]:
    """Other apps' due items, for action outside this purge. Providers honour no holds
    themselves: an item of a person under an active legal hold is marked `"held": True` here."""
    items: list[dict] = []
    for app in EXTERNAL_PROVIDERS:
        module = app_hook(app, "retention")
        if module is None:
            continue
        items.extend(item | {"held": item["employee_id"] in held_employees}
                     for item in module.retention_due(today))
    return items


@transaction.atomic
def purge_propose(*, acting_user, today: date | None = None) -> PurgeRun:
    """Scheduled (or on demand): store a dry-run report for HR Admin to approve."""
    today = today or timezone.localdate()
    report = retention_report(today=today)
    run = PurgeRun.objects.create(as_of=today, report=report,
                                  created_by=acting_user if acting_user else None)
    audit_record(actor=acting_user, action=AuditEvent.Action.CREATE, obj=run,
                 note=f"Retention dry run: {len(report['due'])} due, {len(report['held'])} held, "
                      f"{len(report['employees'])} former employees to anonymise")
    return run


@transaction.atomic
def purge_execute(*, acting_user, run: PurgeRun, today: date | None = None) -> PurgeRun:
    """HR Admin approves a proposed run: items in its report that are STILL due and not held
    (holds placed after the dry run win) are deleted or anonymised. Idempotent on the run."""
    if not is_hr_admin(acting_user):
        raise PermissionDenied("Only an HR Admin may approve a purge.")
    run = PurgeRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PurgeRun.Status.PROPOSED:
        raise ValidationError("This purge run has already been decided.")
    today = today or timezone.localdate()
    report = retention_report(today=today)
    still_due = {item["record_id"]: item for item in report["due"]}
    approved = [i["record_id"] for i in run.report.get("due", []) if i["record_id"] in still_due]
    deleted, anonymised = [], []
    touched: set[int] = set()
    records = ComplianceRecord.objects.select_for_update().filter(pk__in=approved).order_by("pk")
    for record in records:
        item = still_due[record.pk]
        file_name = record.evidence.name
        if item["action"] == RetentionRule.Action.DELETE:
            audit_record(actor=acting_user, action=AuditEvent.Action.DELETE, obj=record,
                         employee_id=record.employee_id, note=f"Retention purge: {item['rule']}")
            touched.add(record.employee_id)
            record.delete()
            deleted.append(item["record_id"])
        else:
            anonymise_record(record)
            audit_record(actor=acting_user, action=AuditEvent.Action.UPDATE, obj=record,
                         employee_id=record.employee_id,
                         note=f"Retention purge (anonymised): {item['rule']}")
            anonymised.append(item["record_id"])
            continue
        if file_name:
            # Delete the file only once the database change is committed.
            transaction.on_commit(lambda n=file_name: _delete_file(n))
    if deleted:
        # Deleting a record can change what counts (an older record, or nothing: missing).
        compliance_status_refresh(employee_ids=touched)
    people = _purge_employees(acting_user, run, report)
    run.status = PurgeRun.Status.EXECUTED
    run.approved_by = acting_user
    run.executed_at = timezone.now()
    run.result = {"deleted": deleted, "anonymised": anonymised,
                  "skipped": [i for i in [x["record_id"] for x in run.report.get("due", [])]
                              if i not in deleted and i not in anonymised],
                  "employees": people,
                  "employees_skipped": [x["employee_id"] for x in run.report.get("employees", [])
                                        if x["employee_id"] not in people]}
    run.save()
    audit_record(actor=acting_user, action=AuditEvent.Action.STATUS, obj=run,
                 changes={"status": ["proposed", "executed"]},
                 note=f"Purged: {len(deleted)} deleted, {len(anonymised)} anonymised, "
                      f"{len(people)} former employees anonymised")
    return run


def _purge_employees(acting_user, run: PurgeRun, report: dict) -> list[int]:
    """Anonymise the former employees the dry run listed who are STILL due today (a hold
    placed since, a rehire or new pay keeps them), in id order (locks in a fixed order)."""
    still_due = {item["employee_id"]: item for item in report["employees"]}
    approved = sorted({i["employee_id"] for i in run.report.get("employees", [])
                       if i["employee_id"] in still_due})
    return [pk for pk in approved
            if employee_purge(acting_user=acting_user, employee_id=pk,
                              rule_name=still_due[pk]["rule"])]


def anonymise_record(record: ComplianceRecord) -> None:
    """Keep the record's dates and type (that the check was done, and when); drop identifiers,
    notes and the evidence file (the caller deletes the file after commit)."""
    file_name = record.evidence.name
    record.document_number = ""
    record.document_kind = ""
    record.issuer = ""
    record.notes = ""
    record.evidence = ""
    record.evidence_name = ""
    record.anonymised_at = timezone.now()
    record.save()
    if file_name:
        transaction.on_commit(lambda n=file_name: _delete_file(n))


def _delete_file(name: str) -> None:
    from django.core.files.storage import default_storage

    if default_storage.exists(name):
        default_storage.delete(name)


@transaction.atomic
def purge_discard(*, acting_user, run: PurgeRun) -> PurgeRun:
    run = PurgeRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PurgeRun.Status.PROPOSED:
        raise ValidationError("This purge run has already been decided.")
    run.status = PurgeRun.Status.DISCARDED
    run.save(update_fields=["status"])
    audit_record(actor=acting_user, action=AuditEvent.Action.STATUS, obj=run,
                 changes={"status": ["proposed", "discarded"]})
    return run


@transaction.atomic
def legal_hold_place(
    *, acting_user, employee: Employee, reason: str, record: ComplianceRecord | None = None
) -> LegalHold:
    if record is not None and record.employee_id != employee.pk:
        raise ValidationError("That record belongs to someone else.")
    hold = LegalHold.objects.create(employee=employee, record=record, reason=reason,
                                    placed_by=acting_user)
    audit_record(actor=acting_user, action=AuditEvent.Action.CREATE, obj=hold,
                 employee_id=employee.pk, note=reason)
    return hold


@transaction.atomic
def legal_hold_release(*, acting_user, hold: LegalHold) -> LegalHold:
    # A hold protects against a purge only an HR Admin may approve, so only they lift it.
    if not is_hr_admin(acting_user):
        raise PermissionDenied("Only an HR Admin may release a legal hold.")
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        return hold
    hold.released_at = timezone.now()
    hold.save(update_fields=["released_at"])
    audit_record(actor=acting_user, action=AuditEvent.Action.UPDATE, obj=hold,
                 employee_id=hold.employee_id, changes={"released_at": [None,
                                                                        str(hold.released_at)]})
    return hold
