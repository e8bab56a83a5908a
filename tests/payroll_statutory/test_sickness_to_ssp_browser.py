"""End to end in a real browser: a sickness of 10 days recorded in time off flows into the next
pay run as SSP (issue 14, "Done means").

HR records the sickness on the person's Time off tab (timeoff's own page and service); the time-off
app's provider (timeoff.payroll_feed) tells payroll; the Payroll Admin calculates November and
the payslip shows the SSP line and the reason. Hand-computed (payroll/engine/statutory): monthly
pay 2,000.00, pay days Fri 28 Aug (31 Aug 2026 is a bank holiday) and Fri 30 Oct: relevant
period 29 Aug - 30 Oct = 2 months, AWE = 4,000 / 2 x 12 / 52 = 461.54, 80% = 369.23 > 123.25:
the flat rate; Monday to Friday (no pattern recorded): 123.25 / 5 = 24.65 a day; sick Mon 2 -
Wed 11 Nov 2026 (10 calendar days, 8 qualifying days), no waiting days: 8 x 24.65 = 197.20,
paid in addition to the salary.
"""

from datetime import date

import pytest

from accounts.roles import Role
from payroll.models import Payslip
from payroll.services.periods import periods_generate
from payroll.services.runs import run_approve, run_create, run_finalise
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp
from tests.payroll_runs.helpers import calculated_run
from timeoff.models import Category, LeaveRequest, LeaveType


@pytest.fixture(autouse=True)
def _time_off_provider(settings, tmp_path):
    """The real time-off provider (not this folder's fake), and throwaway file storage."""
    settings.HROPS_ABSENCE_PROVIDER = "timeoff.payroll_feed.TimeOffAbsenceProvider"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


def _amount(page, description: str) -> str:
    row = page.locator("tbody tr", has=page.locator(f"td:text-is('{description}')"))
    return row.locator("td").nth(4).inner_text().strip()


@pytest.mark.browser
def test_a_sickness_of_10_days_in_time_off_flows_into_the_next_pay_run_as_ssp(
        page, password, hr_admin, django_capture_on_commit_callbacks):
    # given a UK monthly schedule with August to October 2026 finalised at 2,000.00 a month
    calculator = UserFactory(email="calc.ssp@example.test", roles=[Role.PAYROLL_ADMIN])
    approver = UserFactory(email="approve.ssp@example.test", roles=[Role.PAYROLL_ADMIN])
    secrets = {user: enrol_totp(user) for user in (calculator, hr_admin)}
    # a transactional test starts from a flushed database: the standard sickness type
    LeaveType.objects.get_or_create(name="Sickness", defaults={
        "category": Category.SICK, "tracks_balance": False})
    schedule = UKMonthlyScheduleFactory(name="UK monthly (SSP e2e)",
                                        first_period_start=date(2026, 4, 1))
    periods_generate(schedule=schedule, until=date(2026, 12, 31), acting_user=calculator)
    employee = paid_employee(schedule, salary="24000.00", hire=date(2024, 1, 8),
                             legal_first_name="Sam", legal_last_name="Sick")
    for month in (8, 9, 10):
        number = schedule.periods.get(start_date=date(2026, month, 1)).number
        run = calculated_run(schedule, number, calculator, django_capture_on_commit_callbacks)
        run_approve(run=run, acting_user=approver)
        run_finalise(run=run, acting_user=approver)

    # when HR records the sickness on the person's Time off tab
    login(page, hr_admin.email, password, totp_secret=secrets[hr_admin])
    page.goto(f"/timeoff/employees/{employee.pk}/sickness/")
    page.fill("input[name=first_day]", "2026-11-02")
    page.fill("input[name=last_day]", "2026-11-11")
    page.click("button:has-text('Record')")
    page.wait_for_load_state("networkidle")
    sickness = LeaveRequest.objects.get(employee=employee)
    assert (sickness.first_day, sickness.last_day, sickness.status) == (
        date(2026, 11, 2), date(2026, 11, 11), LeaveRequest.Status.APPROVED)
    _sign_out(page)

    # and the Payroll Admin calculates November on the run page
    november = run_create(schedule=schedule, acting_user=calculator,
                          period=schedule.periods.get(start_date=date(2026, 11, 1)))
    login(page, calculator.email, password, totp_secret=secrets[calculator])
    page.goto(f"/payroll/runs/{november.pk}/")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Review and approve")

    # then the payslip pays SSP for the 8 qualifying days from the first day, with the salary
    payslip = Payslip.objects.get(run=november, employee=employee)
    page.goto(f"/payroll/runs/{november.pk}/payslips/{payslip.pk}/")
    assert _amount(page, "SSP 2 \u2013 11 Nov (8 days)") == "197.20"
    assert _amount(page, "Salary") == "2,000.00"
    facts = page.locator("dl.facts").first.inner_text()
    assert "GBP 2,197.20" in facts and "SSP" in facts
    line = payslip.lines.get(code="SSP")
    assert line.trace["inputs"]["awe"] == "461.5384615"
    # the variance review gives the reason
    assert "ssp" in payslip.reasons
