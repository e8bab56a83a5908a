from datetime import date

import pytest

from payroll.services.periods import periods_generate
from payroll.services.runs import payslip_flag_override, run_approve, run_finalise
from tests.factories.payroll_runs import UKMonthlyScheduleFactory
from tests.payroll_runs.helpers import calculated_run
from tests.payroll_statutory import provider


@pytest.fixture(autouse=True)
def absences(settings):
    """The fake provider, empty: tests add to provider.ABSENCES / provider.WEEKS."""
    settings.HROPS_ABSENCE_PROVIDER = "tests.payroll_statutory.provider.FakeAbsenceProvider"
    provider.reset()
    yield provider
    provider.reset()


@pytest.fixture
def months(db, payroll_admin):
    """UK monthly, calendar months, paid on the last day (Aug 2026 .. Jan 2027 generated)."""
    schedule = UKMonthlyScheduleFactory(name="UK monthly (statutory)",
                                        first_period_start=date(2026, 4, 1))
    periods_generate(schedule=schedule, until=date(2027, 1, 31), acting_user=payroll_admin)
    return schedule


@pytest.fixture
def month_run(months, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    """month_run(year, month, finalise=False) -> the regular run of that calendar month."""
    def _run(year: int, month: int, *, finalise: bool = False):
        number = months.periods.get(start_date=date(year, month, 1)).number
        run = calculated_run(months, number, payroll_admin, django_capture_on_commit_callbacks)
        if not finalise:
            return run
        # Statutory pay moves net pay past the variance threshold: the reviewer accepts it.
        for payslip in run.payslips.all():
            if any(f["code"] == "variance" for f in payslip.flags):
                payslip_flag_override(payslip=payslip, code="variance",
                                      acting_user=payroll_admin, comment="Expected: SSP.")
        run_approve(run=run, acting_user=second_payroll_admin)
        run_finalise(run=run, acting_user=second_payroll_admin)
        run.refresh_from_db()
        return run
    return _run


@pytest.fixture
def login(client):
    """Sign a user in (with the authenticator staff roles require)."""
    from tests.payroll_runs.helpers import login as force_login

    def _login(user):
        force_login(client, user)
        return client
    return _login
