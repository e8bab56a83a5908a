"""The run review's figures, summed by hand from the lines in conftest.two_runs."""

from decimal import Decimal

import pytest

from payroll.models import PayRun
from payroll.selectors_review import percent_change, previous_regular_run, run_review
from tests.factories.payroll_review import run_with_payslips, slip_lines

pytestmark = pytest.mark.django_db
D = Decimal


def _rows(review) -> dict:
    return {row.key: row for row in review.rows}


def test_totals_and_changes_against_the_previous_run_are_the_hand_computed_sums(two_runs):
    # given period 1 finalised and period 2 calculated (conftest.two_runs)
    previous, current = two_runs

    # when the approver opens the review of period 2
    review = run_review(current)

    # then each figure is the hand sum of the lines, next to period 1's
    assert review.previous == previous
    rows = _rows(review)
    # headcount: 4 (Alice, Bob, Dan, Erin) against 4 (Alice, Bob, Carol, Erin)
    assert (rows["headcount"].current, rows["headcount"].previous) == (4, 4)
    assert (rows["headcount"].change, rows["headcount"].percent) == (0, D("0.0"))
    expected = {
        # key: (this run, previous, change, % = change / previous x 100 to one place)
        # gross 3000+2500+1000+1200 against 3000+2000+1500+1800
        "gross": (D("7700.00"), D("8300.00"), D("-600.00"), D("-7.2")),  # -7.2289
        # employee taxes (PAYE + NI) 600+450+30+100 against 600+300+150+230
        "employee_tax": (D("1180.00"), D("1280.00"), D("-100.00"), D("-7.8")),  # -7.8125
        # employer NI 300+220+15+60 against 300+150+80+120
        "employer_tax": (D("595.00"), D("650.00"), D("-55.00"), D("-8.5")),  # -8.4615
        # deductions: pension 150 + loan 5 against pension 150 + loan 25
        "deductions": (D("155.00"), D("175.00"), D("-20.00"), D("-11.4")),  # -11.4286
        # net 2250+2050+965+1100 against 2250+1700+1325+1570
        "net": (D("6365.00"), D("6845.00"), D("-480.00"), D("-7.0")),  # -7.0124
        # employer cost 3390+2720+1015+1260 against 3390+2150+1580+1920
        "employer_cost": (D("8385.00"), D("9040.00"), D("-655.00"), D("-7.2")),  # -7.2456
    }
    for key, (now, before, change, percent) in expected.items():
        row = rows[key]
        assert (row.current, row.previous, row.change, row.percent) == (
            now, before, change, percent), key


def test_cash_needed_is_net_plus_taxes_plus_other_payees(two_runs):
    # given period 2 (conftest.two_runs)
    _, current = two_runs

    # when its review is built
    review = run_review(current)

    # then the breakdown is net 6365 + employee taxes 1180 + employer taxes 595
    # + deductions 155 + employer pension 90 = 8385, which is also the employer cost
    assert review.cash == [
        ("Net pay to employees", D("6365.00")), ("Employee taxes withheld", D("1180.00")),
        ("Employer taxes", D("595.00")), ("Deductions to other payees", D("155.00")),
        ("Employer contributions", D("90.00"))]
    assert review.totals.taxes_due == D("1775.00")  # 1180 + 595, to the tax authority
    assert review.totals.other_payees == D("245.00")  # pension 150 + loan 5 + er pension 90
    assert review.totals.cash_needed == D("8385.00") == review.totals.employer_cost


def test_joiners_leavers_and_people_whose_pay_changed(two_runs, people):
    # given Dan paid only in period 2, Carol only in period 1, Bob and Erin paid differently
    _, current = two_runs

    # when the review is built
    review = run_review(current)

    # then Dan joined, Carol left, and two people's pay changed (Alice's did not)
    assert review.compare_people
    assert review.joiners.total == 1
    assert [p.employee for p in review.joiners.shown] == [people["Dan"]]
    assert review.leavers.total == 1
    assert [p.employee for p in review.leavers.shown] == [people["Carol"]]
    assert review.leavers.shown[0].run_id == review.previous.pk  # links to the run it was in
    assert review.pay_changed == 2


def test_largest_variances_come_first_whichever_way_they_go(two_runs, people):
    # given Erin's net fell 1570 -> 1100 and Bob's rose 1700 -> 2050
    _, current = two_runs

    # when the review is built
    variances = run_review(current).variances

    # then the bigger change (Erin, -470) comes before the smaller (Bob, +350)
    assert [v.employee for v in variances] == [people["Erin"], people["Bob"]]
    erin, bob = variances
    assert (erin.previous_net, erin.payslip.net, erin.net_change) == (
        D("1570.00"), D("1100.00"), D("-470.00"))
    assert erin.net_percent == D("-29.9")  # -470 / 1570 = -29.936%
    assert erin.gross_change == D("-600.00")  # 1200 - 1800
    assert (bob.net_change, bob.net_percent) == (D("350.00"), D("20.6"))  # 350 / 1700 = 20.588%


def test_a_change_from_zero_has_no_percentage(uk_schedule, people, payroll_admin):
    # given a previous run with no deductions, no employer tax and a zero net for Bob
    # (his 500 of pay all went in tax), and a current run where all of those are positive
    run_with_payslips(uk_schedule, 1, {
        people["Alice"]: slip_lines(earning="1000.00"),
        people["Bob"]: slip_lines(earning="500.00", paye="500.00"),
    })
    current = run_with_payslips(uk_schedule, 2, {
        people["Alice"]: slip_lines(earning="1000.00", ni_er="12.50", loan="10.00"),
        people["Bob"]: slip_lines(earning="500.00", paye="400.00"),
    }, status="calculated", calculated_by=payroll_admin)

    # when the review is built
    review = run_review(current)

    # then the changes are there, but no percentage (division by zero) for a zero before
    rows = _rows(review)
    assert (rows["employer_tax"].previous, rows["employer_tax"].change) == (D("0.00"),
                                                                          D("12.50"))
    assert rows["employer_tax"].percent is None
    assert (rows["deductions"].change, rows["deductions"].percent) == (D("10.00"), None)
    bob = next(v for v in review.variances if v.employee == people["Bob"])
    assert (bob.previous_net, bob.net_change, bob.net_percent) == (D("0.00"), D("100.00"),
                                                                   None)


@pytest.mark.parametrize(("current", "previous", "expected"), [
    (D("101.25"), D("100"), D("1.3")),  # 1.25% rounds half away from zero (not to even: 1.2)
    (D("98.75"), D("100"), D("-1.3")),  # -1.25% the same way
    (D("50"), D("-100"), D("150.0")),  # against a negative figure: measured from its size
    (D("5"), D("0"), None),
    (D("0"), D("0"), None),
    (D("5"), None, None),
])
def test_percent_change(current, previous, expected):
    assert percent_change(current, previous) == expected


def test_the_previous_run_is_the_latest_finalised_regular_run(uk_schedule, people,
                                                                payroll_admin):
    # given a finalised regular run for period 1, an off-cycle for period 2, a regular run for
    # period 2 that is only calculated, and period 3's run being reviewed
    one = slip_lines(earning="100.00")
    first = run_with_payslips(uk_schedule, 1, {people["Alice"]: one})
    run_with_payslips(uk_schedule, 2, {people["Alice"]: one}, kind=PayRun.Kind.OFF_CYCLE)
    run_with_payslips(uk_schedule, 2, {people["Alice"]: one}, status="calculated")
    third = run_with_payslips(uk_schedule, 3, {people["Alice"]: one}, status="calculated")

    # then period 1's run is the one to compare with: not the off-cycle, not an unfinalised run
    assert previous_regular_run(third) == first
    # and the first run of a schedule has nothing to compare with
    assert previous_regular_run(first) is None


def test_without_a_previous_run_the_review_has_totals_only(uk_schedule, people, payroll_admin):
    # given the schedule's first run
    run = run_with_payslips(uk_schedule, 1, {
        people["Alice"]: slip_lines(earning="1000.00", paye="100.00")}, status="calculated")

    # when it is reviewed
    review = run_review(run)

    # then it has this run's figures and no comparison, people movement or variances
    rows = _rows(review)
    assert (rows["net"].current, rows["net"].previous, rows["net"].change) == (
        D("900.00"), None, None)
    assert review.previous is None and review.joiners is None and review.variances == []


def test_an_off_cycle_run_is_compared_in_totals_but_not_in_people(uk_schedule, people,
                                                                   two_runs):
    # given a bonus off-cycle run in period 2 paying Bob only
    bonus = run_with_payslips(uk_schedule, 2, {
        people["Bob"]: slip_lines(earning="1000.00", paye="400.00", ni="20.00",
                                  ni_er="138.00")},
        kind=PayRun.Kind.OFF_CYCLE, status="calculated")

    # when it is reviewed
    review = run_review(bonus)

    # then its totals stand against the previous regular run (period 1), but nobody is called
    # a leaver for not getting a bonus
    assert review.previous == two_runs[0]
    assert _rows(review)["gross"].previous == D("8300.00")
    assert not review.compare_people and review.leavers is None
