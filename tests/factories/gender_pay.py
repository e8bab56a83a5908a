"""Finalised pay for the UK gender pay gap tests: one GB schedule, a run per period, a payslip
per employee with the given lines ((code, description, category, quantity, rate, amount))."""

from datetime import date

from payroll.models import PayPeriod, PayRun, PaySchedule
from tests.factories.payroll_outputs import payslip_for


def salary(amount: str, code: str = "SALARY") -> tuple:
    return (code, code.title(), "earning", None, None, amount)


def paid_period(pay: dict, *, start: date, end: date, pay_date: date | None = None,
                finalise: bool = True, employer: str = "Acme Ltd",
                kind: str = PayRun.Kind.REGULAR) -> PayRun:
    """A run of the `employer`'s GB monthly schedule for start..end paying `pay`
    ({employee: [line, ...]})."""
    schedule, _ = PaySchedule.objects.get_or_create(
        name=f"GB monthly {employer}", defaults={
            "frequency": "monthly", "country": "GB", "currency": "GBP",
            "first_period_start": date(2020, 1, 1), "employer_legal_name": employer})
    period, _ = PayPeriod.objects.get_or_create(
        schedule=schedule, start_date=start, end_date=end,
        defaults={"number": start.month, "pay_date": pay_date or end})
    run = PayRun.objects.create(schedule=schedule, period=period, pay_date=pay_date or end,
                                status=PayRun.Status.APPROVED, currency="GBP",
                                kind=kind)
    for employee, lines in pay.items():
        payslip_for(run, employee, tuple(lines))
    if finalise:
        PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED)
    return run
