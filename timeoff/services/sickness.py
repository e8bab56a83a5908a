"""Sickness: recorded by HR or the manager, or self-certified by the employee for up to 7 days
(in the UK an employee self-certifies the first 7 calendar days; after that a fit note is needed:
The Statutory Sick Pay (Medical Evidence) Regulations 1985, reg. 2). Recorded sickness is
approved at once (there is nothing to approve) and is what payroll's SSP reads."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.access import is_self
from employees.models import Employee
from hrops.uploads import safe_file_name, validate_upload
from lifecycle.services.followups import followup_task_add
from timeoff import access
from timeoff.models import Category, LeaveRequest, LeaveType
from timeoff.services import inapp, notices
from timeoff.services.requests import Dates, _approve_effects, _audit, _lock, _validate_new

SELF_CERT_DAYS = 7
RTW_CHECKLIST = "Return to work"


def sick_type() -> LeaveType:
    leave_type = LeaveType.objects.filter(category=Category.SICK, is_active=True).order_by(
        "pk").first()
    if leave_type is None:
        raise ValidationError(_("No active sickness leave type is set up."))
    return leave_type


def needs_fit_note(request: LeaveRequest) -> bool:
    return ((request.last_day - request.first_day).days + 1 > SELF_CERT_DAYS
            and not request.fit_note)


@transaction.atomic
def sickness_record(*, employee: Employee, first_day: date, last_day: date, acting_user,
                    note: str = "", leave_type: LeaveType | None = None) -> LeaveRequest:
    leave_type = leave_type or sick_type()
    if leave_type.category != Category.SICK:
        raise ValidationError(_("Sickness is recorded with a sickness leave type."))
    if not access.can_record_sickness(acting_user, employee):
        raise PermissionDenied(_("You may not record sickness for this person."))
    own = is_self(acting_user, employee)
    if own and (last_day - first_day).days + 1 > SELF_CERT_DAYS:
        raise ValidationError(
            _("You can self-certify up to 7 days. For longer sickness, your manager or HR "
              "records it with a fit note."), code="self_cert")
    employee = _lock(employee)
    dates = Dates(first_day, last_day)
    amount = _validate_new(employee, leave_type, dates)
    request = LeaveRequest.objects.create(
        employee=employee, leave_type=leave_type, first_day=first_day, last_day=last_day,
        amount=amount, note=note.strip(), requested_by=acting_user, self_certified=own,
        status=LeaveRequest.Status.APPROVED, decided_by=None if own else acting_user,
        decided_at=timezone.now())
    _approve_effects(request, acting_user)
    _audit(request, acting_user, "create", {})
    _return_to_work(request, acting_user)
    notices.enqueue(request, "approved" if not own else "requested", inapp=False)
    inapp.sickness_recorded(request, acting_user, fit_note_due=needs_fit_note(request))
    return request


def _return_to_work(request: LeaveRequest, acting_user) -> None:
    """A return-to-work conversation with the manager, due the first working day back."""
    back = request.last_day + timedelta(days=1)
    while back.weekday() > 4:
        back += timedelta(days=1)
    followup_task_add(
        acting_user=acting_user, employee=request.employee, checklist_name=RTW_CHECKLIST,
        title=_("Return-to-work conversation (sickness %(first)s – %(last)s)")
        % {"first": request.first_day, "last": request.last_day}, due=back,
        instructions=_("Welcome them back, check they are fit to work and whether any "
                       "adjustments are needed. A fit note is needed after 7 days."))


@transaction.atomic
def fit_note_attach(*, request: LeaveRequest, upload: UploadedFile, acting_user) -> LeaveRequest:
    """The fit note, through the same upload checks as every other document."""
    if request.leave_type.category != Category.SICK:
        raise ValidationError(_("Fit notes belong to sickness."))
    if not access.can_record_sickness(acting_user, request.employee):
        raise PermissionDenied(_("You may not add a fit note here."))
    content_type = validate_upload(upload, kinds=("pdf", "png", "jpeg"))
    request = LeaveRequest.objects.select_for_update().get(pk=request.pk)
    old = request.fit_note.name
    request.fit_note.save(safe_file_name(upload.name, "fit-note"), upload, save=False)
    request.fit_note_content_type = content_type
    request.save(update_fields=["fit_note", "fit_note_content_type"])
    audit_record(actor=acting_user, action="update", obj=request,
                 employee_id=request.employee_id, note="fit note",
                 changes={"fit_note": [old or None, request.fit_note.name]})
    return request
