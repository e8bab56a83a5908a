from datetime import date

import pytest

from accounts.roles import Role
from employees.models import Employee
from payroll.models import TaxProfile
from tests.factories import UserFactory
from tests.factories.payroll_runs import paid_employee
from tests.yearend.builders import finalised, uk_pay


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Year-end PDFs go to a throwaway private storage per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"


@pytest.fixture
def uk_year(uk_schedule, payroll_admin):
    """Tax year 2025-26 on a UK monthly schedule: a stayer (with a login, on month 1 basis) and
    a leaver who leaves on 20 May 2025; months 1-3 finalised (the leaver's P45 comes with
    month 2)."""
    stayer = paid_employee(uk_schedule, user=UserFactory(email="stayer@example.test",
                                                         roles=[Role.EMPLOYEE]))
    TaxProfile.objects.filter(employee=stayer).update(tax_code="1257L", week1_month1=True)
    leaver = paid_employee(uk_schedule, salary="48000.00", user=UserFactory(
        email="leaver@example.test", roles=[Role.EMPLOYEE]))
    TaxProfile.objects.filter(employee=leaver).update(student_loan_plan="plan_2")
    Employee.objects.filter(pk=leaver.pk).update(termination_date=date(2025, 5, 20))
    # month 1 and 2: both paid (the leaver's final pay is month 2); month 3: the stayer
    both = {stayer: uk_pay("3000.00", "390.00", "156.16"),
            leaver: uk_pay("4000.00", "590.20", "236.16", student_loan="130")}
    runs = [finalised(uk_schedule, 1, both, payroll_admin, tax_year="2025-26"),
            finalised(uk_schedule, 2, both, payroll_admin, tax_year="2025-26"),
            finalised(uk_schedule, 3, {stayer: uk_pay("3000.00", "390.00", "156.16")},
                      payroll_admin, tax_year="2025-26")]
    stayer.refresh_from_db()
    leaver.refresh_from_db()
    return {"schedule": uk_schedule, "stayer": stayer, "leaver": leaver, "runs": runs}
