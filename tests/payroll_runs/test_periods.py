from datetime import date
from itertools import pairwise

import pytest

from payroll.models import PayPeriod
from payroll.services.periods import business_day_on_or_before, periods_generate
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, USBiweeklyScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("nominal", "country", "expected"), [
    (date(2025, 12, 25), "GB", date(2025, 12, 24)),  # Christmas Day
    (date(2025, 12, 26), "GB", date(2025, 12, 24)),  # Boxing Day, then Christmas
    (date(2026, 4, 6), "GB", date(2026, 4, 2)),  # Easter Monday, Good Friday, weekend
    (date(2026, 4, 3), "GB", date(2026, 4, 2)),  # Good Friday
    (date(2026, 4, 3), "US", date(2026, 4, 3)),  # not a US federal holiday
    (date(2025, 11, 27), "US", date(2025, 11, 26)),  # Thanksgiving
    (date(2025, 11, 27), "GB", date(2025, 11, 27)),  # an ordinary Thursday in England
    (date(2026, 1, 31), "GB", date(2026, 1, 30)),  # Saturday
    (date(2026, 2, 1), "US", date(2026, 1, 30)),  # Sunday
])
def test_pay_date_moves_to_earlier_business_day(nominal, country, expected):
    assert business_day_on_or_before(nominal, country) == expected


@pytest.mark.parametrize(("frequency", "country", "anchor", "until", "count", "length"), [
    ("weekly", "GB", date(2025, 4, 6), date(2025, 6, 28), 12, 7),
    ("fortnightly", "GB", date(2025, 4, 6), date(2025, 6, 28), 6, 14),
    ("four_weekly", "GB", date(2025, 4, 6), date(2025, 12, 31), 10, 28),
    ("biweekly", "US", date(2025, 12, 27), date(2026, 3, 31), 7, 14),
    ("weekly", "US", date(2026, 1, 3), date(2026, 1, 31), 5, 7),
])
def test_fixed_length_periods(payroll_admin, frequency, country, anchor, until, count, length):
    schedule = UKMonthlyScheduleFactory(name=f"{frequency}-{country}", frequency=frequency,
                                        country=country, first_period_start=anchor)
    periods = periods_generate(schedule=schedule, until=until, acting_user=payroll_admin)
    assert len(periods) == count
    assert all((p.end_date - p.start_date).days + 1 == length for p in periods)
    assert all((b.start_date - a.end_date).days == 1 for a, b in pairwise(periods))


def test_monthly_uk_numbers_tax_months_and_is_idempotent(payroll_admin):
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    again = periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    assert again == []
    periods = list(PayPeriod.objects.filter(schedule=schedule).order_by("start_date"))
    assert [p.number for p in periods] == list(range(1, 13))
    december = periods[8]
    assert (december.start_date, december.end_date) == (date(2025, 12, 1), date(2025, 12, 31))
    assert december.pay_date == date(2025, 12, 31)
    # August 2025 ends on a Sunday: paid Friday 29th
    assert periods[4].pay_date == date(2025, 8, 29)


def test_semimonthly_periods(payroll_admin):
    schedule = USBiweeklyScheduleFactory(name="semi", frequency="semimonthly",
                                         first_period_start=date(2026, 1, 1))
    periods = periods_generate(schedule=schedule, until=date(2026, 2, 28),
                               acting_user=payroll_admin)
    assert [(p.start_date.day, p.end_date.day) for p in periods] == [
        (1, 15), (16, 31), (1, 15), (16, 28)]
    assert [p.number for p in periods] == [1, 2, 3, 4]


def test_us_biweekly_pay_date_off_christmas(payroll_admin):
    schedule = USBiweeklyScheduleFactory(name="xmas", first_period_start=date(2025, 12, 12))
    periods = periods_generate(schedule=schedule, until=date(2025, 12, 26),
                               acting_user=payroll_admin)
    # the period ending Thursday 25 December 2025 is paid on Wednesday 24th
    assert periods[0].end_date == date(2025, 12, 25)
    assert periods[0].pay_date == date(2025, 12, 24)
