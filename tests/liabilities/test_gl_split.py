"""The GL journal splits tax liabilities by authority and tax, and still balances."""

from decimal import Decimal as D

from payroll.outputs import gl
from payroll.outputs.types import SlipLine, SlipSummary


def _slip(department: str, lines: list[tuple[str, str, str]], futa: str = "0") -> SlipSummary:
    slip_lines = tuple(SlipLine(code, code, cat, D(amount)) for code, cat, amount in lines)
    gross = sum((x.amount for x in slip_lines if x.category == "earning"), D("0"))
    tax = sum((x.amount for x in slip_lines if x.category == "employee_tax"), D("0"))
    return SlipSummary("E1", "A", department, gross, D("0"), tax, D("0"), gross - tax,
                       gross, slip_lines, futa_wages=D(futa))


UK = _slip("London", [("BASIC", "earning", "3000.00"), ("PAYE", "employee_tax", "400.00"),
                      ("NI_EE", "employee_tax", "150.00"), ("SL", "employee_tax", "60.00"),
                      ("PGL", "employee_tax", "20.00"), ("NI_ER", "employer_tax", "380.00")])
US = _slip("Boston", [("BASIC", "earning", "5000.00"), ("FIT", "employee_tax", "600.00"),
                      ("SS", "employee_tax", "310.00"), ("MEDICARE", "employee_tax", "72.50"),
                      ("ADDL_MEDICARE", "employee_tax", "9.00"),
                      ("ER_SS", "employer_tax", "310.00"),
                      ("ER_MEDICARE", "employer_tax", "72.50")], futa="5000.00")


def _accounts(lines, department):
    return {x.account: x.debit or x.credit for x in lines if x.department == department}


def test_uk_liabilities_are_one_account_per_hmrc_tax():
    accounts = _accounts(gl.journal([UK]), "London")
    assert accounts["2201 PAYE income tax payable (HMRC)"] == D("400.00")
    assert accounts["2202 Employee NI payable (HMRC)"] == D("150.00")
    assert accounts["2203 Employer NI payable (HMRC)"] == D("380.00")
    assert accounts["2204 Student loan deductions payable (HMRC)"] == D("60.00")
    assert accounts["2205 Postgraduate loan deductions payable (HMRC)"] == D("20.00")


def test_us_liabilities_are_one_account_per_irs_tax_and_futa_is_accrued():
    accounts = _accounts(gl.journal([US]), "Boston")
    assert accounts["2221 Federal income tax withheld (IRS)"] == D("600.00")
    assert accounts["2222 Employee Social Security payable (IRS)"] == D("310.00")
    assert accounts["2223 Employer Social Security payable (IRS)"] == D("310.00")
    assert accounts["2224 Employee Medicare payable (IRS)"] == D("81.50")  # incl. Additional
    assert accounts["2225 Employer Medicare payable (IRS)"] == D("72.50")
    assert accounts["5120 FUTA expense"] == accounts["2240 FUTA payable (IRS)"] == D("30.00")


def test_the_split_journal_balances_per_department_and_overall():
    # given an unknown tax code too: it lands in the "other" account, never lost
    other = _slip("London", [("BASIC", "earning", "100.00"), ("CITY", "employee_tax", "5.00")])
    lines = gl.journal([UK, US, other])
    debit, credit = gl.totals(lines)
    assert debit == credit
    for department in ("London", "Boston"):
        mine = [x for x in lines if x.department == department]
        assert sum(x.debit for x in mine) == sum(x.credit for x in mine)
    assert _accounts(lines, "London")["2290 Other employee tax liabilities"] == D("5.00")
