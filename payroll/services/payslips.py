"""The payslip pipeline after finalisation: render each PDF once (claimed by a conditional UPDATE),
store it with its SHA-256, email the employee once, and recover from failures and crashed workers.

Status per payslip: pending -> rendering -> ready | failed. Only these services change it.
A worker that claims a payslip leaves a lease file next to the PDFs with the claim time, so a
payslip stuck in "rendering" (the worker was killed) can be told apart from one still being
rendered without a lock held across the slow part; `payslips_retry_stuck` re-queues the former.
"""

import logging
import os
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from hrops.mail import send_templated_email
from payroll.models import PayRun, Payslip
from payroll.pdf import PayslipDocument, PdfLine, payslip_html, render_pdf, sha256
from payroll.services.payment_details import payer_name

log = logging.getLogger(__name__)
S = Payslip.PdfStatus
CLAIMABLE = (S.PENDING, S.FAILED)
STUCK_AFTER = timedelta(minutes=10)

YTD_LABELS = {
    "gross": "Gross pay", "net": "Net pay",
    "us_income_tax_wages": "Federal taxable wages", "us_fica_wages": "FICA wages",
    "us_federal_income_tax": "Federal income tax", "us_social_security_tax": "Social Security",
    "us_medicare_tax": "Medicare", "uk_taxable_pay": "Taxable pay", "uk_tax_paid": "Tax paid",
    "uk_ni_pay": "NIable pay", "uk_employee_ni": "Employee NI", "uk_employer_ni": "Employer NI",
    "uk_director_ni_pay": "Director NIable pay", "uk_director_employee_ni": "Director employee NI",
    "uk_director_employer_ni": "Director employer NI",
}


def pdf_name(payslip: Payslip) -> str:
    """One fixed name per payslip: re-rendering replaces the file, never adds a second one."""
    return f"payslips/{payslip.run_id}/payslip-{payslip.pk}.pdf"


def _lease_name(payslip_id: int, run_id: int) -> str:
    return f"payslips/{run_id}/.payslip-{payslip_id}.lease"


def _bank_last4(employee_ids: list[int]) -> dict[int, str]:
    """Last four digits of each employee's primary account. Reads only the plain `last4`
    column: the payslip never needs (so never decrypts) the full number."""
    from employees.models import BankAccount

    return dict(
        BankAccount.objects.filter(
            employee_id__in=employee_ids, is_primary=True, is_active=True
        ).exclude(last4="").values_list("employee_id", "last4")
    )


UK_TAX_LABELS = (("tax_code", "Tax code"), ("basis", "Tax basis"), ("tax_period", "Tax period"),
                 ("ni_number", "NI number"), ("ni_category", "NI category"))


def _tax_details(issued: dict) -> tuple[tuple[str, str], ...]:
    tax = issued.get("tax", {})
    if "w4" in tax:
        return (("Withholding", tax["w4"]),)
    return tuple((label, tax[key]) for key, label in UK_TAX_LABELS if tax.get(key))


def _employer_reference(employer: dict) -> tuple[str, str] | tuple[()]:
    if employer.get("paye_reference"):
        return ("Employer PAYE reference", employer["paye_reference"])
    if employer.get("ein"):
        return ("EIN", employer["ein"])
    return ()


def payslip_document(payslip: Payslip) -> PayslipDocument:
    """The printed content of a payslip, from its stored (frozen) figures and lines, and what
    was recorded about the employer, the tax setup and the bank account at finalisation. A
    payslip finalised before those were recorded falls back to the schedule and current data."""
    run, employee = payslip.run, payslip.employee
    issued = payslip.issued_details or {}
    employer = issued.get("employer") or {}
    last4 = payslip.bank_last4 if payslip.payment_method else _bank_last4(
        [employee.pk]).get(employee.pk, "")
    line_ytd = issued.get("line_ytd", {})
    ytd = tuple(
        (YTD_LABELS.get(key, key.replace("_", " ").capitalize()), Decimal(str(value)))
        for key, value in sorted(payslip.ytd.items(), key=lambda kv: (kv[0] != "gross", kv[0]))
    )
    return PayslipDocument(
        company_name=employer.get("payer_name") or payer_name(run.schedule),
        number=payslip.display_number,
        employee_name=f"{employee.legal_first_name} {employee.legal_last_name}",
        employee_number=employee.employee_number,
        department=employee.department.name if employee.department else "",
        currency=payslip.currency, period_start=run.period.start_date,
        period_end=run.period.end_date, pay_date=run.pay_date, tax_year=payslip.tax_year,
        lines=tuple(
            PdfLine(x.code, x.description, x.category, x.quantity, x.rate, x.amount,
                    Decimal(line_ytd[x.code]) if x.code in line_ytd else None)
            for x in payslip.lines.all()
        ),
        gross=payslip.gross, total_pre_tax=payslip.total_pre_tax,
        total_employee_tax=payslip.total_employee_tax, total_post_tax=payslip.total_post_tax,
        net=payslip.net, employer_cost=payslip.employer_cost, ytd=ytd,
        bank_masked=f"•••• {last4}" if last4 else "",
        employer_legal_name=employer.get("legal_name", ""),
        employer_address=", ".join(employer.get("address", "").splitlines()),
        employer_reference=_employer_reference(employer),
        tax_details=_tax_details(issued),
    )


RENDER_BATCH = 20


def payslips_render_for_run(run_id: int) -> int:
    """Queue a PDF for every pending payslip of a finalised run (after commit); the count.

    Payslips go to the workers in batches of RENDER_BATCH ids (fewer broker round trips); each
    payslip in a batch is still claimed on its own, so a redelivered batch skips what is done."""
    from payroll.tasks_payslips import payslip_render_batch_task

    ids = list(
        Payslip.objects.filter(
            run_id=run_id, run__status__in=PayRun.FROZEN, pdf_status=S.PENDING
        ).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), RENDER_BATCH):
        payslip_render_batch_task.delay_on_commit(ids[start:start + RENDER_BATCH])
    return len(ids)


def _store(name: str, data: bytes, *, durable: bool = True) -> None:
    """Write the file atomically: a temp file in the same directory, then rename over the
    target, so a reader never sees half a PDF and a crash leaves at most a stray temp file."""
    try:
        target = default_storage.path(name)
    except NotImplementedError:  # remote storage: a single PUT is already atomic
        default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _lease_write(payslip_id: int, run_id: int, now: datetime) -> None:
    # Advisory only (a lost lease means "treat as stuck"), so no fsync.
    _store(_lease_name(payslip_id, run_id), now.isoformat().encode(), durable=False)


def _lease_time(payslip_id: int, run_id: int) -> datetime | None:
    name = _lease_name(payslip_id, run_id)
    try:
        with default_storage.open(name, "rb") as handle:
            return datetime.fromisoformat(handle.read().decode())
    except (FileNotFoundError, ValueError, OSError):
        return None


def _lease_clear(payslip_id: int, run_id: int) -> None:
    default_storage.delete(_lease_name(payslip_id, run_id))


def payslip_render(payslip_id: int) -> str | None:
    """Render one payslip's PDF if it is pending or failed; returns the new status, or None when
    another worker has it (or it is done). Never raises for a rendering error: the error is kept
    on the payslip for the run page, where a Payroll Admin can retry it."""
    run_id = Payslip.objects.filter(pk=payslip_id).values_list("run_id", flat=True).first()
    if run_id is None:
        log.warning("payslip %s vanished before rendering", payslip_id)
        return None
    # The claim: exactly one worker moves it to "rendering"; every other one sees 0 rows.
    claimed = Payslip.objects.filter(
        pk=payslip_id, pdf_status__in=CLAIMABLE, run__status__in=PayRun.FROZEN
    ).update(pdf_status=S.RENDERING, pdf_attempts=F("pdf_attempts") + 1, pdf_error="")
    if not claimed:
        return None
    _lease_write(payslip_id, run_id, timezone.now())
    try:
        # Slow work outside any transaction: load, render, write the file.
        payslip = (
            Payslip.objects.select_related("run__period", "run__schedule",
                                           "employee__department")
            .prefetch_related("lines").get(pk=payslip_id)
        )
        data = render_pdf(payslip_html(payslip_document(payslip)))
        name = pdf_name(payslip)
        _store(name, data)
    except Exception as exc:
        log.exception("payslip %s failed to render", payslip_id)
        Payslip.objects.filter(pk=payslip_id, pdf_status=S.RENDERING).update(
            pdf_status=S.FAILED, pdf_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        _lease_clear(payslip_id, run_id)
        return S.FAILED
    with transaction.atomic():
        done = Payslip.objects.filter(pk=payslip_id, pdf_status=S.RENDERING).update(
            pdf_status=S.READY, pdf_file=name, pdf_sha256=sha256(data), pdf_error=""
        )
        if done:
            from payroll.tasks_payslips import payslip_email_task

            payslip_email_task.delay_on_commit(payslip_id)
    _lease_clear(payslip_id, run_id)
    return S.READY if done else None


def payslip_email(payslip_id: int) -> bool:
    """Tell the employee their payslip is ready (a portal link, never the PDF), exactly once.

    `emailed_at` is claimed by a conditional UPDATE before sending, so two workers (or a task
    delivered twice) send one email; if sending fails the claim is released for the retry."""
    now = timezone.now()
    claimed = Payslip.objects.filter(
        pk=payslip_id, pdf_status=S.READY, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return False
    payslip = Payslip.objects.select_related("employee__user", "run__schedule").get(pk=payslip_id)
    employee = payslip.employee
    user = employee.user
    address = (user.email if user and user.is_active else "") or employee.personal_email \
        or employee.work_email
    if not address:
        log.info("payslip %s: employee %s has no email address", payslip_id, employee.pk)
        return False
    # The schedule's payer (as recorded at finalisation), also in the email's header and footer.
    employer = (payslip.issued_details.get("employer") or {}).get("payer_name") \
        or payer_name(payslip.run.schedule)
    try:
        send_templated_email(
            "payslip_ready",
            {"first_name": employee.preferred_name or employee.legal_first_name,
             "pay_date": payslip.run.pay_date, "employer": employer, "company_name": employer,
             "portal_url": settings.SITE_URL.rstrip("/") + reverse("payroll:my_payslips")},
            to=[address],
        )
    except Exception:
        Payslip.objects.filter(pk=payslip_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def _require_payroll_admin(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may do this."))


@transaction.atomic
def payslip_retry(*, payslip: Payslip, acting_user) -> Payslip:
    """Queue a failed payslip again (from the run page)."""
    _require_payroll_admin(acting_user)
    payslip = Payslip.objects.select_for_update().get(pk=payslip.pk)
    if payslip.pdf_status != S.FAILED:
        raise ValidationError(_("Only a payslip whose PDF failed can be retried."))
    from payroll.tasks_payslips import payslip_render_task

    audit_record(actor=acting_user, action="other", obj=payslip,
                 employee_id=payslip.employee_id,
                 note=f"payslip PDF retried after: {payslip.pdf_error[:150]}")
    payslip_render_task.delay_on_commit(payslip.pk)
    return payslip


def payslips_retry_stuck(
    *, run_id: int | None = None, older_than: timedelta = STUCK_AFTER,
    now: datetime | None = None, acting_user=None,
) -> int:
    """Put payslips left in "rendering" by a dead worker back to pending and queue them.

    Stuck = rendering and its lease is older than `older_than` (or missing). The reset is a
    conditional UPDATE, so a worker that finishes meanwhile wins and nothing is done twice; the
    fixed file name means a re-render replaces the file rather than adding one."""
    from payroll.tasks_payslips import payslip_render_task

    now = now or timezone.now()
    candidates = Payslip.objects.filter(pdf_status=S.RENDERING, run__status__in=PayRun.FROZEN)
    if run_id is not None:
        candidates = candidates.filter(run_id=run_id)
    requeued = 0
    for payslip_id, pid_run in candidates.values_list("pk", "run_id"):
        leased = _lease_time(payslip_id, pid_run)
        if leased is not None and now - leased < older_than:
            continue
        with transaction.atomic():
            reset = Payslip.objects.filter(pk=payslip_id, pdf_status=S.RENDERING).update(
                pdf_status=S.PENDING, pdf_error=_("Re-queued: the worker stopped mid-render.")
            )
            if reset:
                requeued += 1
                payslip_render_task.delay_on_commit(payslip_id)
        _lease_clear(payslip_id, pid_run)
    if requeued and acting_user is not None and run_id is not None:
        run = PayRun.objects.get(pk=run_id)
        audit_record(actor=acting_user, action="other", obj=run,
                     note="payslip PDFs re-queued (stuck)", changes={"requeued": [None, requeued]})
    return requeued


@transaction.atomic
def payslips_retry_failed_for_run(*, run: PayRun, acting_user) -> int:
    """Queue every failed payslip of a run again; the count."""
    _require_payroll_admin(acting_user)
    from payroll.tasks_payslips import payslip_render_task

    ids = list(run.payslips.filter(pdf_status=S.FAILED).values_list("pk", flat=True))
    for payslip_id in ids:
        payslip_render_task.delay_on_commit(payslip_id)
    if ids:
        audit_record(actor=acting_user, action="other", obj=run, note="failed payslip PDFs retried",
                     changes={"payslips": [None, len(ids)]})
    return len(ids)


def payslip_download_audit(*, payslip: Payslip, acting_user) -> None:
    audit_record(actor=acting_user, action="download", obj=payslip,
                 employee_id=payslip.employee_id)
