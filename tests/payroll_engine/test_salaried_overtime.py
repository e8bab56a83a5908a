"""Overtime for salaried staff: an hourly rate derived from contracted weekly hours, never 0."""

from datetime import date

import pytest

from payroll.engine import CompensationSegment, calculate

from .builders import amount, d, uk_inputs, us_inputs


def _overtime(result):
    return next(line for line in result.lines if line.code == "OVERTIME")


def test_salaried_overtime_uses_annual_over_52_over_weekly_hours():
    # given 30,000 a year, 37.5 contracted hours a week, 10 hours of overtime at time and a half
    inputs = uk_inputs(compensation=(CompensationSegment(date(2025, 1, 1),
                                                         annual_salary=d("30000")),),
                       weekly_hours=d("37.5"), overtime_hours=d("10"),
                       overtime_multiplier=d("1.5"))
    # when
    line = _overtime(calculate(inputs))
    # then (own arithmetic): 30,000 / 52 = 576.923076...; / 37.5 = 15.384615... -> 15.3846
    # (half up to 4 places, as hourly rates are stored); 10 x 15.3846 x 1.5 = 230.769 -> 230.77
    assert line.amount == d("230.77")
    assert line.rate == d("15.3846") * d("1.5")
    assert line.trace["inputs"]["hourly_rate"] == "15.3846"
    assert line.trace["inputs"]["weekly_hours"] == "37.5"
    assert line.trace["formula"].startswith("30,000.00 / 52 / 37.5 h = 15.3846 an hour")
    assert "annual salary / 52 / contracted weekly hours" in line.trace["rule"]
    # the salary itself is unchanged: 30,000 / 12 = 2,500.00
    assert amount(calculate(inputs), "SALARY") == d("2500.00")


def test_salaried_overtime_rate_rounds_half_up_at_the_fourth_place():
    # given 52,000 / 52 = 1,000 a week over 30 hours = 33.33333... -> 33.3333
    inputs = us_inputs(compensation=(CompensationSegment(date(2025, 1, 1),
                                                         annual_salary=d("52000")),),
                       weekly_hours=d("30"), overtime_hours=d("3"), overtime_multiplier=d("1"))
    # when / then: 3 x 33.3333 = 99.9999 -> 100.00
    line = _overtime(calculate(inputs))
    assert line.trace["inputs"]["hourly_rate"] == "33.3333"
    assert line.amount == d("100.00")


def test_salaried_overtime_without_contracted_hours_is_an_error_not_zero():
    # given a salaried person with overtime but no weekly hours on file
    inputs = uk_inputs(overtime_hours=d("5"))
    # when / then: refused, so the run flags a calculation error instead of paying 0
    with pytest.raises(ValueError, match="contracted weekly hours"):
        calculate(inputs)


def test_regular_hours_for_a_salaried_person_are_an_error():
    with pytest.raises(ValueError, match="no hourly rate"):
        calculate(uk_inputs(hours_worked=d("160"), weekly_hours=d("37.5")))


def test_hours_with_no_pay_in_force_are_an_error():
    # given an off-cycle style input: no compensation at all, but overtime hours
    with pytest.raises(ValueError, match="no salary or hourly rate"):
        calculate(uk_inputs(compensation=(), overtime_hours=d("2"), weekly_hours=d("40")))


def test_hourly_overtime_is_unchanged_by_weekly_hours():
    # given an hourly person at 20.00 with contracted hours recorded
    inputs = us_inputs(compensation=(CompensationSegment(date(2025, 1, 1),
                                                         hourly_rate=d("20")),),
                       hours_worked=d("160"), overtime_hours=d("2"), weekly_hours=d("40"))
    # when
    result = calculate(inputs)
    # then their own rate: 160 x 20 = 3,200.00; 2 x 20 x 1.5 = 60.00
    assert amount(result, "HOURLY") == d("3200.00")
    assert amount(result, "OVERTIME") == d("60.00")
    assert "weekly_hours" not in _overtime(result).trace["inputs"]
