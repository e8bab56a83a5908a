"""The run page, its flagged views and the review cost the same number of queries at 20 and at
200 payslips: every total is a SQL aggregate and every list is one LIMITed query."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.payroll_review import (
    bulk_employees,
    flag,
    override,
    run_with_payslips,
    slip_lines,
)
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db


def _two_runs(schedule, n: int, prefix: str):
    """Previous (finalised) and current (calculated) runs of n payslips each: a tenth join, a
    tenth leave, a fifth get a rise, every seventh is flagged (some overridden)."""
    people = bulk_employees(n + n // 10, prefix=prefix)
    before, now = {}, {}
    for i, employee in enumerate(people):
        pay = Decimal(2000 + i)
        if i < n:
            before[employee] = slip_lines(earning=f"{pay}.00", paye="200.00", ni="80.00",
                                          ni_er="95.00", pension="50.00", pension_er="30.00")
        if i >= n // 10:
            rise = Decimal(100) if i % 5 == 0 else Decimal(0)
            lines = slip_lines(earning=f"{pay + rise}.00", paye="210.00", ni="80.00",
                               ni_er="95.00", loan="12.00")
            flags = [flag("variance")] if i % 7 == 0 else []
            now[employee] = (lines, flags, [override("variance")] if i % 14 == 0 else [])
    previous = run_with_payslips(schedule, 1, before)
    current = run_with_payslips(schedule, 2, now, status="calculated")
    return previous, current


def _other_schedule(user):
    from datetime import date

    from payroll.services.periods import periods_generate
    from tests.factories.payroll_runs import UKMonthlyScheduleFactory

    schedule = UKMonthlyScheduleFactory(name="UK monthly (large)")
    periods_generate(schedule=schedule, until=date(2025, 8, 31), acting_user=user)
    return schedule


def _pages(run) -> dict[str, str]:
    detail = reverse("payroll:run_detail", args=[run.pk])
    return {"run page": detail, "flagged": f"{detail}?flagged=1",
            "one flag": f"{detail}?flag=variance", "blocked": f"{detail}?blocked=1",
            "review": reverse("payroll:run_review", args=[run.pk])}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_headcount(client, uk_schedule, payroll_admin):
    # given two runs of 20 payslips, measured
    login(client, payroll_admin)
    _, small = _two_runs(uk_schedule, 20, "SM")
    client.get(_pages(small)["run page"])  # the first request warms per-session caches
    small_counts = {name: _queries(client, url) for name, url in _pages(small).items()}
    # when the same pages are requested for two runs of 200 (on another schedule)
    _, large = _two_runs(_other_schedule(payroll_admin), 200, "LG")
    large_counts = {name: _queries(client, url) for name, url in _pages(large).items()}
    # then every page costs the same number of queries
    assert large_counts == small_counts


def test_run_page_query_budget(client, uk_schedule, payroll_admin,
                               django_assert_max_num_queries):
    _, run = _two_runs(uk_schedule, 50, "QB")
    login(client, payroll_admin)
    client.get(_pages(run)["run page"])
    # session, user, groups, MFA check, run (with its schedule, period and users), totals,
    # counts by flag, blocked count, paginator count, one page of payslips with employees, the
    # viewer's own employee record (menu), session save (savepoint, update, release)
    for name in ("run page", "one flag"):
        with django_assert_max_num_queries(14):
            assert client.get(_pages(run)[name]).status_code == 200, name


def test_review_query_budget(client, uk_schedule, payroll_admin, django_assert_max_num_queries):
    _, run = _two_runs(uk_schedule, 50, "RB")
    login(client, payroll_admin)
    client.get(_pages(run)["review"])
    # session, user, groups, MFA check, run, previous run, payslip totals, employer line
    # totals, joiners, leavers, pay changes (count and largest), blocked count, the viewer's own
    # employee record (menu), session save (savepoint, update, release)
    with django_assert_max_num_queries(16):
        assert client.get(_pages(run)["review"]).status_code == 200


def test_review_at_scale_still_adds_up(uk_schedule):
    # given 200 payslips now against 200 before: 20 join, 20 leave (conftest-free arithmetic)
    from payroll.selectors_review import run_review

    _, current = _two_runs(uk_schedule, 200, "AU")

    # when reviewed
    review = run_review(current)

    # then: people 20..219 are paid now, 0..199 before
    assert (review.joiners.total, review.leavers.total) == (20, 20)
    assert len(review.joiners.shown) == 10 and review.joiners.more == 10  # 10 are listed
    # rises for i % 5 == 0 among 20..199 (36 people); everyone else's net moved by the loan
    # and tax changes, so all 180 people paid in both have a different pay
    assert review.pay_changed == 180
    gross_now = sum(Decimal(2000 + i) + (100 if i % 5 == 0 else 0) for i in range(20, 220))
    assert review.totals.gross == gross_now
    # net = gross - PAYE 210 - NI 80 - loan 12 per person
    assert review.totals.net == gross_now - 200 * Decimal(302)


def test_with_summaries_query_counts_do_not_grow_with_headcount(client, uk_schedule,
                                                                 payroll_admin):
    # given two runs of 20 payslips whose calculation summary is written (as _finish does)
    from payroll.services.run_summary import run_summary_write

    login(client, payroll_admin)
    _, small = _two_runs(uk_schedule, 20, "SS")
    run_summary_write(small)
    client.get(_pages(small)["run page"])
    small_counts = {name: _queries(client, url) for name, url in _pages(small).items()}
    # when the same pages are requested for runs of 200 with their summary
    _, large = _two_runs(_other_schedule(payroll_admin), 200, "LS")
    run_summary_write(large)
    large_counts = {name: _queries(client, url) for name, url in _pages(large).items()}
    # then every page costs the same number of queries, and the summary saves the totals
    # and count queries of the run page and the review's six aggregates
    assert large_counts == small_counts
    assert small_counts["run page"] <= 12
    assert small_counts["review"] <= 13
