"""End to end in a real browser, the exceptions of one real pay month (issue 10): a regular run
calculated with an off-cycle bonus already paid in the tax month, a back-dated rise and a person
without a bank account; reviewed; approved by a second Payroll Admin; finalised; the payment file
downloads without the unbanked person, who is listed on the delivery page.

The schedule is UK monthly on calendar months (UKMonthlyScheduleFactory): period 1 is
1-30 April 2025, paid Wed 30 April (tax month 1); period 2 is 1-31 May, paid Fri 30 May (31 May
is a Saturday; tax month 2); period 3 is 1-30 June, paid Mon 30 June (tax month 3, 6 June -
5 July). Every figure below is worked by hand from:
- HMRC CWG2 (2025-26), Class 1 NI category A, monthly: Primary Threshold 1,048, Secondary
  Threshold 417, Upper Earnings Limit 4,189; employee 8% PT-UEL and 2% above; employer 15% above
  ST. HMRC NIM08510: earnings paid in the same earnings period are added together, NICs on the
  total less NICs already paid in the period.
- PAYE, tax code 1257L cumulative (HMRC PAYE specification): free pay 1,048.26 a month (as the
  engine works it; 1,048.25 would give the same whole pounds in every month below), taxable pay
  to date rounded down to the pound, 20% up to 37,700 / 12 = 3,141.6666 a month of basic band.
- Proration (payroll/engine/proration.py, calendar days): annual / 12 x days / period days, half
  up to the cent; retro arrears (payroll/services/retro.py) are what should have been paid for a
  finalised period less what was paid, one line per period, taxed when paid (HMRC NIM02065).
"""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from accounts.roles import Role
from payroll.models import PayComponent, PayRun, Payslip
from payroll.outputs import sepa
from payroll.services.inputs import run_input_set
from payroll.services.periods import periods_generate
from payroll.services.runs import (
    payslip_flag_override,
    run_approve,
    run_calculate,
    run_create,
    run_finalise,
)
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp

D = Decimal


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Finalising renders payslip PDFs: into a throwaway storage; and the payer's account for
    the pain.001 (the debtor of the credit transfer)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    settings.PAYROLL_DEBTOR_IBAN = "DE89370400440532013000"
    settings.PAYROLL_DEBTOR_BIC = "COBADEFFXXX"


def _calculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error


def _finalise(run, calculator, approver, capture):
    """Calculate, accept the expected flags (the unbanked person is paid by cheque; an off-cycle
    bonus 'varies' from the last regular net), approve by the second admin, finalise."""
    _calculate(run, calculator, capture)
    for payslip in run.payslips.all():
        for flag in payslip.flags:
            if flag["blocking"]:
                payslip_flag_override(payslip=payslip, code=flag["code"], acting_user=calculator,
                                      comment="Expected before the month under test")
    run_approve(run=run, acting_user=approver)
    with capture(execute=True):
        run_finalise(run=run, acting_user=approver)
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


def _amount(page, description: str) -> str:
    """The Amount cell of the payslip line with this description (payslip_detail.html)."""
    row = page.locator("tbody tr", has=page.locator(f"td:text-is('{description}')"))
    return row.locator("td").nth(4).inner_text().strip()


def _figure(page, key: str) -> str:
    """This run's figure of a review row (run_review.html, data-figure)."""
    return page.locator(f"tr[data-figure='{key}'] td").first.inner_text().strip()


def _people_and_paid_months(schedule, calculator, approver, capture):
    """A (36,000: 3,000.00 a month), B (36,000) and C (30,000: 2,500.00 a month, no bank
    account), all on 1257L, category A; months 1 and 2 finalised (C paid by cheque both times);
    a 1,000.00 off-cycle bonus for B paid in tax month 3 and finalised; month 3's regular run
    created. Returns (A, B, C, month 3's run)."""
    rise = paid_employee(schedule, salary="36000.00", legal_first_name="Ada",
                         legal_last_name="Arrears")
    bonus = paid_employee(schedule, salary="36000.00", legal_first_name="Ben",
                          legal_last_name="Bonus")
    cheque = paid_employee(schedule, salary="30000.00", bank=False, legal_first_name="Cal",
                           legal_last_name="Cheque")
    # PAYE paid in months 1-2 by A and B: month 1 3,000 - 1,048.26 -> 1,951 x 20% = 390.20;
    # month 2 6,000 - 2,096.52 -> 3,903 x 20% = 780.60 to date, 390.40 in the month. By C:
    # 290.20 (1,451 x 20%) and 580.60 to date (2,903 x 20%). NI each month, A and B: 8% x
    # (3,000 - 1,048) = 156.16; C: 8% x (2,500 - 1,048) = 116.16.
    for number in (1, 2):
        run = run_create(schedule=schedule, period=schedule.periods.get(number=number),
                         acting_user=calculator)
        _finalise(run, calculator, approver, capture)
    # The bonus is paid Fri 13 June 2025 (tax month 3): NI on it alone 1,000 < PT 1,048 ->
    # 0.00 employee; 15% x (1,000 - 417) = 87.45 employer
    off_cycle = run_create(schedule=schedule, period=schedule.periods.get(number=3),
                           acting_user=calculator, kind=PayRun.Kind.OFF_CYCLE,
                           employees=[bonus], pay_date=date(2025, 6, 13))
    component, _ = PayComponent.objects.get_or_create(
        code="BONUS", defaults={"name": "Bonus", "kind": "earning"})
    run_input_set(run=off_cycle, employee=bonus, component=component, amount=D("1000.00"),
                  acting_user=calculator)
    _finalise(off_cycle, calculator, approver, capture)
    paid_bonus = off_cycle.payslips.get(employee=bonus)
    assert [ln.amount for ln in paid_bonus.lines.filter(code__in=["NI_EE", "NI_ER"])
            .order_by("code")] == [D("0.00"), D("87.45")]
    month3 = run_create(schedule=schedule, period=schedule.periods.get(number=3),
                        acting_user=calculator)
    return rise, bonus, cheque, month3


def _enter_back_dated_rise(page, rise) -> None:
    """HR enters A's rise to 42,000 effective 16 April 2025 on the compensation form."""
    page.goto(f"/employees/{rise.pk}/compensation/")
    page.fill("#id_pay-effective_date", "2025-04-16")
    page.fill("#id_pay-amount", "42000")
    page.select_option("#id_pay-reason", "merit_increase")
    page.click("button:has-text('Save pay change')")
    # The form warns before saving: month 1 (30 days) should have been 3,000 x 15/30 =
    # 1,500.00 (1-15 Apr) + 3,500 x 15/30 = 1,750.00 (16-30 Apr) = 3,250.00, paid 3,000.00 ->
    # 250.00; month 2: 3,500.00 - 3,000.00 = 500.00; 2 periods, 750.00
    warning = page.locator("#retro-warning").inner_text()
    assert ("This change reaches back into 2 finalised periods: about 750.00 of arrears will "
            "be paid in the next run.") in warning
    assert rise.compensation_records.count() == 1
    # and once confirmed it is saved
    page.click("button:has-text('Confirm and save pay change')")
    page.wait_for_selector("text=Pay change effective 2025-04-16 saved.")
    assert rise.compensation_records.count() == 2


def _check_arrears_payslip(page) -> None:
    """A's payslip (open in the page): one arrears line per finalised month, this month at
    42,000: 3,500.00 + 250.00 + 500.00 = 4,250.00 gross, taxed when paid."""
    assert _amount(page, "Arrears: salary 1 Apr \u2013 30 Apr") == "250.00"
    assert _amount(page, "Arrears: salary 1 May \u2013 31 May") == "500.00"
    assert _amount(page, "Salary") == "3,500.00"
    facts = page.locator("dl.facts").first.inner_text()
    assert "GBP 4,250.00" in facts and "Retro pay" in facts
    # NI on 4,250: 8% x (4,189 - 1,048) = 251.28 + 2% x (4,250 - 4,189) = 1.22 -> 252.50;
    # employer 15% x (4,250 - 417) = 574.95. PAYE: 6,000 + 4,250 = 10,250 to date - 3,144.78
    # -> 7,105 x 20% = 1,421.00 (inside 3 x 3,141.6666 of basic band) - 780.60 paid = 640.40
    assert _amount(page, "National Insurance (employee, category A)") == "252.50"
    assert _amount(page, "National Insurance (employer, category A)") == "574.95"
    assert _amount(page, "Income tax (PAYE)") == "640.40"


def _check_bonus_payslip(page) -> None:
    """B's payslip (open in the page): NI counts the off-cycle bonus of the same tax month
    (HMRC NIM08510). On the month's 4,000: 8% x (4,000 - 1,048) = 236.16 less 0.00 paid;
    15% x (4,000 - 417) = 537.45 less 87.45 paid = 450.00 (the salary alone would have been
    156.16 and 387.45: what the issue found under-deducted)."""
    employee_ni = "National Insurance (employee, category A)"
    assert _amount(page, employee_ni) == "236.16"
    assert _amount(page, "National Insurance (employer, category A)") == "450.00"
    row = page.locator("tbody tr", has=page.locator(f"td:text-is('{employee_ni}')"))
    row.locator("button:has-text('why?')").click()
    # and its trace says so: the bonus's 1,000.00 of NIable pay was paid earlier in the period
    page.wait_for_selector(
        "text=earnings period total 1,000.00 already paid + 3,000.00 now = 4,000.00")
    # PAYE to date 10,000 - 3,144.78 -> 6,855 x 20% = 1,371.00, less 780.60 (months 1-2) and
    # -9.60 (the bonus: 7,000 - 3,144.78 -> 3,855 x 20% = 771.00 - 780.60) = 600.00
    assert _amount(page, "Income tax (PAYE)") == "600.00"


def _override_flags(page, run, cheque_payslip, *, variances: int = 2,
                    why: str = "Back-dated rise; off-cycle bonus NI") -> None:
    """C's "No bank account" flag overridden "Paid by cheque" on their payslip; the expected
    large changes of A (net 2,453.44 -> 3,357.10) and B (2,453.44 -> 2,163.84, -11.80%), both
    past the schedule's 10% threshold, overridden at once on the run page (`variances`: how
    many payslips carry that flag)."""
    page.goto(f"/payroll/runs/{run.pk}/payslips/{cheque_payslip.pk}/")
    assert page.locator("li", has_text="No bank account").count() == 1
    page.fill("textarea[name=comment]", "Paid by cheque")
    page.click("button:has-text('Override')")
    page.wait_for_selector("text=Paid by cheque")
    page.goto(f"/payroll/runs/{run.pk}/")
    page.click("summary:has-text('Override a flag on many payslips')")
    page.select_option("#bulk-override select[name=code]", "variance")
    page.fill("#bulk-override textarea[name=comment]", why)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#bulk-override button:has-text('Override')")
    page.wait_for_selector(f"text=overridden on {variances} payslip(s)")


def _check_review(page) -> None:
    """The review (open in the page) against month 2, the previous finalised regular run.

    Headcount 3 (was 3); gross 4,250.00 + 3,000.00 + 2,500.00 = 9,750.00. Nets: A 4,250 -
    640.40 - 252.50 = 3,357.10; B 3,000 - 600.00 - 236.16 = 2,163.84; C 2,500 - 290.40 (7,500 -
    3,144.78 -> 4,355 x 20% = 871.00 - 580.60) - 116.16 = 2,093.44; total 7,614.38. Employer NI
    574.95 + 450.00 + 312.45 (15% x 2,083) = 1,337.40. Cash needed = net 7,614.38 + taxes
    (employee 892.90 + 836.16 + 406.56 = 2,135.62, employer 1,337.40) = 11,087.40 (no
    deductions or employer contributions)."""
    assert _figure(page, "headcount") == "3"
    assert page.locator("tr[data-figure=headcount] td").nth(1).inner_text() == "3"
    assert _figure(page, "gross") == "9,750.00"
    assert _figure(page, "net") == "7,614.38"
    assert page.locator("[data-figure=cash_needed]").inner_text() == "11,087.40 GBP"
    # the pay of A and B changed (C's did not), A's for "Retro pay"
    assert page.locator("[data-figure=pay_changed]").inner_text() == "2"
    variances = page.locator("section[aria-labelledby=review-variances]")
    assert "Retro pay" in variances.locator("tbody tr").filter(has_text="Ada Arrears").inner_text()
    assert "Ben Bonus" in variances.inner_text()


def _download_pain001(page, unpaid) -> dict[str, str]:
    """The pain.001 of the delivery page (open in the page): {EndToEndId: InstdAmt}, checking
    the group header (two credit transfers, 3,357.10 + 2,163.84 = 5,520.94) and that the
    `unpaid` employee is nowhere in the file."""
    with page.expect_download() as download_info:
        page.click("text=Payment file: ISO 20022")
    with open(download_info.value.path(), "rb") as handle:
        document = etree.fromstring(handle.read())
    ns = {"p": sepa.NAMESPACE}
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == "5520.94"
    text = etree.tostring(document).decode()
    assert unpaid.employee_number not in text and unpaid.legal_last_name not in text
    return {tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns):
            tx.findtext("p:Amt/p:InstdAmt", namespaces=ns)
            for tx in document.iterfind(".//p:CdtTrfTxInf", namespaces=ns)}


@pytest.mark.browser
def test_month_with_off_cycle_bonus_back_dated_rise_and_no_bank_account_end_to_end(
        page, password, hr_admin, django_capture_on_commit_callbacks):
    # given two payroll admins and an HR admin, each with an authenticator
    calculator = UserFactory(email="calc@example.test", roles=[Role.PAYROLL_ADMIN])
    approver = UserFactory(email="approve@example.test", roles=[Role.PAYROLL_ADMIN])
    secrets = {user: enrol_totp(user) for user in (calculator, approver, hr_admin)}
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2025, 7, 31), acting_user=calculator)
    # and A, B, C paid for months 1-2, B's off-cycle bonus paid in tax month 3 (see above)
    rise, bonus, cheque, month3 = _people_and_paid_months(
        schedule, calculator, approver, django_capture_on_commit_callbacks)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    # when HR enters A's rise back-dated into finalised months, confirming the retro warning
    login(page, hr_admin.email, password, totp_secret=secrets[hr_admin])
    _enter_back_dated_rise(page, rise)
    _sign_out(page)
    # and the first payroll admin calculates month 3
    login(page, calculator.email, password, totp_secret=secrets[calculator])
    page.goto(f"/payroll/runs/{month3.pk}/")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Review and approve")
    payslips = {p.employee_id: p for p in Payslip.objects.filter(run=month3)}

    # then the run page gives "Retro pay" as the reason A's pay changed, and A's payslip pays
    # the arrears; B's NI counts the off-cycle bonus
    assert "Retro pay" in page.locator("tbody tr").filter(has_text="Ada Arrears").inner_text()
    page.goto(f"/payroll/runs/{month3.pk}/payslips/{payslips[rise.pk].pk}/")
    _check_arrears_payslip(page)
    page.goto(f"/payroll/runs/{month3.pk}/payslips/{payslips[bonus.pk].pk}/")
    _check_bonus_payslip(page)

    # when C's flag ("paid by cheque") and the expected large changes are overridden
    _override_flags(page, month3, payslips[cheque.pk])
    # then the review shows the month's figures, and the calculator may not approve it
    page.click("text=Review and approve")
    page.wait_for_selector("text=Cash needed for pay day")
    _check_review(page)
    assert page.locator("button:has-text('Approve')").is_disabled()
    _sign_out(page)

    # when the second admin reads the review, approves there and finalises
    login(page, approver.email, password, totp_secret=secrets[approver])
    page.goto(f"/payroll/runs/{month3.pk}/")
    page.click("text=Review and approve")
    page.wait_for_selector("text=Cash needed for pay day")
    assert page.locator("[data-figure=cash_needed]").inner_text() == "11,087.40 GBP"
    page.click("button:has-text('Approve')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Finalise')")
    page.wait_for_selector("text=Payslips and files")
    month3.refresh_from_db()
    assert month3.status == PayRun.Status.FINALISED

    # then the delivery page lists C, paid outside the file, with their net pay and the reason
    page.click("text=Payslips and files")
    section = page.locator("#paid-outside-file").inner_text()
    assert "Cal Cheque" in section and "GBP 2,093.44" in section and "Paid by cheque" in section
    # and the pain.001 pays A and B their nets, each named by its payslip number, and not C
    paid = _download_pain001(page, unpaid=cheque)
    numbers = {p.employee_id: p.display_number for p in Payslip.objects.filter(run=month3)}
    assert paid == {numbers[rise.pk]: "3357.10", numbers[bonus.pk]: "2163.84"}
    # and nothing on the way broke the strict CSP
    assert not [p for p in problems if "Content Security Policy" in p], problems
