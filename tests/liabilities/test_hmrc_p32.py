"""The P32 (what a UK employer pays HMRC per tax month), hand-computed."""

from datetime import date
from decimal import Decimal as D

from hrops.calendars import public_holidays
from liabilities.hmrc import SlipFigures, due_dates, p32, quarterly_allowed, tax_month_of

BANK_HOLIDAYS = public_holidays("GB", [2026, 2027])


def test_tax_months_run_from_the_6th_to_the_5th():
    assert tax_month_of(date(2026, 4, 6)) == 1
    assert tax_month_of(date(2026, 5, 5)) == 1
    assert tax_month_of(date(2026, 11, 27)) == 8  # 6 Nov - 5 Dec
    assert tax_month_of(date(2027, 4, 5)) == 12


def test_a_month_with_paye_ni_loans_smp_recovery_and_employment_allowance():
    # given tax month 8 of 2026-27 (6 Nov - 5 Dec 2026): two payslips, one with SMP of 800.00
    slips = [
        SlipFigures(date(2026, 11, 27), paye=D("400.00"), employee_ni=D("200.00"),
                    employer_ni=D("300.00"), student_loan=D("150.00")),
        SlipFigures(date(2026, 11, 27), paye=D("250.00"), employee_ni=D("120.00"),
                    employer_ni=D("180.00"), postgraduate_loan=D("60.00"),
                    statutory_recovered=D("736.00")),  # 92% of 800.00
    ]
    # when the employer claims the Employment Allowance for 2026-27
    [row] = p32(slips, employment_allowance_years=["2026-27"], holidays=BANK_HOLIDAYS)
    # then 650 + 320 + 480 + 150 + 60 = 1,660 less 736 recovered less 480 allowance
    # (all of this month's employer NI, the first of the year) = 444.00
    assert (row.tax_year, row.month) == ("2026-27", 8)
    assert row.deductions == D("1660.00")
    assert row.employment_allowance == D("480.00")
    assert row.amount_due == D("444.00")
    # due Tuesday 22 Dec 2026; the cheque date, Saturday 19 Dec, moves back to Friday 18th
    assert (row.due, row.due_by_cheque) == (date(2026, 12, 22), date(2026, 12, 18))


def test_employment_allowance_is_used_until_the_years_10500_is_gone():
    slips = [SlipFigures(date(2026, m, 27), employer_ni=D("6000.00"), paye=D("1000.00"))
             for m in (4, 5, 6)]
    rows = p32(slips, employment_allowance_years=["2026-27"])
    assert [r.employment_allowance for r in rows] == [D("6000.00"), D("4500.00"), D("0.00")]
    assert [r.amount_due for r in rows] == [D("1000.00"), D("2500.00"), D("7000.00")]


def test_without_a_claim_there_is_no_allowance():
    [row] = p32([SlipFigures(date(2026, 4, 27), employer_ni=D("100.00"))])
    assert row.employment_allowance == 0 and row.amount_due == D("100.00")


def test_small_employer_relief_recovers_108_5_percent_and_a_credit_carries_forward():
    # given SMP of 1,000.00 with Small Employer Relief: 1,000 + 85 compensation recovered (8.5%
    # for payments from 6 April 2025; 3% before - payroll/engine/statutory/rates.py)
    slips = [SlipFigures(date(2026, 4, 27), paye=D("500.00"), statutory_recovered=D("1000.00"),
                         nic_compensation=D("85.00")),
             SlipFigures(date(2026, 5, 27), paye=D("800.00"))]
    first, second = p32(slips)
    # then month 1 leaves a credit of 585.00, set against month 2's 800.00
    assert (first.amount_due, first.credit_carried_forward) == (D("0.00"), D("585.00"))
    assert (second.credit_brought_forward, second.amount_due) == (D("585.00"), D("215.00"))


def test_due_date_on_a_weekend_moves_to_the_working_day_before():
    # tax month 7 ends 5 Nov 2026; the 22nd is a Sunday
    assert due_dates(date(2026, 11, 5), BANK_HOLIDAYS)[0] == date(2026, 11, 20)


def test_quarterly_payer_pays_by_the_22nd_after_the_quarter():
    slips = [SlipFigures(date(2026, m, 27), paye=D("300.00")) for m in (10, 11, 12)]
    [row] = p32(slips, quarterly=True, holidays=BANK_HOLIDAYS)
    # months 7-9 (6 Oct 2026 - 5 Jan 2027), due Friday 22 Jan 2027
    assert (row.month, row.start, row.end) == (7, date(2026, 10, 6), date(2027, 1, 5))
    assert row.due == date(2027, 1, 22) and row.amount_due == D("900.00")
    assert quarterly_allowed(p32(slips)) is True  # 300 a month < 1,500
