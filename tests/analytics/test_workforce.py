"""Workforce metrics on the hand-computed company (tests/analytics/conftest.py).

Month-end headcount (last working day counts as employed):
  Mar 2025 3 (A D G) · Apr 3 · May 3 · Jun 4 (+B) · Jul-Oct 4 · Nov 5 (+C) · Dec 6 (+H)
  Jan 2026 5 (B's last day 31 Jan counts; H gone) · Feb 4 (D gone, +E) · 15 Mar 4 (A C E G)
Turnover = leavers ÷ ((previous month-end + month-end) ÷ 2) x 100, half up to 0.1:
  Jan 2 ÷ 5.5 = 36.4 · Feb 1 ÷ 4.5 = 22.2 · Dec 0 ÷ 5.5 = 0.0
Trailing 12 months (Apr 2025-Mar 2026): 3 leavers ÷ mean(3, 3, 3.5, 4, 4, 4, 4, 4.5, 5.5,
  5.5, 4.5, 4) = 3 ÷ 4.125 = 72.7.
"""

from datetime import date
from decimal import Decimal

from analytics.filters import department_and_below
from analytics.metrics import Filters
from analytics.reports import workforce_report
from tests.analytics.conftest import AS_OF


def _report(filters=None, months=12):
    return workforce_report(filters=filters or Filters(), as_of=AS_OF, months=months)


def test_headcount_and_fte_on_the_as_of_date(company):
    # when
    report = _report()
    # then: A, C (0.5), E, G
    assert report.headcount == 4
    assert report.fte == Decimal("3.500")


def test_monthly_trend_hires_leavers_and_turnover(company):
    # when
    trend = {r.month.month: r for r in _report().trend}
    # then
    assert [trend[date(2025, m, 1)].month.headcount for m in (4, 5, 6, 10, 11, 12)] == [
        3, 3, 4, 4, 5, 6]
    jan, feb, mar = trend[date(2026, 1, 1)], trend[date(2026, 2, 1)], trend[date(2026, 3, 1)]
    assert (jan.month.headcount, feb.month.headcount, mar.month.headcount) == (5, 4, 4)
    assert (trend[date(2025, 12, 1)].month.hires, feb.month.hires, mar.month.hires) == (1, 1, 0)
    assert jan.month.leavers == {"voluntary": 1, "involuntary": 1, "other": 0}
    assert feb.month.leavers == {"voluntary": 0, "involuntary": 1, "other": 0}  # end of contract
    assert jan.month.turnover == Decimal("36.4")
    assert feb.month.turnover == Decimal("22.2")
    assert jan.month.turnover_of("voluntary") == Decimal("18.2")
    assert trend[date(2025, 12, 1)].month.turnover == Decimal("0.0")
    assert mar.trailing == Decimal("72.7")
    assert len(trend) == 12


def test_department_filter_includes_sub_departments_and_follows_moves(company):
    # given: Engineering includes Platform; C moves from Sales to Engineering on 1 Feb
    filters = Filters(department_ids=department_and_below(company.eng))
    # when
    report = _report(filters)
    trend = {r.month.month: r.month for r in report.trend}
    # then: 31 Jan A B (Platform) = 2 (H left 15 Jan); 15 Mar A C E = 3
    assert trend[date(2026, 1, 1)].headcount == 2
    assert trend[date(2026, 1, 1)].leavers_total == 2  # B (Platform) and H
    assert trend[date(2026, 2, 1)].leavers_total == 0  # D left from Sales
    assert report.headcount == 3


def test_country_location_and_type_filters(company):
    assert _report(Filters(country="US")).headcount == 1  # C in New York
    assert _report(Filters(location_id=company.london.pk)).headcount == 3
    assert _report(Filters(employment_type="part_time")).headcount == 1


def test_manager_subtree_scope(company):
    # given: A's reports are B C D E (F has no manager)
    p = company.people
    filters = Filters(employee_ids=frozenset({p.b.pk, p.c.pk, p.d.pk, p.e.pk}))
    # when
    report = _report(filters)
    # then: live computation over those people only
    assert report.source == "live"
    assert report.headcount == 2  # C, E
    assert {r.month.month: r.month.leavers_total for r in report.trend}[date(2026, 1, 1)] == 1


def test_tenure_distribution(company):
    # A 6 completed years, G 10 (1 May 2015 -> 15 Mar 2026), C and E under 1
    assert _report().tenure == {"< 1 year": 2, "1–2 years": 0, "2–5 years": 0,
                                "5–10 years": 1, "10+ years": 1}


def test_span_of_control(company):
    # A manages C and E on 15 Mar (B and D have left)
    span = _report().span
    assert (span.managers, span.average, span.median) == (1, Decimal("2.0"), Decimal("2.0"))
    assert span.bands["1–3"] == 1


def test_new_hire_retention(company):
    # 90 days: hired 16 Dec 2024 - 15 Dec 2025 = B C H; H gone before day 90 -> 2/3
    # 1 year: hired 16 Mar 2024 - 15 Mar 2025 = D; still there a year after -> 1/1
    report = _report()
    assert (report.retention_90.cohort, report.retention_90.retained) == (3, 2)
    assert report.retention_90.rate == Decimal("66.7")
    assert (report.retention_365.cohort, report.retention_365.rate) == (1, Decimal("100.0"))


def test_upcoming_starts_leaves_and_contract_ends(company):
    p = company.people
    upcoming = _report().upcoming
    assert [s.employee_id for s in upcoming["starts"]] == [p.f.pk]
    assert [s.employee_id for s in upcoming["leaves"]] == [p.g.pk]
    assert upcoming["contract_ends"] == []


def test_plan_variance_and_open_positions(company, hr_admin):
    # given
    from analytics.services import plan_save

    plan_save(acting_user=hr_admin, department=company.eng, month=date(2026, 3, 1),
              budget_headcount=5, budget_fte=Decimal("4.50"))
    # when
    eng = _report(Filters(department_ids=department_and_below(company.eng))).trend[-1]
    everyone = _report().trend[-1]
    # then: Engineering has 3 of 5; the company 4 against the only plan recorded (5)
    assert (eng.plan_headcount, eng.variance, eng.open_positions) == (5, -2, 2)
    assert (everyone.plan_headcount, everyone.variance) == (5, -1)
    assert _report(Filters(country="GB")).trend[-1].plan_headcount is None
