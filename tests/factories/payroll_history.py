"""Pay history on given dates: one finalised (or draft) run per pay date and country, with a
numbered payslip per employee built like payroll_outputs' (lines add up to net)."""

import itertools
from datetime import date

from payroll.engine.tax_years import uk_tax_year_for, us_tax_year_for
from payroll.models import PayPeriod, PayRun, PaySchedule, Payslip
from tests.factories.payroll_outputs import payslip_for

_numbers = itertools.count(700_001)
CURRENCY = {"US": "USD", "GB": "GBP", "FR": "EUR"}


def paid_on(employees, *, pay_date: date, country: str = "GB", finalise: bool = True) -> PayRun:
    """A run paying `employees` on `pay_date` on the country's history schedule."""
    schedule, _ = PaySchedule.objects.get_or_create(
        name=f"History {country}",
        defaults={"frequency": "monthly", "country": country, "currency": CURRENCY[country],
                  "first_period_start": date(2015, 1, 1)},
    )
    period = PayPeriod.objects.create(schedule=schedule, number=pay_date.month,
                                      start_date=pay_date, end_date=pay_date, pay_date=pay_date)
    run = PayRun.objects.create(schedule=schedule, period=period, status=PayRun.Status.APPROVED,
                                pay_date=pay_date, currency=schedule.currency)
    tax_year = uk_tax_year_for(pay_date) if country == "GB" else us_tax_year_for(pay_date)
    for employee in employees:
        payslip = payslip_for(run, employee)
        # Numbers are given at finalisation; the update bypasses the (not yet frozen) guards.
        Payslip.objects.filter(pk=payslip.pk).update(
            tax_year=tax_year, number=next(_numbers) if finalise else None)
    if finalise:
        PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.FINALISED)
        run.refresh_from_db()
    return run
