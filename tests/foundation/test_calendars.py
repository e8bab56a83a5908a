"""The shared public-holiday calendar (payroll pay dates, lifecycle due dates)."""

from datetime import date

from hrops.calendars import is_working_day, public_holidays


def test_england_and_us_calendars():
    england = public_holidays("GB", [2026])
    assert date(2026, 12, 25) in england and date(2026, 12, 28) in england
    assert date(2026, 8, 31) in england  # the English summer bank holiday
    assert date(2026, 8, 3) not in england  # Scotland's, not England's
    assert public_holidays("UK", [2026]) == england
    assert date(2026, 7, 3) in public_holidays("us", [2026])  # 4 July observed, lower case code


def test_unknown_or_missing_country_has_no_holidays_instead_of_failing():
    assert public_holidays("ZZ", [2026]) == frozenset()
    assert public_holidays("", [2026]) == frozenset()


def test_is_working_day():
    christmas = public_holidays("GB", [2026])
    assert is_working_day(date(2026, 12, 24), christmas)
    assert not is_working_day(date(2026, 12, 25), christmas)
    assert not is_working_day(date(2026, 12, 26))  # a Saturday
