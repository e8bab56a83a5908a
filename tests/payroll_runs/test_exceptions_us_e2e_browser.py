"""End to end in a real browser, the US variant of issue 10's pay month: a biweekly run with a
pay rise back-dated into the finalised first paycheck (arrears, supplemental wages at the
schedule's optional flat rate) and a person without a bank account; calculated, flags accepted,
reviewed, approved by a second Payroll Admin, finalised; the NACHA file downloads without the
unbanked person, who is listed on the delivery page.

The schedule is US biweekly from Sat 27 December 2025 (USBiweeklyScheduleFactory): paycheck 1
covers 27 Dec - 9 Jan 2026, paid Fri 9 January; paycheck 2 covers 10 - 23 January, paid Fri 23
January. Every figure is worked by hand from IRS Pub 15-T (2026) Worksheet 1A (annual
percentage method, Single, 2020+ Form W-4, no adjustments: standard amount 8,600; 10% above
7,500, 12% above 19,900 (1,240.00 at that top); to the cent, half up), Pub 15 section 7
(supplemental wages at the optional flat rate, 22%) and FICA (Social Security 6.2%, Medicare
1.45%, employee and employer, per paycheck to the cent):
- Dee, 52,000 a year: 2,000.00 a paycheck; 52,000 - 8,600 = 43,400: 1,240 + 12% x 23,500 =
  4,060 / 26 = 156.15; SS 124.00, Medicare 29.00; net 1,690.85.
- Eli, 39,000 a year, no bank account: 1,500.00; 39,000 - 8,600 = 30,400: 1,240 + 12% x 10,500
  = 2,500 / 26 = 96.15; SS 93.00, Medicare 21.75; net 1,289.10 (both paychecks).
- Dee's rise to 57,200 effective 27 December 2025 is entered after paycheck 1: paycheck 2 pays
  2,200.00 and arrears of 2,200.00 - 2,000.00 = 200.00 for paycheck 1. FIT on the regular
  2,200.00: 57,200 - 8,600 = 48,600: 1,240 + 12% x 28,700 = 4,684 / 26 = 180.15; on the
  200.00 of arrears 22% = 44.00; 224.15 in all. SS 6.2% x 2,400 = 148.80, Medicare 34.80; net
  2,400.00 - 224.15 - 148.80 - 34.80 = 1,992.25.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from employees.services.changes import compensation_change
from employees.services.core import PayData
from payroll.models import PayRun, Payslip
from payroll.services.periods import periods_generate
from payroll.services.runs import run_create
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.employees_records import US_ROUTING
from tests.factories.payroll_runs import USBiweeklyScheduleFactory, paid_employee
from tests.mfa import enrol_totp
from tests.payroll_runs.test_exceptions_e2e_browser import (
    _amount,
    _figure,
    _finalise,
    _override_flags,
    _sign_out,
)

D = Decimal


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Finalising renders payslip PDFs: into a throwaway storage; and the payer's ACH details
    for the NACHA file (the originating bank and company id)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    settings.PAYROLL_ACH_COMPANY_ID = "1123456789"
    settings.PAYROLL_ACH_ODFI_ROUTING = "021000021"
    settings.PAYROLL_ACH_DESTINATION_ROUTING = "021000021"
    settings.PAYROLL_ACH_DESTINATION_NAME = "TEST BANK"
    settings.PAYROLL_ACH_ORIGIN_NAME = "HROPS US PAYROLL"


def _paycheck_one_and_rise(schedule, calculator, approver, hr_admin, capture):
    """Dee and Eli paid for paycheck 1 (Eli by cheque), then Dee's back-dated rise; paycheck 2's
    run created. Returns (Dee, Eli, the run)."""
    dee = paid_employee(schedule, salary="52000.00", legal_first_name="Dee",
                        legal_last_name="Deposit")
    eli = paid_employee(schedule, salary="39000.00", bank=False, legal_first_name="Eli",
                        legal_last_name="Cheque")
    first = run_create(schedule=schedule, period=schedule.periods.get(number=1),
                       acting_user=calculator)
    _finalise(first, calculator, approver, capture)
    assert {p.employee_id: p.net for p in first.payslips.all()} == {
        dee.pk: D("1690.85"), eli.pk: D("1289.10")}
    compensation_change(
        acting_user=hr_admin, employee=dee, effective_date=date(2025, 12, 27),
        reason="merit_increase", pay=PayData(basis="salary", currency="USD",
                                             pay_schedule=schedule,
                                             annual_salary=D("57200.00"), hourly_rate=None))
    second = run_create(schedule=schedule, period=schedule.periods.get(number=2),
                        acting_user=calculator)
    return dee, eli, second


def _check_review(page) -> None:
    """Headcount 2; gross 2,400.00 + 1,500.00 = 3,900.00; net 1,992.25 + 1,289.10 = 3,281.35;
    employee taxes 407.75 + 210.90 = 618.65; employer taxes (SS + Medicare) 183.60 + 114.75 =
    298.35; cash needed 3,281.35 + 618.65 + 298.35 = 4,198.35 = the employer cost."""
    assert _figure(page, "headcount") == "2"
    assert _figure(page, "gross") == "3,900.00"
    assert _figure(page, "net") == "3,281.35"
    assert _figure(page, "employee_tax") == "618.65"
    assert _figure(page, "employer_tax") == "298.35"
    assert page.locator("[data-figure=cash_needed]").inner_text() == "4,198.35 USD"
    variances = page.locator("section[aria-labelledby=review-variances]")
    assert "Retro pay" in variances.locator("tbody tr").filter(
        has_text="Dee Deposit").inner_text()


def _download_nacha(page) -> list[str]:
    """The NACHA file's entry detail records (type 6), checking the batch control totals."""
    with page.expect_download() as download_info:
        page.click("text=Payment file: NACHA")
    with open(download_info.value.path(), encoding="ascii") as handle:
        records = handle.read().splitlines()
    assert all(len(record) == 94 for record in records)
    batch_control = next(r for r in records if r.startswith("8"))
    # one entry; total credits 1,992.25 in cents (positions 33-44 of the batch control)
    assert batch_control[4:10] == "000001" and batch_control[32:44] == "000000199225"
    return [r for r in records if r.startswith("6")]


@pytest.mark.browser
def test_us_month_with_back_dated_rise_and_no_bank_account_end_to_end(
        page, password, hr_admin, django_capture_on_commit_callbacks):
    # given two payroll admins with authenticators, a biweekly schedule withholding
    # supplemental wages at the optional flat rate, and paycheck 1 finalised
    calculator = UserFactory(email="calc@example.test", roles=[Role.PAYROLL_ADMIN])
    approver = UserFactory(email="approve@example.test", roles=[Role.PAYROLL_ADMIN])
    secrets = {user: enrol_totp(user) for user in (calculator, approver)}
    schedule = USBiweeklyScheduleFactory(name="US biweekly (e2e)", supplemental_method="flat")
    periods_generate(schedule=schedule, until=date(2026, 2, 28), acting_user=calculator)
    dee, eli, run = _paycheck_one_and_rise(schedule, calculator, approver, hr_admin,
                                           django_capture_on_commit_callbacks)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    # when the first payroll admin calculates paycheck 2
    login(page, calculator.email, password, totp_secret=secrets[calculator])
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Review and approve")
    payslips = {p.employee_id: p for p in Payslip.objects.filter(run=run)}

    # then Dee's payslip pays the arrears, withheld as supplemental wages
    page.goto(f"/payroll/runs/{run.pk}/payslips/{payslips[dee.pk].pk}/")
    assert _amount(page, "Salary") == "2,200.00"
    assert _amount(page, "Arrears: salary 27 Dec 2025 \u2013 9 Jan 2026") == "200.00"
    assert payslips[dee.pk].gross == D("2400.00") and payslips[dee.pk].net == D("1992.25")
    assert sum(ln.amount for ln in payslips[dee.pk].lines.filter(code="FIT")) == D("224.15")

    # when Eli's "No bank account" (paid by cheque) and Dee's large change are overridden:
    # only her net moves past the 10% threshold (1,690.85 -> 1,992.25, +17.8%)
    _override_flags(page, run, payslips[eli.pk], variances=1, why="Back-dated rise")
    # then the review shows the paycheck's figures, and the calculator may not approve it
    page.goto(f"/payroll/runs/{run.pk}/review/")
    page.wait_for_selector("text=Cash needed for pay day")
    _check_review(page)
    assert page.locator("button:has-text('Approve')").is_disabled()
    _sign_out(page)

    # when the second admin approves on the review and finalises
    login(page, approver.email, password, totp_secret=secrets[approver])
    page.goto(f"/payroll/runs/{run.pk}/review/")
    page.click("button:has-text('Approve')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Finalise')")
    page.wait_for_selector("text=Payslips and files")
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED

    # then the delivery page lists Eli, paid outside the file, with the net pay and the reason
    page.click("text=Payslips and files")
    section = page.locator("#paid-outside-file").inner_text()
    assert "Eli Cheque" in section and "USD 1,289.10" in section and "Paid by cheque" in section
    # and the NACHA file credits only Dee: her net, to her account, under her name
    (entry,) = _download_nacha(page)
    assert entry[3:12] == US_ROUTING and entry[29:39] == "0000199225"
    assert "DEE DEPOSIT" in entry.upper() and "CHEQUE" not in entry.upper()
    # and nothing on the way broke the strict CSP
    assert not [p for p in problems if "Content Security Policy" in p], problems

