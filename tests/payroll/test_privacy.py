"""Payroll's section of a subject-access export: pay setup, inputs and FINALISED payslips only."""

from datetime import date
from decimal import Decimal

import pytest

from payroll.models import EmployeePayItem, PayRun, Payslip, RunInput, TaxProfile
from payroll.privacy import subject_access_data
from payroll.services.payslips import payslip_render
from tests.factories import EmployeeFactory
from tests.factories.payroll_history import paid_on
from tests.factories.payroll_runs import PayComponentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return EmployeeFactory()


def test_only_the_persons_finalised_payslips_are_included(person):
    # given a finalised run paying the person and a colleague, and a draft run
    colleague = EmployeeFactory()
    paid = paid_on([person, colleague], pay_date=date(2026, 5, 29))
    draft = paid_on([person], pay_date=date(2026, 6, 30), finalise=False)
    own = paid.payslips.get(employee=person)
    # when
    section = subject_access_data(person)
    # then one payslip: the person's finalised one, with its figures as strings
    [payslip] = section["payslips"]
    assert payslip["number"] == own.display_number
    assert payslip["pay_date"] == "2026-05-29" and payslip["tax_year"] == "2026-27"
    assert payslip["period_start"] == "2026-05-29" and payslip["period_end"] == "2026-05-29"
    assert payslip["net"] == str(own.net) == "2579.44" and payslip["gross"] == "3320.00"
    assert payslip["ytd"] == own.ytd
    assert [x["code"] for x in payslip["lines"]][:2] == ["BASIC", "OVERTIME"]
    assert payslip["lines"][0]["amount"] == "3200.00"
    assert sum(Decimal(x["amount"]) for x in payslip["lines"]
               if x["category"] == "earning") == Decimal(payslip["gross"])
    # no PDF rendered yet: nothing to attach
    assert payslip["pdf_file"] == "" and section["files"] == []
    # the draft result exists, but is not a record of pay
    assert draft.payslips.filter(employee=person).exists()


def test_rendered_pdfs_are_listed_as_files(person):
    run = paid_on([person], pay_date=date(2026, 5, 29))
    payslip = run.payslips.get()
    assert payslip_render(payslip.pk) == Payslip.PdfStatus.READY
    payslip.refresh_from_db()
    # when
    section = subject_access_data(person)
    # then (archive name, storage name), and the JSON names the same archive file
    name = f"files/payroll/2026-05-29-{payslip.display_number}.pdf"
    assert section["files"] == [(name, payslip.pdf_file.name)]
    assert section["payslips"][0]["pdf_file"] == name
    assert section["payslips"][0]["pdf_sha256"] == payslip.pdf_sha256


def test_pay_setup_and_run_inputs_are_included(person):
    # given tax details, a recurring item and a one-off input on a run still being prepared
    TaxProfile.objects.create(employee=person, jurisdiction="UK", tax_code="1257L",
                              ni_category="A")
    bonus = PayComponentFactory()
    EmployeePayItem.objects.create(employee=person, component=bonus, amount=Decimal("50.00"),
                                   effective_from=date(2026, 4, 6))
    draft = paid_on([person], pay_date=date(2026, 6, 30), finalise=False)
    RunInput.objects.create(run=draft, employee=person, component=bonus,
                            amount=Decimal("250.00"), note="Q1 bonus")
    # when
    section = subject_access_data(person)
    # then
    [tax] = section["tax_profiles"]
    assert tax["tax_code"] == "1257L" and tax["ni_category"] == "A"
    [item] = section["pay_items"]
    assert item["component"] == "BONUS" and item["amount"] == "50.00"
    assert item["effective_from"] == "2026-04-06"
    [one_off] = section["run_inputs"]
    assert one_off["amount"] == "250.00" and one_off["run_status"] == PayRun.Status.APPROVED
    assert one_off["pay_date"] == "2026-06-30" and one_off["note"] == "Q1 bonus"
    # while the draft result itself is not exported
    assert section["payslips"] == []


def test_queries_do_not_grow_with_payslips(person, django_assert_max_num_queries):
    for month in range(1, 13):
        paid_on([person], pay_date=date(2025, month, 28))
    # payslips (with run, period, schedule) + their lines + tax profiles + pay items + inputs
    with django_assert_max_num_queries(5):
        section = subject_access_data(person)
    assert len(section["payslips"]) == 12
