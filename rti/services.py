"""Writes for RTI: prepare (build) an FPS or EPS, mark it downloaded, send it through the
transport, record HMRC's answer; and the gender HMRC has on record. Each audited.

A message with problems is not written at all (the page lists them); a message that went to
HMRC is never rebuilt (a correction is a new FPS, or an EPS for a later month)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.access import require_not_self
from liabilities.employers import LegalEmployer
from payroll.models import PayRun
from rti import govtalk
from rti import messages as M
from rti.access import require_files_rti
from rti.models import RtiPerson, RtiSubmission
from rti.selectors import Prepared, Problem, eps_prepare_values, fps_prepare_values, fps_refusal
from rti.transport import TransportError, transport

Status = RtiSubmission.Status
# HMRC's CorrelationID is a hexadecimal string (32 characters in the Transaction Engine's
# answers); HROps accepts letters and digits, up to 40, so a test service's ids fit too.
CORRELATION = re.compile(r"^[0-9A-Za-z]{1,40}$")


def _message(prepared: Prepared) -> tuple[str, str]:
    office, reference = M.split_paye_reference(prepared.paye_reference)
    if prepared.kind == "fps":
        body = M.fps_body(prepared.refs, prepared.payment, prepared.employees)
    else:
        body = M.eps_body(prepared.refs, prepared.eps)
    data, mark = govtalk.finished(prepared.kind, body, office=office, reference=reference)
    return data.decode("utf-8"), mark


def _store(prepared: Prepared, lookup: dict, extra: dict, acting_user) -> RtiSubmission:
    """Create or rebuild the submission row (locked); unchanged when the message is the same."""
    message, mark = _message(prepared)
    submission, created = RtiSubmission.objects.select_for_update().get_or_create(
        **lookup, defaults={"paye_reference": prepared.paye_reference,
                            "tax_year": prepared.tax_year, "tax_month": prepared.tax_month})
    if submission.status not in RtiSubmission.REBUILDABLE:
        return submission
    if not created and submission.message == message and submission.figures == prepared.figures:
        return submission
    before = submission.irmark
    submission.message, submission.irmark, submission.figures = message, mark, prepared.figures
    submission.status, submission.last_error = Status.DRAFT, ""
    submission.prepared_at, submission.prepared_by = timezone.now(), acting_user
    for name, value in extra.items():
        setattr(submission, name, value)
    submission.save()
    audit_record(actor=acting_user, action="create" if created else "update", obj=submission,
                 changes={"irmark": [before or None, mark], "status": [None, Status.DRAFT]},
                 note=f"RTI {prepared.kind.upper()} prepared")
    return submission


def fps_prepare(*, run: PayRun, acting_user, late_reason: str = ""
                ) -> tuple[RtiSubmission | None, list[Problem]]:
    """The run's FPS, built (or rebuilt while HMRC does not have it) from its finalised
    payslips; (None or the existing row, problems) when something must be fixed first."""
    require_files_rti(acting_user)
    refusal = fps_refusal(run)
    if refusal:
        raise ValidationError(refusal)
    if late_reason and late_reason not in M.LATE_REASONS:
        raise ValidationError({"late_reason": _("That is not one of HMRC's late reasons.")})
    prepared = fps_prepare_values(run, late_reason=late_reason)
    existing = RtiSubmission.objects.filter(kind=RtiSubmission.Kind.FPS, run=run).first()
    if prepared.problems:
        return existing, prepared.problems
    with transaction.atomic():
        return _store(prepared, {"kind": RtiSubmission.Kind.FPS, "run": run},
                      {"late_reason": late_reason}, acting_user), []


def eps_prepare(*, employer: LegalEmployer, tax_year: str, month: int, final_for_year: bool,
                acting_user) -> tuple[RtiSubmission | None, list[Problem]]:
    require_files_rti(acting_user)
    if employer.country != "GB":
        raise ValidationError(_("An EPS is for UK employers (PAYE) only."))
    if not 1 <= month <= 12:
        raise ValidationError(_("A tax month is 1 to 12."))
    prepared = eps_prepare_values(employer, tax_year, month, final_for_year=final_for_year)
    lookup = {"kind": RtiSubmission.Kind.EPS, "paye_reference": employer.reference,
              "tax_year": tax_year, "tax_month": month}
    if prepared.problems:
        return RtiSubmission.objects.filter(**lookup).first(), prepared.problems
    with transaction.atomic():
        return _store(prepared, lookup, {"final_for_year": final_for_year}, acting_user), []


def _lock(submission: RtiSubmission) -> RtiSubmission:
    return RtiSubmission.objects.select_for_update().get(pk=submission.pk)


def _move(row: RtiSubmission, new: str) -> None:
    if new not in RtiSubmission.ALLOWED[row.status]:
        raise ValidationError(_("A submission that is %(old)s cannot become %(new)s.") % {
            "old": row.get_status_display().lower(), "new": Status(new).label.lower()})
    row.status = new


@transaction.atomic
def submission_download(*, submission: RtiSubmission, acting_user) -> RtiSubmission:
    """The XML is handed out: a draft (or a rejected one, to send again) becomes downloaded.
    Audited every time, since the file holds every employee's NI number and pay."""
    require_files_rti(acting_user)
    row = _lock(submission)
    if not row.message:
        raise ValidationError(_("This submission has no message yet: prepare it first."))
    old = row.status
    if old in (Status.DRAFT, Status.REJECTED):
        _move(row, Status.DOWNLOADED)
        row.downloaded_at = timezone.now()
        row.save(update_fields=["status", "downloaded_at"])
    audit_record(actor=acting_user, action="download", obj=row,
                 changes={"status": [old, row.status]} if old != row.status else {},
                 note=f"RTI {row.kind.upper()} XML downloaded")
    return row


def submission_send(*, submission: RtiSubmission, acting_user) -> RtiSubmission:
    """Send through the configured transport. The row is claimed first (a conditional UPDATE:
    two clicks cannot send twice), the transport called outside any transaction, and the claim
    undone if nothing was sent."""
    require_files_rti(acting_user)
    sender = transport()
    if not sender.can_send:
        raise ValidationError(_("This installation only offers the download: send the file "
                                "with your HMRC filing software, then record HMRC's answer."))
    sendable = [s for s, allowed in RtiSubmission.ALLOWED.items() if Status.SUBMITTED in allowed]
    claimed = RtiSubmission.objects.filter(pk=submission.pk, status__in=sendable).exclude(
        message="").update(status=Status.SUBMITTED, submitted_at=timezone.now())
    if claimed != 1:
        raise ValidationError(_("This submission cannot be sent now (already sent, accepted, "
                                "or not prepared)."))
    row = RtiSubmission.objects.get(pk=submission.pk)
    try:
        receipt = sender.send(kind=row.kind, message=row.message.encode("utf-8"))
    except (TransportError, ConnectionError, TimeoutError) as exc:
        RtiSubmission.objects.filter(pk=row.pk).update(status=Status.DRAFT, submitted_at=None,
                                                       last_error=str(exc)[:2000])
        raise ValidationError(_("Not sent: %(e)s") % {"e": exc}) from exc
    with transaction.atomic():
        row = _lock(row)
        row.correlation_id, row.acknowledgement = receipt.correlation_id, receipt.message
        row.save(update_fields=["correlation_id", "acknowledgement"])
        audit_record(actor=acting_user, action="submit", obj=row,
                     changes={"status": [None, Status.SUBMITTED],
                              "correlation_id": [None, receipt.correlation_id]},
                     note=f"RTI {row.kind.upper()} sent ({sender.label})")
    return row


ANSWERS = (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED)


@transaction.atomic
def submission_answer(*, submission: RtiSubmission, outcome: str, correlation_id: str,
                      acknowledgement: str, acting_user) -> RtiSubmission:
    """Record what HMRC said: sent (with the correlation id), accepted or rejected (with the
    acknowledgement or the errors). Idempotent for the same answer."""
    require_files_rti(acting_user)
    if outcome not in ANSWERS:
        raise ValidationError({"outcome": _("Choose sent, accepted or rejected.")})
    correlation_id = correlation_id.strip()
    if not CORRELATION.match(correlation_id):
        raise ValidationError({"correlation_id": _(
            "The correlation ID is HMRC's reference for the submission: letters and digits, "
            "up to 40 (as in HMRC's acknowledgement).")})
    row = _lock(submission)
    if row.status == outcome and row.correlation_id == correlation_id:
        return row
    if not row.message:
        raise ValidationError(_("This submission has no message yet: prepare it first."))
    old = {"status": row.status, "correlation_id": row.correlation_id}
    _move(row, outcome)
    now = timezone.now()
    row.correlation_id, row.acknowledgement = correlation_id, acknowledgement.strip()[:4000]
    if outcome == Status.SUBMITTED or row.submitted_at is None:
        row.submitted_at = now
    if outcome != Status.SUBMITTED:
        row.answered_at, row.answered_by = now, acting_user
    row.save(update_fields=["status", "correlation_id", "acknowledgement", "submitted_at",
                            "answered_at", "answered_by"])
    audit_record(actor=acting_user, action="update", obj=row, changes={
        "status": [old["status"], outcome],
        "correlation_id": [old["correlation_id"] or None, correlation_id]},
        note=f"RTI {row.kind.upper()}: HMRC answer recorded")
    return row


@transaction.atomic
def rti_person_set(*, employee, gender: str, acting_user) -> RtiPerson:
    """The gender HMRC has on record for the person (audited without the value)."""
    require_files_rti(acting_user)
    require_not_self(acting_user, employee, _("details reported to HMRC"))
    if gender not in RtiPerson.Gender.values:
        raise ValidationError({"gender": _("Choose M or F.")})
    row, created = RtiPerson.objects.select_for_update().get_or_create(
        employee=employee, defaults={"gender": gender, "updated_by": acting_user})
    if created or row.gender != gender:
        row.gender, row.updated_by = gender, acting_user
        row.save(update_fields=["gender", "updated_by", "updated_at"])
        audit_record(actor=acting_user, action="create" if created else "update", obj=row,
                     employee_id=employee.pk, changes={"gender": ["(hidden)", "(hidden)"]},
                     note="gender reported to HMRC")
    return row


@transaction.atomic
def rti_people_set(*, genders: dict, acting_user) -> int:
    """Several people's gender for HMRC at once (employee -> "M" / "F"), all or none."""
    for employee, gender in genders.items():
        rti_person_set(employee=employee, gender=gender, acting_user=acting_user)
    return len(genders)
