"""Files from a finalised run: register (CSV/XLSX), payment file (NACHA / pain.001), GL journal.

Each loads the run's frozen payslips into the plain dataclasses of payroll.outputs, calls a pure
builder, and records who took the file (payment files carry full account numbers).

A payment file pays the bank account each payslip recorded when the run was finalised
(payroll.services.issue); whoever is paid outside the file (no bank account, their flag
overridden, or a negative net pay) is left out of it and listed by `paid_outside_file`, on the
delivery page and in a CSV, so the file can always be made for everyone else.
"""

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum, Window
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from delivery.downloads import Rows, download_request
from delivery.models import Download
from employees.models import JobRecord
from employees.selectors import bank_details_for_payment
from hrops import exports
from payroll.models import PaymentMethod, PayRun, Payslip, PayslipLine
from payroll.outputs import bacs, gl, nacha, register, sepa
from payroll.outputs.types import (
    OutputError,
    Payee,
    PaymentBatch,
    SlipLine,
    SlipSummary,
)
from payroll.services.payment_details import originator

REGISTER_XLSX_KIND = "payroll.register_xlsx"


class RunNotFinalised(OutputError):
    """Outputs exist only for a finalised (or paid) run: its figures can no longer change."""


@dataclass(frozen=True, slots=True)
class OutputFile:
    filename: str
    content_type: str
    data: bytes


def _require(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may take payroll files."))


def _require_finalised(run: PayRun) -> None:
    if run.status not in PayRun.FROZEN:
        raise RunNotFinalised(
            _("This run is %(status)s: registers, payment files and journals are made only "
              "from a finalised run.") % {"status": run.get_status_display().lower()}
        )


def _payslips(run: PayRun, *, ids: list[int] | None = None) -> list[Payslip]:
    payslips = run.payslips.select_related("employee").prefetch_related(
        Prefetch("lines", queryset=PayslipLine.objects.order_by("sort_order")))
    if ids is not None:
        payslips = payslips.filter(pk__in=ids)
    return list(payslips.order_by("employee__employee_number", "pk"))


def _departments(run: PayRun, employee_ids: list[int] | QuerySet) -> dict[int, str]:
    """Each employee's department as of the period end (from their job history; one query)."""
    latest: dict[int, tuple] = {}
    rows = JobRecord.objects.filter(
        employee_id__in=employee_ids, effective_date__lte=run.period.end_date
    ).values_list("employee_id", "effective_date", "pk", "department__name")
    for employee_id, effective, pk, name in rows:
        if employee_id not in latest or (effective, pk) > latest[employee_id][:2]:
            latest[employee_id] = (effective, pk, name or "")
    return {pk: value[2] for pk, value in latest.items()}


FUTA_WAGE_BASE = Decimal("7000")  # FUTA tax applies to the first 7,000 a year (Form 940 line 5)


def _futa_wages(p: Payslip) -> Decimal:
    """The part of this payslip's FICA wages (FUTA excludes the same pre-tax deductions here)
    within the employee's first 7,000 of the year, from its year-to-date snapshot."""
    if p.currency != "USD" or "us_fica_wages" not in p.ytd_increments:
        return Decimal("0")
    after = Decimal(str(p.ytd.get("us_fica_wages", "0")))
    before = after - Decimal(str(p.ytd_increments["us_fica_wages"]))
    return max(Decimal("0"), min(after, FUTA_WAGE_BASE) - min(max(before, Decimal("0")),
                                                              FUTA_WAGE_BASE))


def _summary(p: Payslip, departments: dict[int, str]) -> SlipSummary:
    return SlipSummary(
        employee_number=p.employee.employee_number,
        name=f"{p.employee.legal_last_name}, {p.employee.legal_first_name}",
        department=departments.get(p.employee_id, ""),
        gross=p.gross, total_pre_tax=p.total_pre_tax,
        total_employee_tax=p.total_employee_tax, total_post_tax=p.total_post_tax,
        net=p.net, employer_cost=p.employer_cost, number=p.display_number,
        lines=tuple(SlipLine(x.code, x.description, x.category, x.amount)
                    for x in p.lines.all()), futa_wages=_futa_wages(p),
    )


def slip_summaries(run: PayRun) -> list[SlipSummary]:
    payslips = _payslips(run)
    departments = _departments(run, [p.employee_id for p in payslips])
    return [_summary(p, departments) for p in payslips]


SUMMARY_FIELDS = ("employee_id", "employee__employee_number", "employee__legal_last_name",
                  "employee__legal_first_name", "gross", "total_pre_tax", "total_employee_tax",
                  "total_post_tax", "net", "employer_cost", "number")
REGISTER_ORDER = ("employee__employee_number", "pk")


def slip_summaries_chunked(run: PayRun, *, chunk: int = 2000) -> Iterator[SlipSummary]:
    """The run's payslips as summaries in the register's order, in flat memory: two streamed
    queries of plain values (payslips; their lines in the same order, merged here) and one of
    departments, whatever the size of the run. No model instances: at 20,000 payslips and
    160,000 lines building them was most of the time."""
    departments = _departments(run, run.payslips.values("employee_id"))  # a subquery
    slips = (run.payslips.order_by(*REGISTER_ORDER).values_list("pk", *SUMMARY_FIELDS)
             .iterator(chunk_size=chunk))
    lines = iter(PayslipLine.objects.filter(payslip__run=run)
                 .order_by(*(f"payslip__{f}" for f in REGISTER_ORDER), "sort_order")
                 .values_list("payslip_id", "code", "description", "category", "amount")
                 .iterator(chunk_size=chunk * 8))
    pending = next(lines, None)
    for pk, employee_id, number, last, first, *money, slip_number in slips:
        own = []
        while pending is not None and pending[0] == pk:
            own.append(SlipLine(*pending[1:]))
            pending = next(lines, None)
        gross, pre, tax, post, net, cost = money
        yield SlipSummary(
            employee_number=number, name=f"{last}, {first}",
            department=departments.get(employee_id, ""), gross=gross, total_pre_tax=pre,
            total_employee_tax=tax, total_post_tax=post, net=net, employer_cost=cost,
            number=f"PS-{slip_number:08d}" if slip_number else "", lines=tuple(own))


def register_columns(run: PayRun) -> list[tuple[str, str, str]]:
    """The register's line columns without reading every line in order: the distinct (category,
    code, description) triples (one hash aggregate), then, only for a code printed with several
    descriptions, the first in payslip order (as register.line_columns picks it)."""
    lines = PayslipLine.objects.filter(payslip__run=run)
    found: dict[tuple[str, str], list[str]] = {}
    for category, code, description in (lines.values_list("category", "code", "description")
                                        .distinct().order_by()):
        found.setdefault((category, code), []).append(description)
    seen = {}
    for (category, code), descriptions in found.items():
        seen[(category, code)] = descriptions[0] if len(descriptions) == 1 else (
            lines.filter(category=category, code=code)
            .order_by(*(f"payslip__{f}" for f in REGISTER_ORDER), "sort_order")
            .values_list("description", flat=True).first())
    return register.order_columns(seen)


def register_rows(run: PayRun) -> Iterator[list[object]]:
    """The register, row by row (header, payslips, totals), in flat memory."""
    return register.stream(register_columns(run), slip_summaries_chunked(run))


@dataclass(frozen=True, slots=True)
class PaidOutside:
    """Someone whose net pay is not in the payment file: paid another way (a cheque, say)."""

    employee_number: str
    name: str
    amount: Decimal
    currency: str
    reason: str


def _name(payslip: Payslip) -> str:
    return f"{payslip.employee.legal_first_name} {payslip.employee.legal_last_name}"


def _outside(payslip: Payslip, reason: str) -> PaidOutside:
    return PaidOutside(payslip.employee.employee_number, _name(payslip), payslip.net,
                       payslip.currency, reason)


def _legacy_reason(payslip: Payslip, has_bank: bool) -> str | None:
    """Runs finalised before payslips recorded their payment: decided from current data."""
    if payslip.net < 0:
        return _("Net pay is negative: recover it outside the file")
    if has_bank:
        return None
    return next((o.get("comment", "") for o in payslip.overrides
                 if o.get("code") == "missing_bank_details"), "") or _("No bank account")


def _paid(run: PayRun, *, with_accounts: bool, method__in: list[str] | None = None):
    payslips = run.payslips.exclude(net=0).select_related("employee").order_by(
        "employee__employee_number", "pk")
    if method__in is not None:
        payslips = payslips.filter(payment_method__in=method__in)
    if not with_accounts:
        payslips = payslips.defer("bank_snapshot")
    return list(payslips)


def _legacy_banks(payslips: list[Payslip], *, decrypt: bool) -> dict:
    ids = [p.employee_id for p in payslips if not p.payment_method]
    if not ids:
        return {}
    if decrypt:
        return bank_details_for_payment(ids)
    from employees.models import BankAccount  # which accounts exist, without decrypting any

    return dict.fromkeys(BankAccount.objects.filter(
        employee_id__in=ids, is_primary=True, is_active=True).values_list(
        "employee_id", flat=True), True)


def paid_outside_file(run: PayRun) -> list[PaidOutside]:
    """Who is left out of the run's payment file, with their net pay and why (the delivery
    page and its CSV). Reads no account numbers, and only the payslips recorded as paid outside
    (or finalised before payslips recorded it), so the page does not grow with the run."""
    payslips = _paid(run, with_accounts=False, method__in=[PaymentMethod.OUTSIDE, ""])
    legacy = _legacy_banks(payslips, decrypt=False)
    result = []
    for p in payslips:
        if p.payment_method == PaymentMethod.OUTSIDE:
            result.append(_outside(p, p.issued_details.get("paid_outside_reason", "")))
        elif not p.payment_method:
            reason = _legacy_reason(p, p.employee_id in legacy)
            if reason is not None:
                result.append(_outside(p, reason))
    return result


PAID_OUTSIDE_SHOWN = 50  # listed on the delivery page; the CSV has everyone


def paid_outside_summary(run: PayRun) -> dict:
    """The delivery page's list of those paid outside the file (the first PAID_OUTSIDE_SHOWN:
    rendering hundreds of rows was most of the page at 20,000 payslips), their count and
    total. A run finalised since payslips record their payment method (any one paid payslip
    says which: finalising records it on all of them) is one query on the partial index
    payslip_run_outside: the rows shown, each with the count and total of all; an older run
    is decided from current data, in Python, as ``paid_outside_file`` does."""
    paid = run.payslips.exclude(net=0).order_by()
    if paid.values_list("payment_method", flat=True)[:1].first() == "":
        rows = paid_outside_file(run)
        return {"rows": rows[:PAID_OUTSIDE_SHOWN], "count": len(rows),
                "more": max(0, len(rows) - PAID_OUTSIDE_SHOWN),
                "total": sum((r.amount for r in rows), Decimal("0.00"))}
    # The rows shown carry the count and total of them all (window aggregates are computed
    # before the LIMIT): one query.
    shown = list(
        paid.filter(payment_method=PaymentMethod.OUTSIDE).select_related("employee")
        .annotate(all_count=Window(Count("pk")), all_total=Window(Sum("net")))
        .order_by("employee__employee_number", "pk")
        .only("net", "currency", "issued_details", "employee__employee_number",
              "employee__legal_first_name", "employee__legal_last_name")[:PAID_OUTSIDE_SHOWN])
    count = shown[0].all_count if shown else 0
    return {"rows": [_outside(p, p.issued_details.get("paid_outside_reason", "")) for p in shown],
            "count": count, "more": max(0, count - PAID_OUTSIDE_SHOWN),
            "total": shown[0].all_total if shown else Decimal("0.00")}


def _payee(run: PayRun, p: Payslip, bank: dict) -> Payee:
    return Payee(
        employee_id=p.employee_id, employee_number=p.employee.employee_number, name=_name(p),
        amount=p.net, holder_name=bank.get("holder_name", ""),
        routing_number=bank.get("routing_number", ""),
        account_number=bank.get("account_number", ""),
        account_type=bank.get("account_type") or "checking",
        iban=bank.get("iban", ""), bic=bank.get("bic", ""), sort_code=bank.get("sort_code", ""),
        reference=p.display_number or f"{run.pk}-{p.employee.employee_number}",
    )


def payment_batch(run: PayRun) -> PaymentBatch:
    """Every payslip paid by bank transfer, into the account recorded when the run was
    finalised (not whatever is on file today). Those paid outside the file are left out and
    listed by `paid_outside_file`, so the file is always producible for everyone else."""
    payslips = _paid(run, with_accounts=True)
    legacy = _legacy_banks(payslips, decrypt=True)
    payees = []
    for p in payslips:
        if p.payment_method == PaymentMethod.BANK:
            payees.append(_payee(run, p, json.loads(p.bank_snapshot)))
        elif not p.payment_method and _legacy_reason(p, p.employee_id in legacy) is None:
            payees.append(_payee(run, p, asdict(legacy[p.employee_id])))
    if not payees:
        raise OutputError(_("Nobody in this run is paid by bank transfer: see the list of those "
                            "paid outside the payment file."))
    return PaymentBatch(
        run_reference=f"RUN-{run.pk}", currency=run.currency, pay_date=run.pay_date,
        created_at=run.finalised_at, payees=tuple(payees),
    )


def _audit(user, run: PayRun, kind: str) -> None:
    audit_record(actor=user, action="export", obj=run, note=kind)


def run_register(*, run: PayRun, fmt: str, acting_user) -> OutputFile:
    _require(acting_user)
    _require_finalised(run)
    rows = register_rows(run)
    stem = f"register-run-{run.pk}-{run.pay_date:%Y%m%d}"
    _audit(acting_user, run, f"register.{fmt}")
    if fmt == "xlsx":
        return OutputFile(
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            register.to_xlsx(rows, title=f"Run {run.pk}"),
        )
    return OutputFile(f"{stem}.csv", "text/csv; charset=utf-8", register.to_csv(list(rows)))


def register_download_check(user, params: dict) -> None:
    """Who may have a run's XLSX register (on request, at build time and on download)."""
    _require(user)
    _require_finalised(PayRun.objects.get(pk=params["run_id"]))


def register_download_rows(user, params: dict) -> Rows:
    """The worker's rows of the XLSX register (delivery.downloads)."""
    run = PayRun.objects.get(pk=params["run_id"])
    return Rows(total=run.payslips.count() + 2, rows=register_rows(run), sheet=f"Run {run.pk}",
                xlsx=register.XLSX_OPTIONS)


def run_register_xlsx_request(*, run: PayRun, acting_user) -> Download:
    """Queue the XLSX register for a worker: the request answers at once with its progress."""
    _require(acting_user)
    _require_finalised(run)
    _audit(acting_user, run, "register.xlsx")  # on the run, as every file taken from it
    return download_request(
        acting_user=acting_user, kind=REGISTER_XLSX_KIND, params={"run_id": run.pk},
        title=_("Register of %(run)s") % {"run": run},
        filename=f"register-run-{run.pk}-{run.pay_date:%Y%m%d}.xlsx")


@dataclass(frozen=True, slots=True)
class StreamedFile:
    filename: str
    content_type: str
    chunks: Iterator[str]


def run_register_csv_stream(*, run: PayRun, acting_user) -> StreamedFile:
    """The register as CSV lines for a StreamingHttpResponse: the first bytes leave at once and
    the web worker holds one chunk of payslips at a time (audited when asked for)."""
    _require(acting_user)
    _require_finalised(run)
    _audit(acting_user, run, "register.csv")
    return StreamedFile(f"register-run-{run.pk}-{run.pay_date:%Y%m%d}.csv",
                        "text/csv; charset=utf-8", register.csv_lines(register_rows(run)))


def run_payment_file(*, run: PayRun, fmt: str, acting_user) -> OutputFile:
    _require(acting_user)
    _require_finalised(run)
    batch = payment_batch(run)
    stem = f"payments-run-{run.pk}-{run.pay_date:%Y%m%d}"
    if fmt == "nacha":
        data = nacha.build(batch, originator(run.schedule)).encode("ascii")
        result = OutputFile(f"{stem}.ach", "text/plain; charset=us-ascii", data)
    elif fmt == "bacs18":
        data = bacs.build(batch, originator(run.schedule)).encode("ascii")
        result = OutputFile(f"{stem}.bacs.txt", "text/plain; charset=us-ascii", data)
    else:
        data = sepa.build(batch, originator(run.schedule))
        result = OutputFile(f"{stem}.xml", "application/xml", data)
    _audit(acting_user, run, f"payment.{fmt}")
    return result


def run_gl_journal(*, run: PayRun, acting_user) -> OutputFile:
    _require(acting_user)
    _require_finalised(run)
    lines = gl.journal(slip_summaries(run))
    _audit(acting_user, run, "gl.csv")
    return OutputFile(
        f"gl-journal-run-{run.pk}-{run.pay_date:%Y%m%d}.csv", "text/csv; charset=utf-8",
        gl.to_csv(lines, pay_date=run.pay_date.isoformat(), reference=f"RUN-{run.pk}"),
    )


def run_paid_outside_csv(*, run: PayRun, acting_user) -> OutputFile:
    """The people paid outside the payment file, for whoever pays them (names and amounts)."""
    _require(acting_user)
    _require_finalised(run)
    rows = paid_outside_file(run)
    total = sum((row.amount for row in rows), Decimal("0.00"))
    # Through the shared export writer (hrops.exports: formula cells neutralised).
    content = exports.to_csv(
        [["Employee number", "Name", "Net pay", "Currency", "Reason"],
         *([row.employee_number, row.name, row.amount, row.currency, row.reason]
           for row in rows),
         ["Total", f"{len(rows)} employees", total, run.currency, ""]],
        bom=False, decimal_places=2)
    _audit(acting_user, run, "paid_outside.csv")
    return OutputFile(f"paid-outside-file-run-{run.pk}-{run.pay_date:%Y%m%d}.csv",
                      "text/csv; charset=utf-8", content)
