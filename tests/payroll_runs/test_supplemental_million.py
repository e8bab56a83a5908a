"""The 1,000,000 rule through the runs: supplemental wages already paid this calendar year
(finalised payslips) count towards it (IRS Pub 15 section 7, "Supplemental wages of more than
$1 million": the part above 1,000,000 is withheld at 37%, whatever the W-4 and the method)."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.test_multiple_payments import _finalise, _line, _off_cycle, us_schedule

pytestmark = pytest.mark.django_db
D = Decimal
__all__ = ["us_schedule"]  # the fixture, shared with test_multiple_payments


@pytest.mark.parametrize("method", ["flat", "aggregate"])
def test_prior_supplemental_wages_of_the_year_move_a_bonus_above_one_million(
        method, us_schedule, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given 990,000 of supplemental wages paid (finalised) in January 2026
    capture = django_capture_on_commit_callbacks
    us_schedule.supplemental_method = method
    us_schedule.save(update_fields=["supplemental_method"])
    emp = paid_employee(us_schedule, salary="52000.00")
    first = _off_cycle(us_schedule, 1, emp, "990000", payroll_admin, capture,
                       pay_date=date(2026, 1, 16))
    _finalise(first, second_payroll_admin, capture)

    # when a 20,000 bonus is paid off-cycle in February
    second = _off_cycle(us_schedule, 3, emp, "20000", payroll_admin, capture,
                        pay_date=date(2026, 2, 13)).payslips.get(employee=emp)

    # then the 10,000 above 1,000,000 (990,000 + 20,000 - 1,000,000) is withheld at 37%:
    # 3,700.00 mandatory; with the flat method the other 10,000 at 22% = 2,200.00
    assert second.ytd_increments["us_supplemental_wages"] == "20000.00"
    fit = _line(second, "FIT")
    if method == "flat":
        assert fit == D("5900.00")
    else:
        assert fit > D("3700.00")  # aggregate withholding on 10,000, plus the mandatory part
    trace = next(ln.trace for ln in second.lines.all() if ln.code == "FIT")
    assert trace["inputs"]["supplemental_wages_before"] == "990,000.00"

