"""The EPS of a tax month: the recoverable amounts are the P32's (liabilities), year to date;
no payment; the Employment Allowance indicator once a year; the final submission."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from liabilities.employers import legal_employer_get
from liabilities.models import Employer
from liabilities.selectors import uk_p32
from rti import messages as M
from rti.models import RtiSubmission
from rti.services import eps_prepare
from tests.factories.liabilities import finalised_payslips

from .conftest import REF, SLUG, pay, person

pytestmark = pytest.mark.django_db
NS = {"e": M.EPS_NS}


@pytest.fixture
def statutory_months(employer):
    """Month 1: SMP 1,000.00 of which 920.00 recovered (92%); month 2: SPP 200.00 with 184.00
    recovered and 17.00 NIC compensation (hand-made, as the engine stores them)."""
    alice = person("Alice", "Able", nino="AB123456C")
    finalised_payslips(employer, date(2026, 4, 30), [{"employee": alice, **pay(
        "3000.00", "390.40", "156.16", "387.45", uk_smp="1000.00", uk_smp_recovered="920.00",
        uk_smp_nic_compensation="0.00")}], period=(date(2026, 4, 1), date(2026, 4, 30)))
    finalised_payslips(employer, date(2026, 5, 29), [{"employee": alice, **pay(
        "3000.00", "390.40", "156.16", "387.45", uk_spp="200.00", uk_spp_recovered="184.00",
        uk_spp_nic_compensation="17.00")}], period=(date(2026, 5, 1), date(2026, 5, 31)))
    return legal_employer_get("GB", SLUG)


def _eps(submission):
    return etree.fromstring(submission.message.encode()).find(".//e:EmployerPaymentSummary", NS)


def test_recoverable_amounts_year_to_date_equal_the_p32(statutory_months, payroll_admin):
    # when
    submission, problems = eps_prepare(employer=statutory_months, tax_year="2026-27", month=2,
                                       final_for_year=False, acting_user=payroll_admin)
    # then: the P32's months 1 and 2 recover 920.00 + 184.00 and compensate 17.00
    assert problems == []
    rows = [r for r in uk_p32(statutory_months) if r.month <= 2]
    assert sum((r.statutory_recovered for r in rows), Decimal(0)) == Decimal("1104.00")
    assert sum((r.nic_compensation for r in rows), Decimal(0)) == Decimal("17.00")
    block = _eps(submission).find("e:RecoverableAmountsYTD", NS)
    assert [(etree.QName(c).localname, c.text) for c in block] == [
        ("TaxMonth", "2"), ("SMPRecovered", "920.00"), ("SPPRecovered", "184.00"),
        ("NICCompensationOnSPP", "17.00")]
    assert submission.figures["recovered_ytd"] == "1104.00"
    assert _eps(submission).find("e:NoPaymentDates", NS) is None
    assert submission.paye_reference == REF and submission.tax_month == 2


def test_a_month_without_pay_reports_no_payment_dates(statutory_months, payroll_admin):
    submission, _ = eps_prepare(employer=statutory_months, tax_year="2026-27", month=3,
                                final_for_year=False, acting_user=payroll_admin)
    dates = _eps(submission).find("e:NoPaymentDates", NS)
    # tax month 3: 6 June - 5 July 2026
    assert [c.text for c in dates] == ["2026-06-06", "2026-07-05"]
    assert submission.figures["no_payment"] is True


def test_employment_allowance_is_claimed_on_the_first_eps_sent_in_the_year(statutory_months,
                                                                           payroll_admin):
    Employer.objects.filter(reference=REF).update(employment_allowance_years=["2026-27"])
    employer = legal_employer_get("GB", SLUG)
    first, _ = eps_prepare(employer=employer, tax_year="2026-27", month=1, final_for_year=False,
                           acting_user=payroll_admin)
    eps = _eps(first)
    assert eps.findtext("e:EmpAllceInd", namespaces=NS) == "yes"
    assert eps.findtext("e:DeMinimisStateAid/e:NA", namespaces=NS) == "yes"
    RtiSubmission.objects.filter(pk=first.pk).update(status=RtiSubmission.Status.ACCEPTED)
    second, _ = eps_prepare(employer=employer, tax_year="2026-27", month=2,
                            final_for_year=False, acting_user=payroll_admin)
    assert _eps(second).find("e:EmpAllceInd", NS) is None


def test_final_submission_for_the_year(statutory_months, payroll_admin):
    submission, _ = eps_prepare(employer=statutory_months, tax_year="2026-27", month=12,
                                final_for_year=True, acting_user=payroll_admin)
    assert _eps(submission).findtext("e:FinalSubmission/e:ForYear", namespaces=NS) == "yes"
    assert submission.final_for_year


def test_no_accounts_office_reference_is_a_problem_and_nothing_is_written(statutory_months,
                                                                          payroll_admin):
    Employer.objects.filter(reference=REF).update(accounts_office_reference="")
    submission, problems = eps_prepare(employer=legal_employer_get("GB", SLUG),
                                       tax_year="2026-27", month=1, final_for_year=False,
                                       acting_user=payroll_admin)
    assert submission is None and "Accounts Office reference" in problems[0].message
    assert not RtiSubmission.objects.exists()


def test_a_quarterly_payer_still_reports_monthly_figures(statutory_months, payroll_admin):
    Employer.objects.filter(reference=REF).update(quarterly_payer=True)
    employer = legal_employer_get("GB", SLUG)
    submission, problems = eps_prepare(employer=employer, tax_year="2026-27", month=2,
                                       final_for_year=False, acting_user=payroll_admin)
    assert problems == [] and submission.figures["no_payment"] is False
    assert submission.figures["recovered_ytd"] == "1104.00"  # 920.00 + 184.00
