"""Several payments in one earnings period (UK NI on the period as a whole), the tax period of
the pay date, and US supplemental wages (Pub 15 section 7)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.engine import (
    USW4,
    CompensationSegment,
    Options,
    PayItem,
    UKDirector,
    UKTaxProfile,
    YearToDate,
    calculate,
)
from payroll.engine import components as c
from payroll.engine.jurisdictions.uk_ni import class1_ni, class1_ni_in_period
from payroll.engine.tax_years import uk_tax_month, uk_tax_period, uk_tax_period_bounds

from .builders import amount, d, uk_inputs, us_inputs

BONUS_ONLY = {"compensation": ()}  # an off-cycle payment: its own inputs only, no salary


def _uk_2025(**overrides):
    # 2025-26 tax month 8 (6 November - 5 December 2025), paid 28 November.
    base = uk_inputs(pay_date=date(2025, 11, 28), period_start=date(2025, 11, 1),
                     period_end=date(2025, 11, 30), period_number=8,
                     compensation=(CompensationSegment(date(2025, 1, 1),
                                                       annual_salary=d("46800")),))
    return replace(base, **overrides)


def _after(first, ytd: YearToDate) -> YearToDate:
    """The YTD a second payment in the same month sees once ``first`` is finalised."""
    inc = first.ytd_increments
    return replace(ytd, uk_taxable_pay=ytd.uk_taxable_pay + inc["uk_taxable_pay"],
                   uk_period_taxable_pay=ytd.uk_period_taxable_pay + inc["uk_taxable_pay"],
                   uk_period_tax_paid=ytd.uk_period_tax_paid + inc["uk_tax_paid"],
                   uk_tax_paid=ytd.uk_tax_paid + inc["uk_tax_paid"],
                   uk_period_ni_pay=ytd.uk_period_ni_pay + inc["uk_ni_pay"],
                   uk_period_employee_ni=ytd.uk_period_employee_ni + inc["uk_employee_ni"],
                   uk_period_employer_ni=ytd.uk_period_employer_ni + inc["uk_employer_ni"])


def test_off_cycle_bonus_in_the_salary_month_bears_ni_on_the_month_as_a_whole():
    # given: the report: salary 46,800 a year (3,900.00 a month) and a 1,000.00
    # off-cycle bonus paid in the same tax month. 2025-26 monthly thresholds (CWG2): PT 1,048,
    # ST 417, UEL 4,189; category A 8% / 2% employee, 15% employer.
    salary = calculate(_uk_2025())
    bonus_inputs = _uk_2025(items=(PayItem(c.BONUS, amount=d("1000")),), off_cycle=True,
                            **BONUS_ONLY)
    # when: the bonus alone (the old behaviour) and with the salary already paid in the month
    alone = calculate(bonus_inputs)
    bonus = calculate(replace(bonus_inputs, ytd=_after(salary, YearToDate())))
    # then: salary: 8% x (3,900 - 1,048) = 228.16; 15% x (3,900 - 417) = 522.45
    assert (amount(salary, "NI_EE"), amount(salary, "NI_ER")) == (d("228.16"), d("522.45"))
    # the month's 4,900: 8% x (4,189 - 1,048) = 251.28 + 2% x (4,900 - 4,189) = 14.22 -> 265.50
    # employee; 15% x (4,900 - 417) = 672.45 employer; less what the salary paid:
    assert amount(bonus, "NI_EE") == d("265.50") - d("228.16") == d("37.34")
    assert amount(bonus, "NI_ER") == d("672.45") - d("522.45") == d("150.00")
    # the bonus on its own thresholds paid 0.00 and 15% x (1,000 - 417) = 87.45: short by
    # exactly the 37.34 and 62.55 the issue reports
    assert amount(bonus, "NI_EE") - amount(alone, "NI_EE") == d("37.34")
    assert amount(bonus, "NI_ER") - amount(alone, "NI_ER") == d("62.55")
    trace = next(line.trace for line in bonus.lines if line.code == "NI_EE")
    assert trace["earnings_period"]["ni_pay_in_period"] == "4,900.00"


def test_a_second_payment_in_the_month_is_taxed_cumulatively_in_the_same_tax_month():
    # given: 1257L month 8, salary already paid this month (PAYE to date from it)
    salary = calculate(_uk_2025(ytd=YearToDate(uk_taxable_pay=d("27300"),
                                               uk_tax_paid=d("3365.60"))))
    ytd = _after(salary, YearToDate(uk_taxable_pay=d("27300"), uk_tax_paid=d("3365.60")))
    # when
    bonus = calculate(_uk_2025(items=(PayItem(c.BONUS, amount=d("1000")),), off_cycle=True,
                               ytd=ytd, **BONUS_ONLY))
    # then: month 8 free pay 1,048.26 x 8 = 8,386.08; taxable to date 27,300 + 3,900 + 1,000 -
    # 8,386.08 = 23,813.92 -> 23,813; basic band to date 37,700 x 8 / 12 = 25,133.3333, so 20%
    # x 23,813 = 4,762.60 to date; less 3,365.60 + the salary's PAYE paid = the bonus's PAYE
    assert amount(salary, "PAYE") + amount(bonus, "PAYE") == d("4762.60") - d("3365.60")
    assert amount(bonus, "PAYE") == d("200.00")  # 20% of 1,000, basic rate all the way


def test_nothing_paid_yet_in_the_period_is_exactly_the_single_payment_calculation():
    # given / when
    single = class1_ni(tax_year="2025-26", pay_frequency="weekly", category="A",
                       ni_pay=d("900"))
    in_period = class1_ni_in_period(tax_year="2025-26", pay_frequency="weekly", category="A",
                                    ni_pay=d("900"), paid_ni_pay=d("0"),
                                    paid_employee_ni=d("0"), paid_employer_ni=d("0"))
    # then
    assert in_period == single


def test_director_on_alternative_arrangements_aggregates_payments_of_one_period():
    # given: a director on alternative arrangements (per period until the final one); salary
    # 3,900 already paid this month, then a 1,000 bonus in the same month
    director = UKTaxProfile(director=UKDirector(method="alternative"))
    salary = calculate(_uk_2025(uk_tax=director))
    # when
    bonus = calculate(_uk_2025(uk_tax=director, items=(PayItem(c.BONUS, amount=d("1000")),),
                               off_cycle=True, ytd=_after(salary, YearToDate()), **BONUS_ONLY))
    # then: exactly the non-director figures above (per-period basis, NIM12026)
    assert (amount(bonus, "NI_EE"), amount(bonus, "NI_ER")) == (d("37.34"), d("150.00"))


def test_director_on_the_annual_method_is_cumulative_over_every_payment_of_the_year():
    # given: an annual-method director with 3,900 a month for 7 months (27,300 NI-able pay,
    # 2025-26 annual PT 12,570, ST 5,000: NI due 8% x 14,730 = 1,178.40 and 15% x 22,300 =
    # 3,345.00 already paid) receives a 1,000 off-cycle bonus
    director = UKTaxProfile(director=UKDirector(method="annual"))
    ytd = YearToDate(uk_director_ni_pay=d("27300"), uk_director_employee_ni=d("1178.40"),
                     uk_director_employer_ni=d("3345.00"))
    # when
    bonus = calculate(_uk_2025(uk_tax=director, items=(PayItem(c.BONUS, amount=d("1000")),),
                               off_cycle=True, ytd=ytd, **BONUS_ONLY))
    # then: cumulative 28,300: 8% x 15,730 = 1,258.40 (80.00 more), 15% x 23,300 = 3,495.00
    # (150.00 more): the bonus is aggregated with the year's earnings already
    assert (amount(bonus, "NI_EE"), amount(bonus, "NI_ER")) == (d("80.00"), d("150.00"))


payments = st.lists(st.integers(min_value=1, max_value=1_500_000).map(lambda n: Decimal(n) / 100),
                    min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(parts=payments, category=st.sampled_from(["A", "B", "C", "H", "J", "M", "Z", "X"]),
       frequency=st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"]))
def test_any_split_of_a_period_into_payments_gives_the_ni_of_one_payment(
    parts, category, frequency
):
    # given: one period's earnings paid as several payments, each seeing the ones before it
    total = sum(parts, Decimal(0))
    ytd = YearToDate()
    employee = employer = Decimal(0)
    # when
    for part in parts:
        result = calculate(uk_inputs(
            pay_frequency=frequency, compensation=(), off_cycle=True,
            uk_tax=UKTaxProfile(ni_category=category),
            items=(PayItem(c.BONUS, amount=part),), ytd=ytd))
        employee += amount(result, "NI_EE")
        employer += amount(result, "NI_ER")
        ytd = _after(result, ytd)
    # then: the same NI as one payment of the total
    one = calculate(uk_inputs(pay_frequency=frequency, compensation=(),
                              uk_tax=UKTaxProfile(ni_category=category),
                              items=(PayItem(c.BONUS, amount=total),)))
    assert (employee, employer) == (amount(one, "NI_EE"), amount(one, "NI_ER"))


@pytest.mark.parametrize(("day", "frequency", "period", "bounds"), [
    (date(2025, 4, 6), "monthly", 1, (date(2025, 4, 6), date(2025, 5, 5))),
    (date(2025, 5, 5), "monthly", 1, (date(2025, 4, 6), date(2025, 5, 5))),
    (date(2025, 11, 28), "monthly", 8, (date(2025, 11, 6), date(2025, 12, 5))),
    (date(2025, 12, 5), "monthly", 8, (date(2025, 11, 6), date(2025, 12, 5))),
    (date(2025, 12, 8), "monthly", 9, (date(2025, 12, 6), date(2026, 1, 5))),
    (date(2026, 4, 5), "monthly", 12, (date(2026, 3, 6), date(2026, 4, 5))),
    (date(2025, 4, 18), "weekly", 2, (date(2025, 4, 13), date(2025, 4, 19))),
    (date(2025, 4, 18), "fortnightly", 1, (date(2025, 4, 6), date(2025, 4, 19))),
    (date(2025, 4, 20), "fortnightly", 2, (date(2025, 4, 20), date(2025, 5, 3))),
    (date(2025, 5, 3), "four_weekly", 1, (date(2025, 4, 6), date(2025, 5, 3))),
    # 5 April 2026 is tax week 53: weekly period 53, fortnightly 27, both one day long
    (date(2026, 4, 5), "weekly", 53, (date(2026, 4, 5), date(2026, 4, 5))),
    (date(2026, 4, 5), "fortnightly", 27, (date(2026, 4, 5), date(2026, 4, 5))),
])
def test_tax_period_is_that_of_the_pay_date(day, frequency, period, bounds):
    # given: HMRC tax months run from the 6th; tax week 1 is 6-12 April
    # when / then
    assert uk_tax_period(day, frequency) == period
    assert uk_tax_period_bounds(day, frequency) == bounds


def test_tax_month_of_new_year_day_is_month_nine():
    assert uk_tax_month(date(2026, 1, 1)) == 9


# --- US supplemental wages (IRS Pub 15 (2026) section 7) ------------------------------------

def _us_bonus(amount_: str, *, method: str, ytd: YearToDate | None = None, **overrides):
    return us_inputs(compensation=(), off_cycle=True, pay_frequency="biweekly",
                     items=(PayItem(c.BONUS, amount=d(amount_)),),
                     options=Options(supplemental_method=method), ytd=ytd or YearToDate(),
                     **overrides)


def test_off_cycle_bonus_at_the_optional_flat_rate():
    # given: a 5,000.00 bonus paid separately, schedule method "flat"
    # when
    result = calculate(_us_bonus("5000", method="flat"))
    # then: Pub 15 s.7 optional flat rate 22% x 5,000 = 1,100.00 (W-4 ignored); FICA as usual
    assert amount(result, "FIT") == d("1100.00")
    assert amount(result, "SS") == d("310.00")  # 6.2% x 5,000
    assert result.ytd_increments["us_supplemental_wages"] == d("5000")


def test_supplemental_wages_above_one_million_in_the_year_are_withheld_at_37_percent():
    # given: 990,000 of supplemental wages already paid this year, then a 20,000 bonus
    ytd = YearToDate(us_fica_wages=d("1200000"), us_supplemental_wages=d("990000"))
    # when
    flat = calculate(_us_bonus("20000", method="flat", ytd=ytd))
    # then: 22% x 10,000 = 2,200.00 up to 1,000,000; 37% x 10,000 = 3,700.00 above it
    assert amount(flat, "FIT") == d("5900.00")
    # and the 37% is mandatory under the aggregate method too (no regular paycheck on file:
    # the first 10,000 through Worksheet 1A as a biweekly payment, the rest at 37%)
    aggregate = calculate(_us_bonus("20000", method="aggregate", ytd=ytd))
    trace = next(line.trace for line in aggregate.lines if line.code == "FIT")
    assert "mandatory 37% x 10,000.00" in trace["formula"]


def test_exempt_w4_pays_no_optional_flat_rate_but_the_mandatory_37_percent():
    # given
    ytd = YearToDate(us_supplemental_wages=d("1000000"))
    # when
    result = calculate(_us_bonus("1000", method="flat", ytd=ytd, us_w4=USW4(exempt=True)))
    # then: all 1,000 is above the 1,000,000: 37% = 370.00 without regard to Form W-4
    assert amount(result, "FIT") == d("370.00")


def test_aggregate_method_adds_a_separate_bonus_to_the_last_regular_paycheck():
    # given: the last regular biweekly paycheck of the year was 2,000.00 (Single, no W-4
    # adjustments), then a 1,000.00 bonus paid separately; Pub 15-T 2026 Worksheet 1A tables
    regular = calculate(us_inputs(pay_frequency="biweekly", compensation=(
        CompensationSegment(date(2025, 1, 1), annual_salary=d("52000")),),
        period_start=date(2026, 3, 16), period_end=date(2026, 3, 29)))
    withheld = amount(regular, "FIT")
    ytd = YearToDate(us_last_regular_wages=d("2000"), us_last_regular_income_tax=withheld)
    # when
    bonus = calculate(_us_bonus("1000", method="aggregate", ytd=ytd))
    # then: Worksheet 1A on 3,000 biweekly (78,000 - 8,600 = 69,400 annual: 5,800 + 22% x
    # (69,400 - 57,900) = 8,330 / 26 = 320.38) less the 2,000 paycheck's own withholding
    # (52,000 - 8,600 = 43,400: 1,240 + 12% x (43,400 - 19,900) = 4,060 / 26 = 156.15)
    assert withheld == d("156.15")
    assert amount(bonus, "FIT") == d("320.38") - d("156.15") == d("164.23")


def test_bonus_in_a_regular_paycheck_under_the_flat_method():
    # given: monthly salary 5,000 (60,000) plus a 1,000 bonus in the same paycheck
    result = calculate(us_inputs(items=(PayItem(c.BONUS, amount=d("1000")),),
                                 options=Options(supplemental_method="flat")))
    # then: the salary by Worksheet 1A (60,000 - 8,600 = 51,400: 1,240 + 12% x (51,400 -
    # 19,900) = 5,020 / 12 = 418.33) plus 22% x 1,000 = 220.00
    assert amount(result, "FIT") == d("418.33") + d("220.00")


def test_week1_month1_payments_of_one_month_share_one_months_free_pay():
    # given: 1257L on a month 1 basis, 3,000 salary already paid in the month (its PAYE:
    # 3,000 - 1,048.26 = 1,951.74 -> 1,951 x 20% = 390.20), then a 1,000 bonus
    profile = UKTaxProfile(week1_month1=True)
    salary = calculate(_uk_2025(uk_tax=profile, compensation=(
        CompensationSegment(date(2025, 1, 1), annual_salary=d("36000")),)))
    # when
    bonus = calculate(_uk_2025(uk_tax=profile, items=(PayItem(c.BONUS, amount=d("1000")),),
                               off_cycle=True, ytd=_after(salary, YearToDate()), **BONUS_ONLY))
    # then: the month's 4,000 - 1,048.26 = 2,951.74 -> 2,951 x 20% = 590.20, less 390.20
    # (alone, the bonus is under one month's free pay and would bear no tax at all)
    assert amount(salary, "PAYE") == d("390.20")
    assert amount(bonus, "PAYE") == d("200.00")
