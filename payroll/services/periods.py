"""Pay period generation: period boundaries by frequency, pay dates off weekends and holidays."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction

from audit.services import audit_record
from hrops.calendars import is_working_day, public_holidays
from payroll.models import PayFrequency, PayPeriod, PaySchedule

_FIXED_DAYS = {
    PayFrequency.WEEKLY: 7,
    PayFrequency.BIWEEKLY: 14,
    PayFrequency.FORTNIGHTLY: 14,
    PayFrequency.FOUR_WEEKLY: 28,
}


def business_day_on_or_before(day: date, country: str) -> date:
    """Pay early, never late: move a pay date off weekends and public holidays to the previous
    business day (the usual UK and US practice when a pay date is not a banking day)."""
    calendar = public_holidays(country, range(day.year - 1, day.year + 1))
    while not is_working_day(day, calendar):
        day -= timedelta(days=1)
    return day


def _uk_tax_year_start(day: date) -> date:
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


def period_number(schedule: PaySchedule, start: date, end: date, pay_date: date) -> int:
    """UK: the tax week or month of the pay date (HMRC: periods count from 6 April);
    US: the sequence of the period within the calendar year of its pay date."""
    freq = schedule.frequency
    if schedule.jurisdiction == "UK":
        year_start = _uk_tax_year_start(pay_date)
        if freq == PayFrequency.MONTHLY:
            months = (pay_date.year - year_start.year) * 12 + pay_date.month - year_start.month
            return months + (1 if pay_date.day >= 6 else 0)
        week = (pay_date - year_start).days // 7 + 1
        width = {PayFrequency.FORTNIGHTLY: 2, PayFrequency.FOUR_WEEKLY: 4}.get(freq, 1)
        # HMRC: a fortnightly/four-weekly period takes the number of its last tax week.
        return min(((week - 1) // width + 1) * width, 56)
    if freq == PayFrequency.MONTHLY:
        return pay_date.month
    if freq == PayFrequency.SEMIMONTHLY:
        return (pay_date.month - 1) * 2 + (1 if start.day == 1 else 2)
    days = _FIXED_DAYS[freq]
    return (pay_date - date(pay_date.year, 1, 1)).days // days + 1


def period_bounds(schedule: PaySchedule, until: date) -> list[tuple[date, date]]:
    """Every (start, end) from the schedule's anchor up to the period containing `until`."""
    bounds: list[tuple[date, date]] = []
    start = schedule.first_period_start
    freq = schedule.frequency
    while start <= until:
        if freq in _FIXED_DAYS:
            end = start + timedelta(days=_FIXED_DAYS[freq] - 1)
        elif freq == PayFrequency.MONTHLY:
            end = start + relativedelta(months=1) - timedelta(days=1)
        else:  # semimonthly: 1st-15th and 16th-end of month
            end = start.replace(day=15) if start.day <= 15 else (
                start + relativedelta(day=31))
        bounds.append((start, end))
        start = end + timedelta(days=1)
    return bounds


@transaction.atomic
def periods_generate(*, schedule: PaySchedule, until: date, acting_user) -> list[PayPeriod]:
    """Create the schedule's missing periods up to `until` (idempotent: existing periods stay)."""
    existing = set(schedule.periods.values_list("start_date", flat=True))
    new: list[PayPeriod] = []
    for start, end in period_bounds(schedule, until):
        if start in existing:
            continue
        nominal = end + timedelta(days=schedule.pay_date_offset_days)
        pay_date = business_day_on_or_before(nominal, schedule.country)
        new.append(PayPeriod(schedule=schedule, start_date=start, end_date=end, pay_date=pay_date,
                             number=period_number(schedule, start, end, pay_date)))
    PayPeriod.objects.bulk_create(new)
    if new:
        audit_record(actor=acting_user, action="create", note="pay periods generated",
                     obj=schedule,
                     changes={"periods": [None, [str(p.start_date) for p in new]]})
    return new
