"""Checking a file someone uploads: allowed kind, size limit, and the content's own signature.

Every upload a person makes (profile documents, checklist tasks, compliance evidence) passes
`validate_upload`. The name and the browser's content type are only claims: the first bytes of
the file decide, and the content type we store and serve back is ours, never the browser's.

Active content is refused too (ASVS 5.0 V5.2.2/V5.2.3): a PDF with JavaScript or a launch action
(also when hidden in a compressed object stream or behind #xx name escapes), and an archive (a
DOCX is a ZIP) that expands past HROPS_MAX_ARCHIVE_EXPANDED_BYTES, by more than
HROPS_MAX_ARCHIVE_RATIO times its size, or into more than HROPS_MAX_ARCHIVE_ENTRIES files -
measured by really decompressing, since an archive's own size claims can lie.
"""

import math
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    label: str  # as people know it, in messages
    extensions: tuple[str, ...]
    content_type: str  # stored and served back
    signatures: tuple[bytes, ...]  # leading bytes of a genuine file
    aliases: tuple[str, ...] = ()  # other content types browsers send for it


KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", ("pdf",), "application/pdf", (b"%PDF-",)),
    "png": Kind("PNG", ("png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": Kind("JPEG", ("jpg", "jpeg"), "image/jpeg", (b"\xff\xd8\xff",),
                 aliases=("image/pjpeg",)),
    # A DOCX is a ZIP archive, so this signature proves no more than "some ZIP".
    "docx": Kind("DOCX", ("docx",),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 (b"PK\x03\x04",)),
}
DEFAULT_KINDS = ("pdf", "png", "jpeg")

# Content types that name one of our kinds; a browser claiming one of these for a file whose
# extension is another kind is contradicting itself. Other claims (text/plain from some clients,
# application/octet-stream) carry no information and are left to the signature check.
_KNOWN_TYPES = {t for kind in KINDS.values() for t in (kind.content_type, *kind.aliases)}


def validate_upload(upload: UploadedFile, *, kinds: Iterable[str] = DEFAULT_KINDS,
                    max_bytes: int | None = None) -> str:
    """Return the content type to store for `upload`, or raise ValidationError.

    `kinds` are keys of KINDS; `max_bytes` defaults to settings.HROPS_MAX_UPLOAD_BYTES.
    The file is left rewound to its start.
    """
    allowed = [KINDS[key] for key in kinds]
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in allowed if ext in k.extensions), None)
    if kind is None:
        raise ValidationError(
            _("Files must be %(kinds)s.") % {
                "kinds": get_text_list([k.label for k in allowed], _("or"))},
            code="file_kind")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    limit = settings.HROPS_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": format_size(size), "limit": format_size(limit)},
            code="file_too_large")
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if declared in _KNOWN_TYPES and declared not in (kind.content_type, *kind.aliases):
        raise ValidationError(
            _("The file is marked as %(type)s, which does not match its .%(ext)s extension.")
            % {"type": declared, "ext": ext},
            code="file_type_mismatch")
    if not _starts_with_any(upload, kind.signatures):
        raise ValidationError(
            _("The file's content does not match its .%(ext)s extension.") % {"ext": ext},
            code="file_content_mismatch")
    check = _CONTENT_CHECKS.get(kind.content_type)
    if check is not None:
        upload.seek(0)
        try:
            check(upload)
        finally:
            upload.seek(0)
    return kind.content_type


# PDF names may spell a letter as #xx (/J#61vaScript is /JavaScript).
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9])")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024  # decompressed bytes we are willing to scan


def _pdf_has_active_content(data: bytes) -> bool:
    def active(chunk: bytes) -> bool:
        plain = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)
        return bool(_PDF_ACTIVE.search(plain))

    if active(data):
        return True
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (an image, say): nothing readable to hide a name in
        budget -= len(inflated)
        if active(inflated):
            return True
        if budget <= 0 or inflater.unconsumed_tail:
            raise ValidationError(_("This PDF expands too much to be checked."),
                                  code="file_archive_bomb")
    return False


def _check_pdf(upload: UploadedFile) -> None:
    if _pdf_has_active_content(upload.read()):
        raise ValidationError(
            _("This PDF contains JavaScript or an action that launches a program, so it is "
              "refused. Print it to a new PDF and upload that."), code="file_active_content")


def _check_archive(upload: UploadedFile) -> None:
    max_total = getattr(settings, "HROPS_MAX_ARCHIVE_EXPANDED_BYTES", 100 * 1024 * 1024)
    max_ratio = getattr(settings, "HROPS_MAX_ARCHIVE_RATIO", 100)
    max_entries = getattr(settings, "HROPS_MAX_ARCHIVE_ENTRIES", 10_000)
    limit = min(max_total, max(upload.size or 1, 1) * max_ratio)
    too_big = ValidationError(_("This archive expands to too much data to be accepted."),
                              code="file_archive_bomb")
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > max_entries:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(64 * 1024):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ValidationError(_("The file is not a readable archive."),
                              code="file_content_mismatch") from exc


_CONTENT_CHECKS = {
    "application/pdf": _check_pdf,
    KINDS["docx"].content_type: _check_archive,
}


def _starts_with_any(upload: UploadedFile, signatures: tuple[bytes, ...]) -> bool:
    # Sniff from the start whatever read the file before us, and rewind after, so the storage
    # backend saves the whole file.
    upload.seek(0)
    try:
        head = upload.read(max(len(s) for s in signatures))
    finally:
        upload.seek(0)
    return any(head.startswith(s) for s in signatures)


def format_size(num_bytes: int) -> str:
    """'12.3 MB', '10 MB', '800 KB', '10 bytes'; rounded up, so a file just over a limit does
    not read as equal to it."""
    for unit, label in ((1024 * 1024, _("%(n)s MB")), (1024, _("%(n)s KB"))):
        if num_bytes >= unit:
            value = math.ceil(num_bytes * 10 / unit) / 10
            return label % {"n": number_format(value, 0 if value.is_integer() else 1)}
    return _("%(n)s bytes") % {"n": num_bytes}


def safe_file_name(original: str, default: str = "file") -> str:
    """A name safe to write inside an archive or a download header: the last path segment of
    what the uploader called it (either slash), reduced to letters, digits, '-', '_' and '.'."""
    from pathlib import PurePosixPath

    from django.utils.text import get_valid_filename

    base = PurePosixPath((original or "").replace("\\", "/")).name
    try:
        return get_valid_filename(base)
    except Exception:  # SuspiciousFileOperation: nothing usable left (e.g. "..")
        return default


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Delete stored files once the surrounding transaction commits (never before: a rollback
    must not leave rows pointing at files that are gone). Missing files are ignored."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    def delete(name: str) -> None:
        if default_storage.exists(name):
            default_storage.delete(name)

    for name in names:
        if name:
            transaction.on_commit(lambda n=name: delete(n))
