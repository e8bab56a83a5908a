# ruff: noqa: F811 (test_gpg.py's fixtures, imported, are the arguments)
"""The stored gender pay gap figures (analytics.gpg_store) equal the live computation, go stale
when a pay run of the period is finalised after them, and are recomputed by "Recalculate" (a
delivery item) and the nightly job. Plus the official guidance's own examples.

The dataset is test_gpg.py's company (its docstring has the hand-computed figures).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from analytics.gpg import pay_gap_report
from analytics.gpg_data import snapshot_date
from analytics.gpg_store import (
    figures_to_json,
    pay_gap_refresh_due,
    pay_gap_report_stored,
    pay_gap_store,
    stale_since,
)
from analytics.models import PayGapResult
from delivery.models import DeliveryItem
from payroll.models import PayRun, UnpaidLeave
from tests.analytics.test_gpg import company, gb  # noqa: F401 (fixtures)
from tests.factories import UserFactory
from tests.factories.gender_pay import paid_period, salary

pytestmark = pytest.mark.django_db
D = Decimal


def test_stored_figures_equal_the_live_computation(company):
    # given: nothing stored yet
    assert not PayGapResult.objects.exists()
    # when: the page's reader asks (it computes and stores the first time)
    stored = pay_gap_report_stored(2026, with_state=True)
    # then: the stored figures are the live ones (test_gpg's hand-computed 12.3 / 70.0 ...)
    live = pay_gap_report(2026)
    assert figures_to_json(stored.report.figures) | {"excluded": stored.excluded} == \
        figures_to_json(live.figures)
    assert (stored.report.figures.mean_gap, stored.report.figures.mean_bonus_gap) == (
        D("12.3"), D("70.0"))
    assert stored.stale_since is None
    assert PayGapResult.objects.count() == 1


def test_a_run_finalised_in_the_period_makes_them_stale_until_recalculated(company):
    # given: stored figures
    result = pay_gap_store(2026)
    assert stale_since(result) is None
    # when: another April run is finalised afterwards (an off-cycle bonus of 2,400 for W1)
    run = paid_period({company["w1"]: [salary("2400.00", "BONUS")]},
                      start=date(2026, 4, 1), end=date(2026, 4, 30), pay_date=date(2026, 4, 3),
                      kind=PayRun.Kind.OFF_CYCLE)
    PayRun.objects.filter(pk=run.pk).update(finalised_at=timezone.now())
    # then: stale; the stored figures are unchanged until recomputed
    assert stale_since(PayGapResult.objects.get()) is not None
    assert pay_gap_report_stored(2026).figures.women_bonus_percent == D("33.3")
    # when: the nightly job runs
    assert pay_gap_refresh_due(date(2026, 12, 1)) == 1
    # then: W1's bonus counts: women with a bonus 2 of 3 = 66.7%; nothing stale any more
    assert pay_gap_report_stored(2026).figures.women_bonus_percent == D("66.7")
    assert stale_since(PayGapResult.objects.get()) is None


def test_a_run_outside_the_period_and_the_bonus_year_changes_nothing(company):
    result = pay_gap_store(2026)
    run = paid_period({company["w1"]: [salary("1500.00")]}, start=date(2026, 5, 1),
                      end=date(2026, 5, 31))
    PayRun.objects.filter(pk=run.pk).update(finalised_at=timezone.now())
    assert stale_since(result) is None


def test_recalculate_is_a_delivery_item_and_replaces_the_figures(
        company, client, django_capture_on_commit_callbacks):
    # given: stored figures, then W2's unpaid leave is withdrawn (no timestamp: not "stale")
    pay_gap_store(2026)
    UnpaidLeave.objects.filter(employee=company["w2"]).delete()
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    assert client.get("/analytics/gender-pay-gap/", {"year": "2026"}).context[
        "f"].full_pay_women == 2
    # when: "Recalculate" (run by the eager worker after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/analytics/gender-pay-gap/recalculate/",
                               {"year": "2026", "sector": "private", "employer": ""})
    # then: one durable item, done; W2 (1,000 x 7 / 30 / 37.5 = 6.2222) now counts
    assert response.status_code == 302
    item = DeliveryItem.objects.get(kind="analytics.pay_gap_refresh")
    assert item.status == DeliveryItem.Status.DONE
    page = client.get("/analytics/gender-pay-gap/", {"year": "2026"})
    assert page.context["f"].full_pay_women == 3
    # women's mean (15.5556 + 6.2222 + 15) / 3 = 12.2593; men's 17.4180:
    # (17.4180 - 12.2593) / 17.4180 = 29.6..% (exact fractions: 29.6)
    assert page.context["f"].mean_gap == D("29.6")


def test_employees_and_managers_cannot_recalculate(company, client):
    client.force_login(UserFactory(roles=[Role.MANAGER]))
    assert client.post("/analytics/gender-pay-gap/recalculate/", {"year": "2026"}
                       ).status_code == 403
    assert not DeliveryItem.objects.filter(kind="analytics.pay_gap_refresh").exists()


# GOV.UK "Gender pay gap reporting: preparing your data" (statutory guidance,
# https://www.gov.uk/guidance/the-gender-pay-gap-data-you-must-gather, updated 9 January 2024),
# "Which pay period to use", its example: "You are a private limited company, so your snapshot
# date is 5 April. You pay your employees monthly, on the 1st of every month. The pay period to
# use for your gender pay gap data is 1 April to 30 April."
def test_guidance_example_monthly_pay_on_the_first_uses_1_to_30_april(gb):
    # given: one man and one woman paid monthly on the 1st; March's period paid 1 March and
    # April's paid 1 April (different amounts, so the figures show which period was used)
    man, woman = gb("man", "37.5"), gb("woman", "37.5")
    paid_period({man: [salary("3000.00")], woman: [salary("3000.00")]},
                start=date(2026, 3, 1), end=date(2026, 3, 31), pay_date=date(2026, 3, 1))
    paid_period({man: [salary("3000.00")], woman: [salary("2400.00")]},
                start=date(2026, 4, 1), end=date(2026, 4, 30), pay_date=date(2026, 4, 1))
    # when
    report = pay_gap_report(2026, "private")
    # then: the snapshot is 5 April and the April period (30 days) is the one used:
    # man 3,000 x 7 / 30 / 37.5 = 18.6667, woman 2,400 x 7 / 30 / 37.5 = 14.9333;
    # gap (18.6667 - 14.9333) / 18.6667 = 20.0% (March's equal pay would give 0.0)
    assert report.snapshot == snapshot_date(2026, "private") == date(2026, 4, 5)
    assert {row.person.period_days for row in report.figures.rows} == {30}
    assert report.figures.mean_gap == D("20.0")
    # and public authorities' snapshot is 31 March (same guidance, "Which pay period to use")
    assert snapshot_date(2026, "public") == date(2026, 3, 31)


# The same guidance, step 1 ("Full-pay relevant employees"): an employee on leave who is paid
# less than usual because of it in the pay period (unpaid leave) is not a full-pay relevant
# employee, but is still a relevant employee, so counts in the bonus figures; someone on fully
# paid leave (nothing unpaid recorded) stays a full-pay relevant employee.
def test_guidance_full_pay_relevant_employees(gb):
    full, unpaid = gb("woman", "37.5"), gb("woman", "37.5")
    man = gb("man", "37.5")
    UnpaidLeave.objects.create(employee=unpaid, first_day=date(2026, 4, 13),
                               last_day=date(2026, 4, 14))
    paid_period({full: [salary("3000.00")], unpaid: [salary("2800.00")],
                 man: [salary("3000.00")]}, start=date(2026, 4, 1), end=date(2026, 4, 30))
    paid_period({unpaid: [salary("500.00", "BONUS")]}, start=date(2026, 1, 1),
                end=date(2026, 1, 31))
    f = pay_gap_report(2026).figures
    assert (f.women, f.full_pay_women) == (2, 1)  # both relevant, one full-pay
    assert f.women_bonus_percent == D("50.0")  # the one on unpaid leave had a bonus: 1 of 2
    assert f.mean_gap == D("0.0")  # the full-pay woman and the man: same hourly rate
