"""The payslip pipeline after finalisation: render each PDF once, store it with its SHA-256,
email the employee once, and recover from failures and crashed workers.

Each PDF and each email is a delivery item (delivery/), written in the transaction that makes it
due: the finalise transaction for the PDFs, the "PDF ready" transaction for the email. The
delivery relay re-publishes whatever a broker outage or a dead worker left undone, so nothing
here sweeps for stuck rows. Status per payslip: pending -> rendering -> ready | failed.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from delivery.files import store_atomically
from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.registry import PermanentError
from delivery.services import delivery_enqueue, delivery_enqueue_many, delivery_retry_group
from payroll.models import PayRun, Payslip
from payroll.pdf import PayslipDocument, PdfLine, payslip_html, render_pdf, sha256
from payroll.services.payment_details import payer_name

log = logging.getLogger(__name__)
S = Payslip.PdfStatus
CLAIMABLE = (S.PENDING, S.FAILED)
PDF_KIND, EMAIL_KIND = "payslip.pdf", "payslip.email"

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


def run_group(run_id: int) -> str:
    return f"payrun:{run_id}"


def payslips_render_for_run(run_id: int) -> int:
    """Queue a PDF for every pending payslip of a finalised run; the count. Call it inside the
    transaction that finalises the run: the items exist exactly when the run is final, and are
    handed to the workers after commit (in batches, see payroll/deliveries.py)."""
    return payslips_queue_pdfs(Payslip.objects.filter(run_id=run_id, pdf_status=S.PENDING))


def payslips_queue_pdfs(payslips) -> int:
    """A PDF delivery item for each payslip of a frozen run in `payslips` (a queryset); the
    count. Idempotent: a payslip that already has its item keeps it."""
    rows = payslips.filter(run__status__in=PayRun.FROZEN).order_by("pk").values_list(
        "pk", "run_id")
    by_run: dict[int, list[int]] = {}
    for pk, run_id in rows:
        by_run.setdefault(run_id, []).append(pk)
    for run_id, ids in by_run.items():
        delivery_enqueue_many(kind=PDF_KIND, group=run_group(run_id),
                              items=((f"{PDF_KIND}:{pk}", {"payslip_id": pk}) for pk in ids))
    return sum(len(ids) for ids in by_run.values())


def payslip_render(payslip_id: int, *, take_over: bool = False) -> str | None:
    """Render one payslip's PDF if it is pending or failed; returns the new status, or None when
    another worker has it (or it is done). Never raises for a rendering error: the error is kept
    on the payslip for the run page, where a Payroll Admin can retry it.

    `take_over`: the caller holds the payslip's delivery item, so a "rendering" payslip was left
    by a worker whose lease ran out (it died): render it again (same file name, same bytes)."""
    # The claim: exactly one worker moves it to "rendering"; every other one sees 0 rows.
    claimable = (*CLAIMABLE, S.RENDERING) if take_over else CLAIMABLE
    claimed = Payslip.objects.filter(
        pk=payslip_id, pdf_status__in=claimable, run__status__in=PayRun.FROZEN
    ).update(pdf_status=S.RENDERING, pdf_attempts=F("pdf_attempts") + 1, pdf_error="")
    if not claimed:
        if not Payslip.objects.filter(pk=payslip_id).exists():
            log.warning("payslip %s vanished before rendering", payslip_id)
        return None
    try:
        # Slow work outside any transaction: load, render, write the file.
        payslip = (
            Payslip.objects.select_related("run__period", "run__schedule",
                                           "employee__department")
            .prefetch_related("lines").get(pk=payslip_id)
        )
        data = render_pdf(payslip_html(payslip_document(payslip)))
        name, run_id = pdf_name(payslip), payslip.run_id
        store_atomically(name, data)
    except Exception as exc:
        log.exception("payslip %s failed to render", payslip_id)
        Payslip.objects.filter(pk=payslip_id, pdf_status=S.RENDERING).update(
            pdf_status=S.FAILED, pdf_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return S.FAILED
    with transaction.atomic():
        done = Payslip.objects.filter(pk=payslip_id, pdf_status=S.RENDERING).update(
            pdf_status=S.READY, pdf_file=name, pdf_sha256=sha256(data), pdf_error=""
        )
        if done:  # the email is due exactly when the PDF is ready: same transaction
            delivery_enqueue(kind=EMAIL_KIND, key=f"{EMAIL_KIND}:{payslip_id}",
                             payload={"payslip_id": payslip_id}, group=run_group(run_id))
    return S.READY if done else None


def payslip_email(*, item: DeliveryItem) -> bool:
    """Tell the employee their payslip is ready (a portal link, never the PDF).

    At least once, deduplicated: the item's claim makes one worker the sender; `emailed_at` is
    set only after the relay accepted the message, so a worker that dies mid-SMTP leaves the
    email to be sent again (with the same Message-ID) instead of counting it as sent. The only
    duplicate possible is a crash between the relay's acceptance and that UPDATE."""
    payslip_id = item.payload["payslip_id"]
    payslip = Payslip.objects.select_related("employee__user", "run__schedule").filter(
        pk=payslip_id).first()
    if payslip is None:
        log.warning("payslip %s vanished before its email", payslip_id)
        return False
    if payslip.emailed_at is not None:
        return False  # sent already (a redelivered item)
    if payslip.pdf_status != S.READY:
        raise PermanentError(_("The payslip PDF is not ready."))
    employee = payslip.employee
    user = employee.user
    address = (user.email if user and user.is_active else "") or employee.personal_email \
        or employee.work_email
    if not address:
        raise PermanentError(_("The employee has no email address."))
    # The schedule's payer (as recorded at finalisation), also in the email's header and footer.
    employer = (payslip.issued_details.get("employer") or {}).get("payer_name") \
        or payer_name(payslip.run.schedule)
    send_item_email(
        item, "payslip_ready",
        {"first_name": employee.preferred_name or employee.legal_first_name,
         "pay_date": payslip.run.pay_date, "employer": employer, "company_name": employer,
         "portal_url": settings.SITE_URL.rstrip("/") + reverse("payroll:my_payslips")},
        to=[address],
    )
    Payslip.objects.filter(pk=payslip_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
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
    _pdf_item_requeue([payslip.pk], payslip.run_id)
    audit_record(actor=acting_user, action="other", obj=payslip,
                 employee_id=payslip.employee_id,
                 note=f"payslip PDF retried after: {payslip.pdf_error[:150]}")
    return payslip


def _pdf_item_requeue(payslip_ids: list[int], run_id: int) -> tuple[int, int]:
    """Failed PDF items back to the queue (fresh attempts); payslips with no item yet (an older
    run) get one. Published after commit."""
    from delivery.services import delivery_publish

    keys = [f"{PDF_KIND}:{pk}" for pk in payslip_ids]
    existing = DeliveryItem.objects.filter(key__in=keys).exclude(
        status__in=DeliveryItem.UNDELIVERED)
    ids = list(existing.values_list("pk", flat=True))
    existing.update(status=DeliveryItem.Status.QUEUED, attempts=0, available_at=timezone.now(),
                    published_at=None, lease_until=None)
    transaction.on_commit(lambda: delivery_publish(ids), robust=True)
    created = delivery_enqueue_many(kind=PDF_KIND, group=run_group(run_id),
                                    items=((f"{PDF_KIND}:{pk}", {"payslip_id": pk})
                                           for pk in payslip_ids))
    return len(ids), len(created)


@transaction.atomic
def payslips_retry_failed_for_run(*, run: PayRun, acting_user) -> int:
    """Queue every failed payslip of a run again; the count."""
    _require_payroll_admin(acting_user)
    ids = list(run.payslips.filter(pdf_status=S.FAILED).values_list("pk", flat=True))
    if ids:
        _pdf_item_requeue(ids, run.pk)
        audit_record(actor=acting_user, action="other", obj=run, note="failed payslip PDFs retried",
                     changes={"payslips": [None, len(ids)]})
    return len(ids)


def payslip_download_audit(*, payslip: Payslip, acting_user) -> None:
    audit_record(actor=acting_user, action="download", obj=payslip,
                 employee_id=payslip.employee_id)


def payslip_emails_retry(*, run: PayRun, status: str, acting_user) -> int:
    """"Send again" for a run's emails in one state (failed, or waiting after an error)."""
    _require_payroll_admin(acting_user)
    return delivery_retry_group(group=run_group(run.pk), kind=EMAIL_KIND, status=status,
                                acting_user=acting_user)
