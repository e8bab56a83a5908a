"""Company directors' Class 1 NI on an annual / pro-rata annual earnings period (CWG2, NIM12021).

All figures 2025-26, category A unless said: annual LEL 6,500, PT 12,570, ST 5,000, UEL 50,270;
employee 8% PT-UEL and 2% above; employer 15% above ST. Monthly per-period PT 1,048, ST 417.
"""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.engine import (
    CompensationSegment,
    PayInputs,
    UKDirector,
    UKTaxProfile,
    YearToDate,
    calculate,
)
from payroll.engine.jurisdictions.uk_ni import (
    class1_ni,
    director_class1_ni,
    director_thresholds,
    director_weeks,
)

from .builders import d

YEAR = "2025-26"


def director_ni(pay: str, ytd_pay: str = "0", ytd_ee: str = "0", ytd_er: str = "0", *,
                method: str = "annual", week: int | None = None, final: bool = False,
                category: str = "A"):
    employee, employer = director_class1_ni(
        tax_year=YEAR, pay_frequency="monthly", category=category, ni_pay=d(pay),
        director=UKDirector(method=method, appointed_week=week, final_period=final),  # type: ignore[arg-type]
        ytd_ni_pay=d(ytd_pay), ytd_employee_ni=d(ytd_ee), ytd_employer_ni=d(ytd_er))
    return employee, employer


def run_year(monthly: list[str], final_in: int | None = None,
             **director) -> list[tuple[Decimal, Decimal]]:
    """Pay each month in turn, carrying the director's YTD as a payroll would."""
    ytd_pay = ytd_ee = ytd_er = Decimal("0")
    out = []
    for month, pay in enumerate(monthly, start=1):
        final = month == final_in
        ee, er = director_ni(pay, str(ytd_pay), str(ytd_ee), str(ytd_er), final=final,
                             **director)
        out.append((ee.amount, er.amount))
        ytd_pay += d(pay)
        ytd_ee += ee.amount
        ytd_er += er.amount
    return out


def test_annual_method_4000_a_month():
    # given a director paid 4,000 a month from the start of the year (annual earnings period)
    # when
    months = run_year(["4000.00"] * 12)
    # then
    # month 1: cumulative 4,000 < ST 5,000 and < PT 12,570 -> 0 / 0
    assert months[0] == (d("0.00"), d("0.00"))
    # month 2: cumulative 8,000: employee 0 (< PT); employer 15% x (8,000 - 5,000) = 450.00
    assert months[1] == (d("0.00"), d("450.00"))
    # month 3: cumulative 12,000 (still < PT 12,570): employee 0;
    # employer 15% x (12,000 - 5,000) = 1,050.00 due - 450.00 paid = 600.00
    assert months[2] == (d("0.00"), d("600.00"))
    # month 4: cumulative 16,000: employee 8% x (16,000 - 12,570) = 274.40 - 0 paid = 274.40;
    # employer 15% x 11,000 = 1,650.00 - 1,050.00 = 600.00
    assert months[3] == (d("274.40"), d("600.00"))
    # month 5: cumulative 20,000: employee 8% x 7,430 = 594.40 - 274.40 = 320.00
    assert months[4] == (d("320.00"), d("600.00"))
    # months 5-12 each 320.00 / 600.00; year: employee 8% x (48,000 - 12,570) = 2,834.40,
    # employer 15% x (48,000 - 5,000) = 6,450.00 (per-period would be 12 x 236.16 = 2,833.92
    # and 12 x 537.45 = 6,449.40)
    assert all(m == (d("320.00"), d("600.00")) for m in months[4:])
    assert sum(m[0] for m in months) == d("2834.40")
    assert sum(m[1] for m in months) == d("6450.00")


def test_annual_method_above_the_uel():
    # given 2,000 more in the month that takes cumulative pay from 49,000 to 55,000
    employee, employer = director_ni("6000.00", "49000.00", "2922.40", "6600.00")
    # then employee due 8% x (50,270 - 12,570) = 3,016.00 + 2% x (55,000 - 50,270) = 94.60
    # = 3,110.60 - 2,922.40 paid = 188.20; employer 15% x 50,000 = 7,500.00 - 6,600.00 = 900.00
    assert (employee.amount, employer.amount) == (d("188.20"), d("900.00"))


def test_trace_shows_thresholds_due_and_paid():
    employee, employer = director_ni("4000.00", "12000.00", "0.00", "1050.00")
    assert employee.trace["table"]["PT"] == "12,570.00"
    assert employee.trace["table"]["basis"] == "annual"
    assert employee.trace["inputs"]["cumulative_ni_pay"] == "16,000.00"
    assert employee.trace["director"]["due_to_date"] == "274.40"
    assert employer.trace["director"]["paid_to_date"] == "1,050.00"
    assert employer.trace["formula"].endswith("1,650.00 due - 1,050.00 paid to date = 600.00")
    assert "NIM12021" in employee.trace["rule"]


def test_pro_rata_weeks_and_thresholds():
    # NIM12022: weeks left from and including the week of appointment, always out of 52;
    # week 53 -> 1 week
    assert director_weeks(None) == director_weeks(1) == 52
    assert director_weeks(30) == 23
    assert director_weeks(52) == 1
    assert director_weeks(53) == 1
    t = director_thresholds(YEAR, 23)
    # annual / 52 x 23, rounded UP to the pound: LEL 6,500 -> 2,875 exactly; PT 12,570 ->
    # 5,559.81 -> 5,560; ST 5,000 -> 2,211.54 -> 2,212; UEL 50,270 -> 22,234.81 -> 22,235;
    # FUST 25,000 -> 11,057.69 -> 11,058
    assert (t["LEL"], t["PT"], t["ST"], t["UEL"], t["FUST"]) == (
        d("2875"), d("5560"), d("2212"), d("22235"), d("11058"))


def test_pro_rata_matches_hmrc_2024_25_published_example():
    # HMRC's quick guide (as reproduced by BrightPay) for 2024-25, appointed in week 30:
    # LEL 2,829, PT 5,560, ST 4,025, UEL 22,235 from annual 6,396 / 12,570 / 9,100 / 50,270.
    from payroll.engine.money import ceil_pounds
    assert [ceil_pounds(d(a) * 23 / 52) for a in ("6396", "12570", "9100", "50270")] == [
        d("2829"), d("5560"), d("4025"), d("22235")]


def test_pro_rata_appointed_director():
    # given a director appointed in tax week 30 (23 weeks: PT 5,560, ST 2,212), 3,000 a month
    months = run_year(["3000.00"] * 2, week=30)
    # first payment: cumulative 3,000 < PT -> employee 0; employer 15% x (3,000 - 2,212) = 118.20
    assert months[0] == (d("0.00"), d("118.20"))
    # second: cumulative 6,000: employee 8% x (6,000 - 5,560) = 35.20;
    # employer 15% x (6,000 - 2,212) = 568.20 - 118.20 = 450.00
    assert months[1] == (d("35.20"), d("450.00"))


def test_alternative_arrangements_per_period_then_final_true_up():
    # given alternative arrangements, 4,000 a month, month 12 flagged final
    months = run_year(["4000.00"] * 12, method="alternative", final_in=12)
    # months 1-11 per period: employee 8% x (4,000 - 1,048) = 236.16;
    # employer 15% x (4,000 - 417) = 537.45
    assert all(m == (d("236.16"), d("537.45")) for m in months[:11])
    # month 12, annual recalculation: employee 8% x (48,000 - 12,570) = 2,834.40
    # - 11 x 236.16 (2,597.76) = 236.64; employer 15% x 43,000 = 6,450.00 - 11 x 537.45
    # (5,911.95) = 538.05
    assert months[11] == (d("236.64"), d("538.05"))
    assert sum(m[0] for m in months) == d("2834.40")
    assert sum(m[1] for m in months) == d("6450.00")


def test_alternative_final_period_with_a_bonus():
    # given 1,000 a month for 11 months (employee 0 < PT 1,048; employer 15% x 583 = 87.45
    # each, 961.95 in all), then a 20,000 final payment recalculated annually
    employee, employer = director_ni("20000.00", "11000.00", "0.00", "961.95",
                                     method="alternative", final=True)
    # cumulative 31,000: employee 8% x 18,430 = 1,474.40; employer 15% x 26,000 = 3,900.00
    # - 961.95 = 2,938.05
    assert (employee.amount, employer.amount) == (d("1474.40"), d("2938.05"))


def test_alternative_non_final_period_is_the_normal_calculation():
    employee, employer = director_ni("4000.00", "8000.00", "472.32", "1074.90",
                                     method="alternative")
    normal = class1_ni(tax_year=YEAR, pay_frequency="monthly", category="A",
                       ni_pay=d("4000.00"))
    assert (employee.amount, employer.amount) == (normal[0].amount, normal[1].amount)
    assert employee.trace["director"]["method"] == "alternative"


def test_category_c_director_pays_employer_ni_only():
    employee, employer = director_ni("8000.00")
    assert employer.amount == d("450.00")  # 15% x (8,000 - 5,000)
    employee, employer = director_ni("20000.00", category="C")
    assert (employee.amount, employer.amount) == (d("0.00"), d("2250.00"))


def _uk_inputs(pay: str, *, director: UKDirector | None, ytd: YearToDate | None = None):
    return PayInputs(
        jurisdiction="UK", pay_date=date(2025, 5, 30), period_start=date(2025, 5, 1),
        period_end=date(2025, 5, 31), pay_frequency="monthly", period_number=2,
        compensation=(CompensationSegment(date(2025, 1, 1), annual_salary=d(pay) * 12),),
        uk_tax=UKTaxProfile(director=director), ytd=ytd or YearToDate())


def test_calculate_uses_director_ytd_and_adds_director_increments():
    # given month 2 of a 4,000-a-month director, month 1 paid 0 / 0 NI
    ytd = YearToDate(uk_director_ni_pay=d("4000.00"))
    # when
    result = calculate(_uk_inputs("4000.00", director=UKDirector(), ytd=ytd))
    # then employer 15% x (8,000 - 5,000) = 450.00, employee 0
    by_code = {line.code: line.amount for line in result.lines}
    assert (by_code["NI_EE"], by_code["NI_ER"]) == (d("0.00"), d("450.00"))
    assert result.ytd_increments["uk_director_ni_pay"] == d("4000.00")
    assert result.ytd_increments["uk_director_employer_ni"] == d("450.00")


def test_non_director_has_no_director_increments():
    result = calculate(_uk_inputs("4000.00", director=None))
    assert "uk_director_ni_pay" not in result.ytd_increments
    by_code = {line.code: line.amount for line in result.lines}
    assert (by_code["NI_EE"], by_code["NI_ER"]) == (d("236.16"), d("537.45"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=30000, places=2), min_size=1, max_size=12),
       st.sampled_from(["A", "B", "C", "F", "H", "M", "Z"]),
       st.one_of(st.none(), st.integers(min_value=1, max_value=53)))
def test_annual_method_year_total_equals_ni_on_the_total(pays, category, week):
    # property: the cumulative method telescopes, so paying in any instalments gives exactly
    # the NI on the year's total, for every category and any pro-rata period
    director = {"week": week, "category": category}
    months = run_year([str(p) for p in pays], **director)
    total_ee, total_er = director_ni(str(sum(pays)), **director)
    assert sum(m[0] for m in months) == total_ee.amount
    assert sum(m[1] for m in months) == total_er.amount


def test_uk_tax_week():
    from payroll.engine.tax_years import uk_tax_week
    # week 1 is 6-12 April; 5 April is in week 53 (52 full weeks end on 4 April)
    assert uk_tax_week(date(2025, 4, 6)) == 1
    assert uk_tax_week(date(2025, 4, 12)) == 1
    assert uk_tax_week(date(2025, 4, 13)) == 2
    assert uk_tax_week(date(2025, 10, 20)) == 29  # 197 days after 6 April
    assert uk_tax_week(date(2026, 4, 5)) == 53
