"""The run summary: written once when a calculation completes, equal to the live SQL figures,
and used only while it still describes the run and what it is compared with. Corrections are
netted: the previous run's figures include its finalised corrections, and a correction run is
compared with what it corrects."""

from decimal import Decimal

import pytest

from payroll.models import PayRun, PayRunSummary
from payroll.selectors_review import compared_with, review_figures, run_review
from payroll.services.run_summary import run_summary_write
from tests.factories.payroll_review import run_with_payslips, slip_lines
from tests.payroll_runs.helpers import calculated_run, finalised_run

pytestmark = pytest.mark.django_db
D = Decimal


def _rows(review) -> dict:
    return {row.key: (row.current, row.previous) for row in review.rows}


def _correction(original: PayRun, slips: dict, *, status=PayRun.Status.FINALISED) -> PayRun:
    """A correction run of `original` paying the (new - old) lines in `slips`."""
    run = run_with_payslips(original.schedule, original.period.number, slips,
                            kind=PayRun.Kind.CORRECTION, status=status)
    PayRun.objects.filter(pk=run.pk).update(corrects=original)
    run.refresh_from_db()
    return run


def test_calculation_writes_a_summary_equal_to_the_live_figures(
        uk_schedule, uk_staff, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given period 1 finalised and period 2 calculated through the real pipeline
    capture = django_capture_on_commit_callbacks
    first = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin, capture)
    second = calculated_run(uk_schedule, 2, payroll_admin, capture)

    # when the summary the calculation wrote is read
    summary = PayRunSummary.objects.get(run=second)

    # then it describes this calculation, compared with period 1, with the live figures
    assert summary.generation == second.calc_generation
    assert summary.compared_key == f"r{first.pk}"
    assert summary.figures == review_figures(second, compared_with(second))
    assert summary.figures["totals"]["headcount"] == 2
    # and the first run's summary (no previous run) has its own totals only
    assert PayRunSummary.objects.get(run=first).figures["previous_totals"] is None


def test_a_stale_summary_is_not_used(two_runs, people):
    # given period 2's summary, then edited so that it no longer matches (a stand-in for any
    # stale row: an older generation, or a comparison that has changed)
    _, current = two_runs
    summary = run_summary_write(current)
    live = run_review(current)
    summary.figures["totals"]["net"] = "1.00"
    summary.save()
    current.refresh_from_db()
    assert run_review(current).totals.net == D("1.00")  # current: the row is read

    # when the run is recalculated (new generation)
    PayRun.objects.filter(pk=current.pk).update(calc_generation=current.calc_generation + 1)
    current.refresh_from_db()

    # then the review works the figures out live again
    assert run_review(current).totals == live.totals


def test_previous_run_is_netted_with_its_finalised_corrections(two_runs, people):
    # given period 1 and a finalised correction of it: Bob +200 gross, +150 net
    # (correction lines are new - old: earning 200, PAYE 40, NI 10, employer NI 25)
    previous, current = two_runs
    summary = run_summary_write(current)
    _correction(previous, {people["Bob"]: slip_lines(earning="200.00", paye="40.00", ni="10.00",
                                                      ni_er="25.00")})

    # when period 2 is reviewed
    review = run_review(current)

    # then the stored summary is not used (what it compares with changed) and the previous
    # figures include the correction: gross 8300 + 200, net 6845 + 150; headcount stays 4
    assert compared_with(current).key != summary.compared_key
    rows = _rows(review)
    assert rows["headcount"] == (4, 4)
    assert rows["gross"] == (D("7700.00"), D("8500.00"))
    assert rows["net"] == (D("6365.00"), D("6995.00"))
    assert review.previous_corrected
    # and Bob's change is against his corrected pay: 2200 -> 2500 gross, 1850 -> 2050 net
    bob = next(v for v in review.variances if v.employee == people["Bob"])
    assert (bob.previous_gross, bob.previous_net) == (D("2200.00"), D("1850.00"))
    assert (bob.gross_change, bob.net_change) == (D("300.00"), D("200.00"))
    # and a summary written now equals the live figures
    assert run_summary_write(current).figures == review_figures(current, compared_with(current))


def test_correction_run_is_compared_with_what_it_corrects(two_runs, people):
    # given period 1 (Bob 2000 gross / 1700 net), an earlier finalised correction of Bob
    # (+100 gross, +80 net) and a calculated correction of Bob and Erin
    previous, _ = two_runs
    _correction(previous, {people["Bob"]: slip_lines(earning="100.00", paye="20.00")})
    correction = _correction(previous, {
        people["Bob"]: slip_lines(earning="50.00", paye="10.00"),      # +50 gross, +40 net
        people["Erin"]: slip_lines(earning="-300.00", paye="-60.00"),  # -300 gross, -240 net
    }, status=PayRun.Status.CALCULATED)

    # when the correction is reviewed
    review = run_review(correction)

    # then "before" is Bob (2000 + 100 gross, 1700 + 80 net) and Erin (1800 / 1570) as paid,
    # "after" adds the differences
    assert review.is_correction and review.previous == previous
    rows = _rows(review)
    assert rows["headcount"] == (2, 2)
    assert rows["gross"] == (D("3650.00"), D("3900.00"))  # 2100 + 1800 = 3900; + 50 - 300
    assert rows["net"] == (D("3150.00"), D("3350.00"))    # 1780 + 1570 = 3350; + 40 - 240
    # and the cash needed is the correction's own differences
    assert review.totals.net == D("-200.00")
    # and the largest change first: Erin -240 net (1570 -> 1330), then Bob +40 (1780 -> 1820)
    erin, bob = review.variances
    assert erin.employee == people["Erin"] and bob.employee == people["Bob"]
    assert (erin.previous_net, erin.now_net, erin.net_change) == (D("1570.00"), D("1330.00"),
                                                                  D("-240.00"))
    assert (bob.previous_gross, bob.now_gross) == (D("2100.00"), D("2150.00"))
    assert review.pay_changed == 2 and review.joiners is None


def test_correction_review_page_says_before_and_after(client, two_runs, people, payroll_admin):
    from django.urls import reverse

    from tests.payroll_runs.helpers import login

    # given a calculated correction of period 1
    previous, _ = two_runs
    correction = _correction(previous, {people["Bob"]: slip_lines(earning="50.00")},
                             status=PayRun.Status.CALCULATED)
    login(client, payroll_admin)

    # when its review page is opened
    html = client.get(reverse("payroll:run_review", args=[correction.pk])).content.decode()

    # then it is compared with the run it corrects, before and after
    assert "Compared with the run it corrects" in html
    assert "After the correction" in html and "Before" in html


def test_a_summary_that_cannot_be_written_leaves_the_run_calculated(
        uk_schedule, uk_staff, payroll_admin, django_capture_on_commit_callbacks, monkeypatch):
    # given the summary's SQL fails (a stand-in for any database error while writing it)
    from django.db import DatabaseError

    def broken(run):
        raise DatabaseError("summary failed")

    monkeypatch.setattr("payroll.services.runs.run_summary_write", broken)

    # when a run is calculated
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)

    # then it is calculated, without a summary, and its review is worked out live
    assert not PayRunSummary.objects.filter(run=run).exists()
    assert run_review(run).totals.headcount == 2
