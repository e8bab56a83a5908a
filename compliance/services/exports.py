"""Exports: any list as CSV/XLSX, the compliance audit trail as CSV, the per-employee evidence
pack (PDF) and the subject-access export (ZIP). The slow ones run in Celery tasks with a status
row (pending -> rendering -> ready/failed); files are written to a temp file and moved into place
atomically, so a half-written file is never served."""

import itertools
import json
import logging
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from compliance.hooks import app_hook
from compliance.models import (
    Acknowledgement,
    ComplianceRecord,
    EvidencePack,
    JobStatus,
    LegalHold,
    PolicyOpen,
    SubjectAccessExport,
)
from compliance.selectors import employee_compliance
from delivery.files import write_atomically
from delivery.services import delivery_enqueue
from employees.models import Employee
from hrops import exports

log = logging.getLogger(__name__)


# --- tabular lists -----------------------------------------------------------------------------

def table_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Through the shared export writer (hrops.exports): formula cells neutralised."""
    return exports.to_csv(itertools.chain([list(headers)], rows))


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], title: str) -> bytes:
    return exports.to_xlsx(itertools.chain([list(headers)], rows), title=title or "Export")


def audit_rows(start: date, end: date) -> tuple[list[str], Iterable[list[object]]]:
    """Every compliance action between start and end (inclusive), oldest first."""
    tz = timezone.get_current_timezone()
    events = AuditEvent.objects.filter(
        object_type__startswith="compliance.",
        at__gte=datetime.combine(start, time.min, tzinfo=tz),
        at__lt=datetime.combine(end, time.max, tzinfo=tz),
    ).order_by("at", "id")
    headers = ["When", "Who", "Source", "Action", "Object type", "Object id", "Object",
               "Employee id", "Before", "After", "Note"]

    def rows() -> Iterable[list[object]]:
        for e in events.iterator():
            before = {k: v[0] for k, v in e.changes.items() if isinstance(v, list) and v}
            after = {k: v[-1] for k, v in e.changes.items() if isinstance(v, list) and v}
            yield [e.at.astimezone(tz).isoformat(), e.actor_label, e.source, e.action,
                   e.object_type, e.object_id, e.object_label, e.employee_id or "",
                   json.dumps(before, default=str) if before else "",
                   json.dumps(after, default=str) if after else "", e.note]

    return headers, rows()


def audit_export_csv(*, acting_user, start: date, end: date) -> bytes:
    headers, rows = audit_rows(start, end)
    data = table_csv(headers, rows)
    audit_record(actor=acting_user, action=AuditEvent.Action.EXPORT, obj=acting_user,
                 note=f"Compliance audit export {start}..{end}")
    return data


# --- files: rendered by a worker, written with delivery.files.write_atomically -----------------

def _claim(model, pk: int, take_over: bool) -> bool:
    # Only one worker renders: the conditional UPDATE is the claim (healthchecks-style).
    # `take_over`: the caller holds the file's delivery item, so "rendering" was left by a
    # worker that died (its lease ran out): render it again.
    statuses = [JobStatus.PENDING, JobStatus.RENDERING] if take_over else [JobStatus.PENDING]
    return model.objects.filter(pk=pk, status__in=statuses).update(
        status=JobStatus.RENDERING
    ) == 1


def _finish(model, pk: int, *, name: str = "", error: str = "") -> None:
    model.objects.filter(pk=pk).update(
        status=JobStatus.FAILED if error else JobStatus.READY, file=name, error=error[:2000],
        finished_at=timezone.now(),
    )


# --- evidence pack -------------------------------------------------------------------------------

@transaction.atomic
def evidence_pack_request(*, acting_user, employee: Employee) -> EvidencePack:
    pack = EvidencePack.objects.create(employee=employee, requested_by=acting_user)
    audit_record(actor=acting_user, action=AuditEvent.Action.EXPORT, obj=pack,
                 employee_id=employee.pk, note="Evidence pack requested")
    # Durable: the file's delivery item commits with the request (delivery/).
    delivery_enqueue(kind="compliance.evidence_pack", key=f"compliance.evidence_pack:{pack.pk}",
                     payload={"pack_id": pack.pk}, group=f"employee:{employee.pk}")
    return pack


def evidence_pack_html(employee: Employee) -> str:
    return render_to_string("compliance/evidence_pack.html", {
        "employee": employee,
        "company_name": settings.COMPANY_NAME,
        "generated_at": timezone.now(),
        **employee_compliance(employee),
        "acknowledgements": Acknowledgement.objects.filter(employee=employee)
        .select_related("version__policy").order_by("-acknowledged_at"),
    })


def evidence_pack_render(*, pack_id: int, take_over: bool = False) -> None:
    if not _claim(EvidencePack, pack_id, take_over):
        log.info("Evidence pack %s already claimed or gone", pack_id)
        return
    pack = EvidencePack.objects.select_related("employee").get(pk=pack_id)
    try:
        from weasyprint import HTML

        html = evidence_pack_html(pack.employee)
        name = f"compliance/packs/evidence-pack-{pack.employee_id}-{pack.pk}.pdf"
        write_atomically(name, lambda handle: HTML(string=html).write_pdf(handle))
    except Exception as exc:
        log.exception("Evidence pack %s failed", pack_id)
        _finish(EvidencePack, pack_id, error=f"{type(exc).__name__}: {exc}")
        return
    _finish(EvidencePack, pack_id, name=name)


# --- subject-access export -----------------------------------------------------------------------

@transaction.atomic
def subject_access_request(*, acting_user, employee: Employee) -> SubjectAccessExport:
    export = SubjectAccessExport.objects.create(employee=employee, requested_by=acting_user)
    audit_record(actor=acting_user, action=AuditEvent.Action.EXPORT, obj=export,
                 employee_id=employee.pk, note="Subject-access export requested")
    delivery_enqueue(kind="compliance.subject_access",
                     key=f"compliance.subject_access:{export.pk}",
                     payload={"export_id": export.pk}, group=f"employee:{employee.pk}")
    return export


def _named(obj, exclude: tuple[str, ...] = ()) -> dict:
    """model_to_dict with every foreign key as the name of what it points at ("Engineering",
    "Jane Doe (E0012)"), not a raw id that means nothing to the person reading their data."""
    row = model_to_dict(obj, exclude=list(exclude))
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.name in row:
            related = getattr(obj, f.name)
            row[f.name] = None if related is None else str(related)
    return row | {"id": obj.pk}


def _rows(qs, exclude: tuple[str, ...] = ()) -> list[dict]:
    relations = [f.name for f in qs.model._meta.concrete_fields
                 if f.is_relation and f.name not in exclude]
    if relations:
        qs = qs.select_related(*relations)
    return [_named(obj, exclude) for obj in qs]


def subject_access_data(employee: Employee) -> dict:
    """Everything held about one person (what data.json holds). Pay records are the employee
    record's compensation history; payslips belong to the payroll app and are added by its
    hook (see `_subject_access`)."""
    return _subject_access(employee)[0]


def _archive_name_ok(name: str) -> bool:
    parts = name.split("/")
    return name.startswith("files/") and "" not in parts and not {".", ".."} & set(parts)


def _subject_access(employee: Employee) -> tuple[dict, list[tuple[str, str]]]:
    """(data, files). An app hook `<app>.privacy.subject_access_data(employee) -> dict` adds its
    section; the section may carry `"files": [(archive name, storage name), ...]` (archive names
    under files/), which are copied into the zip and left out of data.json."""
    data = {
        "generated_at": timezone.now().isoformat(),
        "employee": _named(employee),
        # The person is the subject of every row below: their own id is left out.
        "employments": _rows(employee.employments.all(), exclude=("employee",)),
        "jobs": _rows(employee.job_records.all(), exclude=("employee",)),
        "pay_records": _rows(employee.compensation_records.all(), exclude=("employee",)),
        "compliance_records": [
            _named(r, exclude=("evidence", "employee")) | {
                "requirement": r.requirement_type.name,
                "evidence_file": f"files/{r.pk}-{r.evidence_name}" if r.evidence else "",
            }
            for r in ComplianceRecord.objects.filter(employee=employee)
            .select_related("requirement_type", "verified_by")
        ],
        "policy_acknowledgements": [
            {"policy": a.version.policy.title, "version": a.version.label,
             "version_hash": a.version_hash, "opened_at": a.opened_at.isoformat(),
             "acknowledged_at": a.acknowledged_at.isoformat()}
            for a in Acknowledgement.objects.filter(employee=employee)
            .select_related("version__policy")
        ],
        "policy_opens": _rows(PolicyOpen.objects.filter(employee=employee),
                              exclude=("employee",)),
        "legal_holds": _rows(LegalHold.objects.filter(employee=employee), exclude=("employee",)),
        "audit_events": [
            {"at": e.at.isoformat(), "actor": e.actor_label, "action": e.action,
             "object_type": e.object_type, "object": e.object_label, "changes": e.changes,
             "note": e.note}
            for e in AuditEvent.objects.filter(employee_id=employee.pk).order_by("at", "id")
        ],
    }
    files: list[tuple[str, str]] = []
    for app in ("employees", "payroll", "lifecycle"):
        hook = app_hook(app, "privacy")
        if hook is None:
            continue
        section = dict(hook.subject_access_data(employee))
        for archive_name, storage_name in section.pop("files", []):
            if _archive_name_ok(archive_name):
                files.append((archive_name, storage_name))
            else:
                log.warning("%s.privacy: refused archive name %r", app, archive_name)
        data[app] = section
    return data, files


def _copy_file(archive: zipfile.ZipFile, archive_name: str, stored: FieldFile | str) -> None:
    """Stream one stored file (a file field, or a name in default storage) into the archive;
    a missing file is logged, not fatal."""
    try:
        source = (stored.open("rb") if isinstance(stored, FieldFile)
                  else default_storage.open(stored, "rb"))
        with source as fh, archive.open(archive_name, "w") as out:
            shutil.copyfileobj(fh, out)
    except FileNotFoundError:
        log.warning("File %s for a subject-access export is missing", archive_name)


def _write_zip(employee: Employee, tmp: BinaryIO) -> None:
    data, files = _subject_access(employee)
    written = {"data.json"}
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        for record in ComplianceRecord.objects.filter(employee=employee).exclude(evidence=""):
            name = f"files/{record.pk}-{record.evidence_name}"
            _copy_file(archive, name, record.evidence)
            written.add(name)
        for archive_name, storage_name in files:
            if archive_name not in written:  # a duplicate name would make a second zip entry
                _copy_file(archive, archive_name, storage_name)
                written.add(archive_name)


def subject_access_render(*, export_id: int, take_over: bool = False) -> None:
    if not _claim(SubjectAccessExport, export_id, take_over):
        log.info("Subject-access export %s already claimed or gone", export_id)
        return
    export = SubjectAccessExport.objects.select_related("employee").get(pk=export_id)
    name = f"compliance/sar/subject-access-{export.employee_id}-{export.pk}.zip"
    try:
        write_atomically(name, lambda handle: _write_zip(export.employee, handle))
    except Exception as exc:
        log.exception("Subject-access export %s failed", export_id)
        _finish(SubjectAccessExport, export_id, error=f"{type(exc).__name__}: {exc}")
        return
    _finish(SubjectAccessExport, export_id, name=name)


def file_downloaded(*, acting_user, obj, employee_id: int, note: str) -> None:
    audit_record(actor=acting_user, action=AuditEvent.Action.DOWNLOAD, obj=obj,
                 employee_id=employee_id, note=note)
