"""Flags counted and filtered in SQL (PostgreSQL jsonb and SQLite json_each give the same)."""

import random

import pytest
from django.urls import reverse

from payroll.selectors_flags import blocked_count, flag_counts
from payroll.services.runs import blocking_payslips
from tests.factories.payroll_review import (
    bulk_employees,
    flag,
    override,
    run_with_payslips,
    slip_lines,
)
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db
PAY = slip_lines(earning="1000.00", paye="100.00")


@pytest.fixture
def flagged_run(uk_schedule, people):
    """Alice: variance (open). Bob: variance (overridden) + no bank account (open).
    Carol: a non-blocking warning. Dan: no flags. Erin: no bank account, overridden."""
    return run_with_payslips(uk_schedule, 1, {
        people["Alice"]: (PAY, [flag("variance")], []),
        people["Bob"]: (PAY, [flag("variance"), flag("missing_bank_details")],
                        [override("variance")]),
        people["Carol"]: (PAY, [flag("hours_missing", blocking=False)], []),
        people["Dan"]: PAY,
        people["Erin"]: (PAY, [flag("missing_bank_details")], [override("missing_bank_details")]),
    }, status="calculated")


def test_counts_by_flag_say_how_many_are_overridden(flagged_run):
    # when the run's flags are counted
    counts = {c.code: c for c in flag_counts(flagged_run.pk)}

    # then each code has its payslips, overridden ones and whether it blocks
    assert [(c.code, c.payslips, c.overridden, c.blocking) for c in counts.values()] == [
        ("hours_missing", 1, 0, False),
        ("missing_bank_details", 2, 1, True),  # Bob open, Erin overridden
        ("variance", 2, 1, True),  # Alice open, Bob overridden
    ]
    assert counts["variance"].open == 1
    assert counts["variance"].label == "Large change"


def test_blocked_payslips_are_those_with_an_open_blocking_flag(flagged_run):
    # Alice (variance open) and Bob (bank open; his variance is overridden) block approval;
    # Carol's warning does not block, Erin's only blocking flag is overridden
    assert blocked_count(flagged_run.pk) == 2
    assert blocking_payslips(flagged_run) == 2  # what run_approve checks


def test_blocked_count_agrees_with_reading_every_flag(uk_schedule):
    # given 60 payslips with random flags and overrides
    rng = random.Random(10)
    codes = ["variance", "negative_net", "missing_bank_details", "hours_missing"]
    slips = {}
    for employee in bulk_employees(60, prefix="RF"):
        flags = [flag(c, blocking=c != "hours_missing") for c in codes if rng.random() < 0.4]
        overrides = [override(f["code"]) for f in flags if rng.random() < 0.5]
        slips[employee] = (PAY, flags, overrides)
    run = run_with_payslips(uk_schedule, 1, slips, status="calculated")

    # when counted in SQL, then it equals the count made by reading each payslip's flags
    expected = sum(any(f["blocking"] and f["code"] not in {o["code"] for o in overrides}
                       for f in flags) for _, flags, overrides in slips.values())
    assert blocked_count(run.pk) == expected
    per_code = {c.code: (c.payslips, c.overridden) for c in flag_counts(run.pk)}
    for code in codes:
        carrying = [(f, o) for _, f, o in slips.values() if any(x["code"] == code for x in f)]
        done = sum(any(x["code"] == code for x in o) for _, o in carrying)
        assert per_code.get(code, (0, 0)) == (len(carrying), done), code


def _names(response) -> list[str]:
    return sorted(p.employee.legal_first_name for p in response.context["payslips"])


def test_run_page_filters_by_flag_code_blocked_or_any_flag(client, flagged_run, payroll_admin):
    login(client, payroll_admin)
    url = reverse("payroll:run_detail", args=[flagged_run.pk])

    # one flag code
    assert _names(client.get(url, {"flag": "variance"})) == ["Alice", "Bob"]
    assert _names(client.get(url, {"flag": "missing_bank_details"})) == ["Bob", "Erin"]
    # only what still blocks approval
    assert _names(client.get(url, {"blocked": "1"})) == ["Alice", "Bob"]
    # any flag at all (the old "flagged only" link keeps working)
    assert _names(client.get(url, {"flagged": "1"})) == ["Alice", "Bob", "Carol", "Erin"]
    # a code nobody has: an empty list that says so
    response = client.get(url, {"flag": "negative_net"})
    assert _names(response) == [] and "No payslips match this filter." in response.text
    # the page lists the counts with a link to each filter
    body = client.get(url).text
    assert '?flag=missing_bank_details"' in body and "1 overridden" in body


def test_a_malformed_flag_code_is_a_400_not_a_500(client, flagged_run, payroll_admin):
    login(client, payroll_admin)
    url = reverse("payroll:run_detail", args=[flagged_run.pk])
    assert client.get(url, {"flag": "x' OR 1=1 --"}).status_code == 400
    assert client.get(url, {"flag": "a" * 41}).status_code == 400


def test_pages_of_a_filtered_list_keep_the_filter(client, uk_schedule, payroll_admin):
    # given 150 payslips with a variance flag and 10 without
    employees = bulk_employees(160, prefix="PG")
    run = run_with_payslips(uk_schedule, 1, {
        e: (PAY, [flag("variance")] if i < 150 else [], []) for i, e in enumerate(employees)
    }, status="calculated")
    login(client, payroll_admin)
    url = reverse("payroll:run_detail", args=[run.pk])

    # when the flagged list is shown, 100 a page
    first = client.get(url, {"flag": "variance"})

    # then page 2 has the other 50, and the "Next" link carries the filter
    assert len(first.context["payslips"]) == 100
    assert "?page=2&amp;flag=variance" in first.text
    second = client.get(url, {"flag": "variance", "page": "2"})
    assert len(second.context["payslips"]) == 50
