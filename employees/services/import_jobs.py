"""Imports off the request: an uploaded file becomes an `ImportJob`; a worker checks it (the dry
run, every row error in one pass) and, once HR confirms, applies it in one all-or-nothing
transaction. Both steps are delivery items written in the transaction that asks for them, so a
broker outage or a dead worker delays them but never loses them.

The file is kept in storage (local disk or the S3 bucket) from the upload until it is applied or
found invalid, then deleted. Progress (rows checked / written) is published to the cache while a
step runs, because the apply's own transaction is invisible to the page until it commits.
"""

import logging
from typing import BinaryIO

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr
from audit.context import audit_context
from audit.services import audit_record
from delivery.services import delivery_enqueue
from employees.models import ImportJob
from employees.services.imports import (
    ALLOWED_EXTENSIONS,
    KINDS,
    MAX_BYTES,
    ImportResult,
    import_run,
)
from hrops.uploads import delete_files_on_commit

log = logging.getLogger(__name__)
S = ImportJob.Status
CHECK_KIND = "employees.import.check"
APPLY_KIND = "employees.import.apply"
PREVIEW_ROWS = 50
PROGRESS_TTL = 3600


def _require_hr(acting_user) -> None:
    if not is_hr(acting_user):
        raise PermissionDenied(_("Only HR imports employee data."))


def _group(job: ImportJob) -> str:
    return f"import:{job.pk}"


def import_job_create(*, acting_user, kind: str, name: str, upload: BinaryIO, size: int,
                      ip_address: str | None = None) -> ImportJob:
    """Store the uploaded file and queue its check. The file is written before the row (no
    slow I/O inside the transaction) and deleted again if the row cannot be saved."""
    _require_hr(acting_user)
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind of import.")})
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB; split it into "
                                         "smaller files.") % {"mb": MAX_BYTES // 2**20}})
    job = ImportJob(kind=kind, original_name=name[-255:], size=size, created_by=acting_user,
                    ip_address=ip_address)
    job.file.save(name, File(upload, name=name), save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(actor=acting_user, action="create", obj=job,
                         note=f"Import file uploaded for checking: {job.original_name}",
                         changes={"kind": [None, kind], "size": [None, size]})
            delivery_enqueue(kind=CHECK_KIND, key=f"{CHECK_KIND}:{job.pk}",
                             payload={"job_id": job.pk}, group=_group(job))
    except Exception:
        job.file.storage.delete(job.file.name)
        raise
    return job


def _progress_key(job_id: int) -> str:
    return f"employees.import:{job_id}:progress"


def _publish_progress(job_id: int):
    def publish(phase: str, done: int, total: int) -> None:
        cache.set(_progress_key(job_id), {"phase": phase, "done": done, "total": total},
                  PROGRESS_TTL)
    return publish


def import_job_progress(job: ImportJob) -> dict:
    """{"phase", "done", "total", "percent"} of the step running now (zeros before it starts)."""
    progress = cache.get(_progress_key(job.pk)) or {}
    phase = "apply" if job.status == S.APPLYING else "check"
    if progress.get("phase") != phase:
        progress = {"phase": phase, "done": 0, "total": job.rows}
    total = progress["total"] or 0
    return {**progress, "percent": int(100 * progress["done"] / total) if total else 0}


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _errors(result: ImportResult) -> list[list]:
    return [[e.row, e.column, e.message] for e in result.errors]


def import_check(*, job_id: int) -> str | None:
    """The dry run, by a worker: read the stored file and check every row. A redelivered item
    finds the job past "checking" and does nothing."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != S.CHECKING:
        return None
    with audit_context(source="import", ip_address=job.ip_address):
        result = import_run(acting_user=job.created_by, kind=job.kind, name=job.original_name,
                            content=_read(job), commit=False,
                            progress=_publish_progress(job.pk))
    status = S.CHECKED if result.ok else S.INVALID
    with transaction.atomic():
        done = ImportJob.objects.filter(pk=job.pk, status=S.CHECKING).update(
            status=status, rows=result.rows, errors=_errors(result), checked_at=timezone.now(),
            preview=[[p.row, p.summary] for p in result.planned[:PREVIEW_ROWS]],
            file="" if status == S.INVALID else job.file.name)
        if done and status == S.INVALID:  # nothing will ever apply it: keep no personal data
            delete_files_on_commit([job.file.name])
    return status if done else None


@transaction.atomic
def import_job_confirm(*, acting_user, job: ImportJob) -> ImportJob:
    """"Import now" on a checked file: queue the apply. Idempotent (a second press finds the
    job importing); only the person who uploaded and checked the file may import it."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_hr(acting_user)
    if job.created_by_id != acting_user.pk:
        raise PermissionDenied(_("This file was checked by someone else."))
    if job.status in (S.APPLYING, S.APPLIED):
        return job
    if job.status != S.CHECKED:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    job.status = S.APPLYING
    job.save(update_fields=["status"])
    audit_record(actor=acting_user, action="update", obj=job,
                 note=f"Import confirmed: {job.original_name}, {job.rows} row(s)",
                 changes={"status": [S.CHECKED, S.APPLYING]})
    delivery_enqueue(kind=APPLY_KIND, key=f"{APPLY_KIND}:{job.pk}", payload={"job_id": job.pk},
                     group=_group(job))
    return job


class _Rejected(Exception):
    """The file no longer applies cleanly (the database changed since the check)."""


def import_apply(*, job_id: int) -> str | None:
    """Write the whole file, by a worker, in one transaction together with the job's "applied":
    all or nothing, once. A worker killed mid-way leaves nothing written and the job
    "applying"; the redelivered item applies it again from the start."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != S.APPLYING:
        return None
    content = _read(job)
    try:
        with audit_context(source="import", ip_address=job.ip_address), transaction.atomic():
            result = import_run(acting_user=job.created_by, kind=job.kind,
                                name=job.original_name, content=content, commit=True,
                                progress=_publish_progress(job.pk))
            if not result.committed:
                raise _Rejected(result)
            if not ImportJob.objects.filter(pk=job.pk, status=S.APPLYING).update(
                    status=S.APPLIED, applied_at=timezone.now(), rows=result.rows, errors=[],
                    file=""):
                raise _Rejected(None)  # someone else finished it: write nothing twice
            delete_files_on_commit([job.file.name])
    except _Rejected as rejected:
        result = rejected.args[0]
        if result is None:
            return None
        ImportJob.objects.filter(pk=job.pk, status=S.APPLYING).update(
            status=S.FAILED, errors=_errors(result),
            error=_("The file no longer imports cleanly (the records changed since it was "
                    "checked); nothing was written. Fix the rows below and upload it again."))
        return S.FAILED
    log.info("import %s applied: %s row(s)", job.pk, result.rows)
    return S.APPLIED


def import_job_fail(*, job_id: int, error: str) -> None:
    """A bug or unreadable file in a step: the job says so (nothing was written)."""
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.RUNNING).update(
        status=S.FAILED, error=error[:2000])


def import_jobs_for(user, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.filter(created_by=user).order_by("-created_at", "-pk")[:limit])
