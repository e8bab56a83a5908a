"""Pay runs whose payslips are written directly from given lines (the calculation is tested by
payroll_runs): small hand-computable datasets for the run review, and bulk runs of N payslips
for the "does not grow with headcount" tests."""

from decimal import Decimal

from employees.models import Employee
from payroll.models import PayRun, Payslip, PayslipLine
from tests.factories.employees import (
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
)

# (code, category, amount): the categories the engine writes (payroll.engine.types.Category).
Line = tuple[str, str, str]


def slip_lines(*, earning: str, paye: str = "0", ni: str = "0", ni_er: str = "0",
               pension: str = "0", pension_er: str = "0", loan: str = "0") -> list[Line]:
    lines = [("SALARY", "earning", earning), ("PAYE", "employee_tax", paye),
             ("NI_EE", "employee_tax", ni), ("NI_ER", "employer_tax", ni_er),
             ("PENSION", "pre_tax_deduction", pension),
             ("PENSION_ER", "employer_contribution", pension_er),
             ("LOAN", "post_tax_deduction", loan)]
    return [line for line in lines if Decimal(line[2])]


def _payslip(run: PayRun, employee_id: int, lines: list[Line], *, flags=(), overrides=()):
    def total(*categories: str) -> Decimal:
        return sum((Decimal(a) for _, c, a in lines if c in categories), Decimal("0.00"))

    gross = total("earning", "reimbursement")
    pre, tax, post = total("pre_tax_deduction"), total("employee_tax"), total("post_tax_deduction")
    return Payslip(
        run=run, employee_id=employee_id, currency=run.currency, tax_year="2025-26", gross=gross,
        total_pre_tax=pre, total_employee_tax=tax, total_post_tax=post,
        net=gross - pre - tax - post,
        employer_cost=gross + total("employer_tax", "employer_contribution"),
        total_employer_tax=total("employer_tax"),
        inputs_hash="review-test", flags=list(flags), overrides=list(overrides))


def run_with_payslips(schedule, number: int, slips: dict, *, kind: str = PayRun.Kind.REGULAR,
                      status: str = PayRun.Status.FINALISED, calculated_by=None) -> PayRun:
    """A run of `schedule`'s period `number` paying `slips`: {employee: lines} or
    {employee: (lines, flags, overrides)}. Payslips are written while the run is calculated,
    then the run is moved to `status` (finalised runs refuse new rows)."""
    period = schedule.periods.get(number=number)
    run = PayRun.objects.create(schedule=schedule, period=period, kind=kind,
                                status=PayRun.Status.CALCULATED, pay_date=period.pay_date,
                                currency=schedule.currency, calculated_by=calculated_by)
    built = []
    for employee, spec in slips.items():
        lines, flags, overrides = spec if isinstance(spec, tuple) else (spec, (), ())
        built.append((_payslip(run, employee.pk, lines, flags=flags, overrides=overrides),
                      lines))
    Payslip.objects.bulk_create([payslip for payslip, _ in built])
    PayslipLine.objects.bulk_create(
        PayslipLine(payslip=payslip, sort_order=i, code=code, description=code,
                    category=category, amount=Decimal(amount))
        for payslip, lines in built for i, (code, category, amount) in enumerate(lines))
    PayRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    return run


def bulk_employees(n: int, *, prefix: str) -> list[Employee]:
    """N employees in one insert (no employment history: the run review never reads it)."""
    department, location, title = DepartmentFactory(), LocationFactory(), JobTitleFactory()
    return Employee.objects.bulk_create(
        EmployeeFactory.build(employee_number=f"{prefix}{i:05d}", department=department,
                              location=location, job_title=title)
        for i in range(n))


def flag(code: str, *, blocking: bool = True) -> dict:
    return {"code": code, "message": code, "blocking": blocking, "overridable": True}


def override(code: str) -> dict:
    return {"code": code, "comment": "checked", "by": "payroll@example.test", "by_id": 1,
            "at": "2025-05-20T09:00:00+00:00"}
