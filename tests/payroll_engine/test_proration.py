from datetime import date

from payroll.engine import CompensationSegment, calculate
from payroll.engine.proration import count_days

from .builders import d, us_inputs


def salary_lines(result):
    return [line for line in result.lines if line.code == "SALARY"]


def test_full_period_pays_exactly_annual_over_periods():
    # given / when
    result = calculate(us_inputs())
    # then
    [line] = salary_lines(result)
    assert line.amount == d("5000.00")


def test_mid_period_hire_pays_calendar_days_from_hire():
    # given: hired 11 March, 21 of 31 calendar days
    inputs = us_inputs(employment_start=date(2026, 3, 11))
    # when
    [line] = salary_lines(calculate(inputs))
    # then: 60,000 / 12 x 21 / 31 = 3,387.0967... -> 3,387.10
    assert line.amount == d("3387.10")
    assert line.quantity == 21
    assert "x (21 / 31)" in line.trace["formula"]


def test_termination_with_working_days_basis():
    # given: last day Friday 13 March 2026; March 2026 has 22 working days, 10 up to the 13th
    inputs = us_inputs(employment_end=date(2026, 3, 13), proration_basis="working_days")
    # when
    [line] = salary_lines(calculate(inputs))
    # then: 5,000 x 10 / 22 = 2,272.7272... -> 2,272.73
    assert line.amount == d("2272.73")


def test_unpaid_leave_days_are_not_paid():
    # given: two unpaid working days (Mon 9, Tue 10 March) and a Saturday that does not count
    leave = (date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 14))
    inputs = us_inputs(unpaid_leave_days=leave, proration_basis="working_days")
    # when
    [line] = salary_lines(calculate(inputs))
    # then: 5,000 x 20 / 22 = 4,545.4545... -> 4,545.45
    assert line.amount == d("4545.45")
    assert line.trace["inputs"]["unpaid_leave_days"] == 2


def test_mid_period_pay_change_gives_one_explained_line_per_segment():
    # given: raise from 60,000 to 72,000 effective 16 March
    comp = (
        CompensationSegment(date(2025, 1, 1), date(2026, 3, 15), annual_salary=d("60000")),
        CompensationSegment(date(2026, 3, 16), None, annual_salary=d("72000"), reason="raise"),
    )
    # when
    lines = salary_lines(calculate(us_inputs(compensation=comp)))
    # then: 5,000 x 15/31 = 2,419.35; 6,000 x 16/31 = 3,096.77 (each rounded once)
    assert [line.amount for line in lines] == [d("2419.35"), d("3096.77")]
    assert lines[1].trace["inputs"]["reason"] == "raise"


def test_calendar_and_working_day_bases_differ():
    # given: a hire on Monday 16 March
    cal = us_inputs(employment_start=date(2026, 3, 16))
    work = us_inputs(employment_start=date(2026, 3, 16), proration_basis="working_days")
    # when
    [cal_line], [work_line] = salary_lines(calculate(cal)), salary_lines(calculate(work))
    # then: 16/31 calendar days vs 12/22 working days
    assert cal_line.amount == d("2580.65")
    assert work_line.amount == d("2727.27")


def test_count_working_days_skips_weekends():
    assert count_days(date(2026, 3, 1), date(2026, 3, 31), "working_days") == 22
    assert count_days(date(2026, 3, 7), date(2026, 3, 8), "working_days") == 0
    assert count_days(date(2026, 3, 1), date(2026, 3, 31), "calendar_days") == 31


def test_hourly_pay_and_overtime_at_a_multiplier():
    # given
    comp = (CompensationSegment(date(2025, 1, 1), hourly_rate=d("20.00")),)
    inputs = us_inputs(compensation=comp, pay_frequency="weekly", hours_worked=d("40"),
                       overtime_hours=d("2.5"))
    # when
    result = calculate(inputs)
    # then
    hourly = {line.code: line.amount for line in result.lines if line.category == "earning"}
    assert hourly == {"HOURLY": d("800.00"), "OVERTIME": d("75.00")}
