"""Big files built by a worker: the request records a `Download` and its delivery item in one
transaction and answers at once with a page that shows progress; the worker writes the XLSX
(openpyxl write-only, through hrops.exports) in flat memory, stores it with `default_storage`
and marks it ready; the file is served after a permission check and removed by retention.

Each kind is declared in `<app>/deliveries.py` with `@download_kind(name, check=...)`: `check`
(user, params) raises PermissionDenied when that user may not have the file, and is called on
request, at build time and again on download, so someone who lost the right since asking cannot
fetch it; the decorated function returns the rows (and their count) in the worker."""

import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from delivery.models import Download
from delivery.registry import PermanentError
from delivery.services import delivery_enqueue
from hrops import exports

log = logging.getLogger(__name__)
BUILD_KIND = "downloads.build"
PROGRESS_EVERY = 1000  # rows between progress updates (one UPDATE each)


@dataclass(frozen=True)
class Rows:
    total: int
    rows: Iterable[list]
    sheet: str = "Export"
    xlsx: dict = field(default_factory=dict)  # hrops.exports.to_xlsx options


@dataclass(frozen=True)
class Kind:
    name: str
    check: Callable[..., None]  # (user, params): raises PermissionDenied (cheap: no rows read)
    rows: Callable[..., Rows]  # (user, params) -> Rows, in the worker


_KINDS: dict[str, Kind] = {}


def download_kind(name: str, *, check: Callable[..., None]) -> Callable[[Callable], Callable]:
    def register(func: Callable) -> Callable:
        _KINDS[name] = Kind(name, check, func)
        return func
    return register


def _kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise PermanentError(f"no download kind {name!r}") from None


def keep_hours() -> int:
    return int(getattr(settings, "DOWNLOADS_KEEP_HOURS", 24))


@transaction.atomic
def download_request(*, acting_user, kind: str, params: dict, title: str,
                     filename: str) -> Download:
    """Check the user may have the file, record it and queue its build (same transaction)."""
    _kind(kind).check(acting_user, params)  # PermissionDenied before anything is written
    download = Download.objects.create(kind=kind, params=params, title=title[:200],
                                       filename=filename[:200], requested_by=acting_user)
    delivery_enqueue(kind=BUILD_KIND, key=f"download:{download.pk}",
                     payload={"download_id": download.pk}, group=f"download:{download.pk}")
    audit_record(actor=acting_user, action="export", obj=download, note=f"{kind} requested")
    return download


def _counted(download_id: int, rows: Iterable[list]) -> Iterator[list]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            Download.objects.filter(pk=download_id).update(rows_done=done)


def download_build(*, download_id: int) -> None:
    """The worker's side: claim (pending -> building, or take over a build a dead worker left),
    write the XLSX to a temp file, store it, mark it ready. Idempotent: a ready file is kept."""
    download = Download.objects.filter(pk=download_id).select_related("requested_by").first()
    if download is None or download.status == Download.Status.READY:
        return
    if not Download.objects.filter(pk=download_id, status__in=[
            Download.Status.PENDING, Download.Status.BUILDING]).update(
            status=Download.Status.BUILDING, rows_done=0, error=""):
        return
    try:
        kind = _kind(download.kind)
        kind.check(download.requested_by, download.params)
        spec = kind.rows(download.requested_by, download.params)
        Download.objects.filter(pk=download_id).update(rows_total=spec.total)
        name = _write(download, spec)
    except Exception as exc:
        Download.objects.filter(pk=download_id).update(
            status=Download.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise PermanentError(str(exc) or exc.__class__.__name__) from exc
    Download.objects.filter(pk=download_id).update(
        status=Download.Status.READY, file=name, rows_done=spec.total,
        finished_at=timezone.now())


def _write(download: Download, spec: Rows) -> str:
    """XLSX into a local temp file (openpyxl write-only keeps one row in memory), then one save
    to default_storage (a local file or an object store)."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as handle:
            exports.write_xlsx(handle, _counted(download.pk, spec.rows), title=spec.sheet,
                               **spec.xlsx)
        with open(path, "rb") as handle:
            return default_storage.save(f"downloads/{download.pk}/{download.filename}",
                                        File(handle))
    finally:
        os.unlink(path)


def download_for(*, user, pk: int) -> Download | None:
    """The download if `user` asked for it (None: 404), checked again against its kind."""
    download = Download.objects.filter(pk=pk, requested_by=user).first()
    if download is not None:
        _kind(download.kind).check(user, download.params)  # PermissionDenied if lost since
    return download


def download_served(*, user, download: Download) -> None:
    audit_record(actor=user, action="download", obj=download, note=download.filename)


def downloads_clean(*, now: datetime | None = None) -> int:
    """Retention: files and rows older than DOWNLOADS_KEEP_HOURS are removed (hourly)."""
    cutoff = (now or timezone.now()) - timedelta(hours=keep_hours())
    removed = 0
    for download in Download.objects.filter(created_at__lt=cutoff).order_by("pk"):
        if download.file.name:
            try:
                default_storage.delete(download.file.name)
            except OSError:
                log.warning("could not delete %s; kept for the next sweep", download.file.name)
                continue
        download.delete()
        removed += 1
    return removed
