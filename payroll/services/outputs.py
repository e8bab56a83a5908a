"""Files from a finalised run: register (CSV/XLSX), payment file (NACHA / pain.001), GL journal.

Each loads the run's frozen payslips into the plain dataclasses of payroll.outputs, calls a pure
builder, and records who took the file (payment files carry full account numbers).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from employees.models import JobRecord
from payroll.models import PayRun, Payslip, PayslipLine
from payroll.outputs import gl, nacha, register, sepa
from payroll.outputs.types import (
    OutputError,
    Payee,
    PaymentBatch,
    SlipLine,
    SlipSummary,
)
from payroll.services.payment_details import originator


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


def _payslips(run: PayRun) -> list[Payslip]:
    return list(
        run.payslips.select_related("employee")
        .prefetch_related(Prefetch("lines", queryset=PayslipLine.objects.order_by("sort_order")))
        .order_by("employee__employee_number")
    )


def _departments(run: PayRun, employee_ids: list[int]) -> dict[int, str]:
    """Each employee's department as of the period end (from their job history; one query)."""
    latest: dict[int, tuple] = {}
    rows = JobRecord.objects.filter(
        employee_id__in=employee_ids, effective_date__lte=run.period.end_date
    ).values_list("employee_id", "effective_date", "pk", "department__name")
    for employee_id, effective, pk, name in rows:
        if employee_id not in latest or (effective, pk) > latest[employee_id][:2]:
            latest[employee_id] = (effective, pk, name or "")
    return {pk: value[2] for pk, value in latest.items()}


def slip_summaries(run: PayRun) -> list[SlipSummary]:
    payslips = _payslips(run)
    departments = _departments(run, [p.employee_id for p in payslips])
    return [
        SlipSummary(
            employee_number=p.employee.employee_number,
            name=f"{p.employee.legal_last_name}, {p.employee.legal_first_name}",
            department=departments.get(p.employee_id, ""),
            gross=p.gross, total_pre_tax=p.total_pre_tax,
            total_employee_tax=p.total_employee_tax, total_post_tax=p.total_post_tax,
            net=p.net, employer_cost=p.employer_cost, number=p.display_number,
            lines=tuple(SlipLine(x.code, x.description, x.category, x.amount)
                        for x in p.lines.all()),
        )
        for p in payslips
    ]


def _bank_details(employee_ids: list[int]) -> dict:
    try:
        from employees.selectors import bank_details_for_payment
    except ImportError as exc:
        raise OutputError(_("Bank details are not available in this installation.")) from exc
    return bank_details_for_payment(employee_ids)


def payment_batch(run: PayRun) -> PaymentBatch:
    """Every payslip with net pay, with the employee's primary bank account. Refuses (listing
    who) when someone paid has no bank account: a file that silently skips people would not
    add up to the run's net pay."""
    payslips = [p for p in run.payslips.select_related("employee").order_by(
        "employee__employee_number") if p.net != 0]
    banks = _bank_details([p.employee_id for p in payslips])
    missing = [p.employee.employee_number for p in payslips if p.employee_id not in banks]
    if missing:
        raise OutputError(
            _("No bank account for: %(who)s. Add one, or pay them outside this file.")
            % {"who": ", ".join(missing)}
        )
    payees = []
    for p in payslips:
        bank = banks[p.employee_id]
        payees.append(Payee(
            employee_id=p.employee_id, employee_number=p.employee.employee_number,
            name=f"{p.employee.legal_first_name} {p.employee.legal_last_name}", amount=p.net,
            holder_name=bank.holder_name, routing_number=bank.routing_number,
            account_number=bank.account_number, account_type=bank.account_type or "checking",
            iban=bank.iban, bic=bank.bic,
            reference=p.display_number or f"{run.pk}-{p.employee.employee_number}",
        ))
    return PaymentBatch(
        run_reference=f"RUN-{run.pk}", currency=run.currency, pay_date=run.pay_date,
        created_at=run.finalised_at, payees=tuple(payees),
    )


def _audit(user, run: PayRun, kind: str) -> None:
    audit_record(actor=user, action="export", obj=run, note=kind)


def run_register(*, run: PayRun, fmt: str, acting_user) -> OutputFile:
    _require(acting_user)
    _require_finalised(run)
    rows = register.table(slip_summaries(run))
    stem = f"register-run-{run.pk}-{run.pay_date:%Y%m%d}"
    _audit(acting_user, run, f"register.{fmt}")
    if fmt == "xlsx":
        return OutputFile(
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            register.to_xlsx(rows, title=f"Run {run.pk}"),
        )
    return OutputFile(f"{stem}.csv", "text/csv; charset=utf-8", register.to_csv(rows))


def run_payment_file(*, run: PayRun, fmt: str, acting_user) -> OutputFile:
    _require(acting_user)
    _require_finalised(run)
    batch = payment_batch(run)
    stem = f"payments-run-{run.pk}-{run.pay_date:%Y%m%d}"
    if fmt == "nacha":
        data = nacha.build(batch, originator(run.schedule)).encode("ascii")
        result = OutputFile(f"{stem}.ach", "text/plain; charset=us-ascii", data)
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
