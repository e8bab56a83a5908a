"""The monthly snapshot (pre-aggregate) equals the live computation, for every filter."""

import pytest

from analytics.facts import stints_load
from analytics.filters import department_and_below
from analytics.metrics import Filters, live_months, months_back
from analytics.reports import workforce_report
from analytics.snapshot import SNAPSHOT_MONTHS, snapshot_months, snapshot_refresh
from tests.analytics.conftest import AS_OF


def _as_tuples(series):
    return [(m.month, m.headcount, m.fte, m.hires, m.leavers, m.opening) for m in series]


def test_snapshot_equals_live_for_every_filter(company):
    # given
    snapshot_refresh(as_of=AS_OF)
    months = months_back(AS_OF, SNAPSHOT_MONTHS - 1)
    stints = stints_load()
    for filters in (Filters(), Filters(department_ids=department_and_below(company.eng)),
                    Filters(department_ids=frozenset({company.sales.pk})),
                    Filters(country="US"), Filters(location_id=company.london.pk),
                    Filters(employment_type="contractor")):
        # when / then
        assert _as_tuples(snapshot_months(months, filters)) == _as_tuples(
            live_months(stints, months, filters, AS_OF)), filters


def test_refresh_is_idempotent_and_the_report_reads_it(company):
    # given
    first = snapshot_refresh(as_of=AS_OF)
    second = snapshot_refresh(as_of=AS_OF)
    # when
    report = workforce_report(filters=Filters(), as_of=AS_OF, months=12)
    # then
    assert first.rows == second.rows
    assert report.source == "snapshot"
    assert report.trend[-1].trailing is not None
    assert [r.month.headcount for r in report.trend][-3:] == [5, 4, 4]


@pytest.mark.parametrize("mirror", [False, True])
def test_sql_as_of_figures_equal_the_python_definitions(company, monkeypatch, mirror):
    # the page's SQL aggregates (analytics.asof) against analytics.metrics, on several days;
    # `mirror`: "today" is each day in turn, read from the employee rows' current job
    from datetime import date

    from analytics import metrics
    from analytics.asof import as_of_figures, retention_figures

    stints = stints_load()
    for day in (date(2025, 12, 31), date(2026, 1, 31), AS_OF):
        if mirror and day != AS_OF:
            continue  # the rows mirror one day only: the company's "today"
        if not mirror:
            monkeypatch.setattr("analytics.reports.report_today", lambda: date(2000, 1, 1))
        for filters in (Filters(), Filters(department_ids=department_and_below(company.eng)),
                        Filters(country="US"), Filters(employment_type="full_time")):
            figures = as_of_figures(day, filters)
            people = metrics.people_on(stints, day, filters)
            assert (figures.headcount, figures.fte) == metrics.headcount_on(stints, day, filters)
            assert figures.tenure == metrics.tenure_distribution(people, day)
            assert figures.span.managers == len({j.manager_id for _, j in people
                                                 if j.manager_id and any(
                                                     s.employee_id == j.manager_id
                                                     and s.employed_on(day) for s in stints)})
            r90, r365 = retention_figures(day, filters)
            assert (r90.cohort, r90.retained) == (
                metrics.retention(stints, day, 90, filters).cohort,
                metrics.retention(stints, day, 90, filters).retained)
            assert r365.cohort == metrics.retention(stints, day, 365, filters).cohort
