import pytest

from payroll.engine.jurisdictions.uk_ni import NiCategoryError, class1_ni

from .builders import d


def ni(pay: str, category: str = "A", freq: str = "weekly", year: str = "2026-27"):
    employee, employer = class1_ni(tax_year=year, pay_frequency=freq, category=category,
                                   ni_pay=d(pay))
    return employee.amount, employer.amount


def test_category_a_weekly_2026_27():
    # employee 8% x (967 UEL - 242 PT) + 2% x (1,000 - 967) = 58.00 + 0.66
    # employer 15% x (1,000 - 96) = 135.60
    assert ni("1000.00") == (d("58.66"), d("135.60"))


def test_under_21_employer_pays_nothing_up_to_the_upper_secondary_threshold():
    assert ni("900.00", "M") == (d("52.64"), d("0.00"))


def test_over_state_pension_age_employee_pays_nothing():
    assert ni("900.00", "C") == (d("0.00"), d("120.60"))


def test_hmrc_rounding_five_or_less_down_six_or_more_up():
    # 0.07 x 8% = 0.0056 -> 0.00; 0.08 x 8% = 0.0064 -> 0.01 (HMRC NIC test data)
    assert ni("242.07")[0] == d("0.00")
    assert ni("242.08")[0] == d("0.01")


def test_unknown_category_is_rejected():
    with pytest.raises(NiCategoryError):
        ni("100.00", "Q")
