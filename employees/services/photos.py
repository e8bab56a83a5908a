"""Profile photos: validated and re-encoded with Pillow (installed with WeasyPrint), stored
through default_storage, audited. The stored file is always a JPEG we wrote ourselves, square
and at most PHOTO_SIZE pixels, so no uploaded bytes (scripts in SVG, EXIF with GPS, a
decompression bomb) ever reach a browser."""

import io
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from audit.services import audit_record
from employees.access import Section, can_change
from employees.models import Employee, ProfilePhoto

log = logging.getLogger(__name__)

PHOTO_SIZE = 256  # px, square: twice the largest box it is shown in (sharp on HiDPI screens)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def photo_validate_and_resize(upload) -> bytes:
    """The upload as a square JPEG of PHOTO_SIZE px, or ValidationError saying what is wrong."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()  # truncated or corrupt files fail here, before any decoding
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a photo we can read (JPEG, PNG, WebP "
                                "or GIF).")) from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF photo."))
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The photo has too many pixels (at most 40 megapixels)."))
    if min(width, height) < 32:
        raise ValidationError(_("The photo is too small (at least 32 × 32 pixels)."))
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        square = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif/icc passed on: the stored file carries no metadata from the upload.
    square.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _require_may_change(acting_user, employee: Employee) -> None:
    if not can_change(acting_user, employee, Section.PHOTO):
        raise PermissionDenied(_("You may not change this person's photo."))


def photo_upload(*, acting_user, employee: Employee, upload) -> ProfilePhoto:
    """Replace the employee's photo (HR, or the employee themself)."""
    _require_may_change(acting_user, employee)
    data = photo_validate_and_resize(upload)  # slow work before the transaction
    photo = ProfilePhoto(employee=employee)
    name = photo.image.storage.save(photo.image.field.generate_filename(photo, "photo.jpg"),
                                    ContentFile(data))
    try:
        old_name = _photo_save(acting_user=acting_user, employee=employee, name=name)
    except Exception:
        photo.image.storage.delete(name)  # no orphan file when the row is not written
        raise
    if old_name:
        transaction.on_commit(lambda: _delete_file(old_name))
    return ProfilePhoto.objects.get(employee=employee)


@transaction.atomic
def _photo_save(*, acting_user, employee: Employee, name: str) -> str:
    current = ProfilePhoto.objects.select_for_update().filter(employee=employee).first()
    old_name = current.image.name if current else ""
    photo = current or ProfilePhoto(employee=employee)
    photo.image.name = name
    photo.uploaded_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    photo.save()
    audit_record(actor=acting_user, action="update" if current else "create", obj=photo,
                 employee_id=employee.pk, changes={"photo": [old_name or None, name]},
                 note="profile photo")
    return old_name


@transaction.atomic
def photo_remove(*, acting_user, employee: Employee) -> None:
    _require_may_change(acting_user, employee)
    photo = ProfilePhoto.objects.select_for_update().filter(employee=employee).first()
    if photo is None:
        return  # already gone
    name = photo.image.name
    audit_record(actor=acting_user, action="delete", obj=photo, employee_id=employee.pk,
                 changes={"photo": [name, None]}, note="profile photo")
    photo.delete()
    transaction.on_commit(lambda: _delete_file(name))


def _delete_file(name: str) -> None:
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except OSError:
        log.warning("Could not delete the replaced photo %s", name)
