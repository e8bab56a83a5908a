"""A UK employer's first two months of 2026-27, finalised, with hand-made payslip figures.

Alice (on the payroll before the year), Bob (a starter in May: no NINO but an address, Plan 2
student loan, 37.5 hours) and Carol (leaves on 20 May 2026). Monthly figures (2026-27 monthly NI
thresholds from payroll/engine/data/uk_2026_27.json: LEL 559, PT 1,048, UEL 4,189):

    who    month  taxable  tax     NI-able  employee NI  employer NI  student loan
    Alice  1, 2   3000.00  390.40  3000.00  156.16       387.45
    Carol  1, 2   4000.00  590.40  4000.00  236.16       537.45
    Bob    2      2500.00  290.40  2500.00  116.16       312.45       61
"""

from datetime import date

import pytest

from liabilities.models import Employer
from payroll.models import TaxProfile
from rti.models import RtiPerson
from tests.factories import EmployeeFactory
from tests.factories.liabilities import employer_schedule, finalised_payslips, uk_lines

REF = "123/AB45678"
SLUG = "123_AB45678"
AOREF = "123PA00012345"


def pay(taxable, tax, ee, er, sl="0", **extra):
    increments = {"uk_taxable_pay": taxable, "uk_tax_paid": tax, "uk_ni_pay": taxable,
                  "uk_employee_ni": ee, "uk_employer_ni": er, **extra}
    if sl != "0":
        increments["uk_student_loan"] = sl
    return {"lines": uk_lines(tax, ee, er, sl=sl), "increments": increments, "gross": taxable}


def person(first, last, *, gender="F", nino="", **fields):
    profile = fields.pop("profile", {})
    employee = EmployeeFactory(legal_first_name=first, legal_last_name=last,
                               date_of_birth=fields.pop("dob", date(1990, 1, 2)),
                               national_id=nino, national_id_country="GB" if nino else "",
                               **fields)
    TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                              ni_category="A", **profile)
    if gender:
        RtiPerson.objects.create(employee=employee, gender=gender)
    return employee


@pytest.fixture
def employer(db):
    schedule = employer_schedule()
    Employer.objects.create(country="GB", reference=REF, accounts_office_reference=AOREF)
    return schedule


@pytest.fixture
def rti_year(employer):
    alice = person("Alice", "Able", nino="AB123456C")
    bob = person("Bob", "Baker", gender="M", hire_date=date(2026, 5, 1),
                 address_line1="1 High Street", city="Leeds", postal_code="LS1 4AB")
    TaxProfile.objects.filter(employee=bob).update(starter_declaration="A",
                                                   student_loan_plan="plan_2")
    bob.job_records.update(weekly_hours="37.50")
    carol = person("Carol", "Cole", nino="AB654321A", termination_date=date(2026, 5, 20))
    month1 = finalised_payslips(employer, date(2026, 4, 30), [
        {"employee": alice, **pay("3000.00", "390.40", "156.16", "387.45")},
        {"employee": carol, **pay("4000.00", "590.40", "236.16", "537.45")}],
        period=(date(2026, 4, 1), date(2026, 4, 30)))
    month2 = finalised_payslips(employer, date(2026, 5, 29), [
        {"employee": alice, **pay("3000.00", "390.40", "156.16", "387.45")},
        {"employee": carol, **pay("4000.00", "590.40", "236.16", "537.45")},
        {"employee": bob, **pay("2500.00", "290.40", "116.16", "312.45", sl="61")}],
        period=(date(2026, 5, 1), date(2026, 5, 31)))
    return {"schedule": employer, "alice": alice, "bob": bob, "carol": carol,
            "runs": [month1, month2]}
