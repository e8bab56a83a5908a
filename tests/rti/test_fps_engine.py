"""Through the real calculation: two months of 2026-27 calculated, approved and finalised by the
payroll services; the FPS's figures to date equal each payslip's stored year to date."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from accounts.roles import Role
from liabilities.models import Employer
from payroll.models import PayRun, PaySchedule, TaxProfile
from payroll.services.periods import periods_generate
from payroll.services.runs import run_approve, run_calculate, run_create, run_finalise
from rti import messages as M
from rti.models import RtiPerson
from rti.services import fps_prepare
from tests.factories import UserFactory
from tests.factories.payroll_runs import paid_employee

pytestmark = pytest.mark.django_db
NS = {"f": M.FPS_NS}


def test_figures_to_date_are_the_payslips_year_to_date(uk_schedule, payroll_admin,
                                                       django_capture_on_commit_callbacks):
    # given the monthly UK schedule with an employer reference, months 1 and 2 of 2026-27
    PaySchedule.objects.filter(pk=uk_schedule.pk).update(employer_paye_reference="123/AB45678")
    uk_schedule.refresh_from_db()
    Employer.objects.create(country="GB", reference="123/AB45678",
                            accounts_office_reference="123PA00012345")
    periods_generate(schedule=uk_schedule, until=date(2026, 5, 31), acting_user=payroll_admin)
    people = [paid_employee(uk_schedule, salary=salary, date_of_birth=date(1985, 3, 4),
                            national_id=nino, national_id_country="GB")
              for salary, nino in (("36000.00", "AB123456C"), ("60000.00", "AB654321D"))]
    TaxProfile.objects.filter(employee=people[1]).update(student_loan_plan="plan_2")
    for person in people:
        RtiPerson.objects.create(employee=person, gender="F")
    approver = UserFactory(roles=[Role.PAYROLL_ADMIN])
    runs = []
    for month in (4, 5):
        run = run_create(schedule=uk_schedule, acting_user=payroll_admin,
                         period=uk_schedule.periods.get(start_date=date(2026, month, 1)))
        with django_capture_on_commit_callbacks(execute=True):
            run_calculate(run=run, acting_user=payroll_admin)
        run.refresh_from_db()
        assert run.status == PayRun.Status.CALCULATED, run.last_error
        run_approve(run=run, acting_user=approver)
        with django_capture_on_commit_callbacks(execute=True):
            run_finalise(run=run, acting_user=approver)
        run.refresh_from_db()
        runs.append(run)
    # when
    submission, problems = fps_prepare(run=runs[1], acting_user=payroll_admin)
    # then
    assert problems == []
    root = etree.fromstring(submission.message.encode())
    by_pay_id = {e.findtext(".//f:PayId", namespaces=NS): e for e in root.iterfind(".//f:Employee",
                                                                                     NS)}
    for payslip in runs[1].payslips.select_related("employee"):
        node = by_pay_id[payslip.employee.employee_number]
        ytd = payslip.ytd
        assert node.findtext(".//f:FiguresToDate/f:TaxablePay", namespaces=NS) == (
            f"{Decimal(ytd['uk_taxable_pay']):.2f}")
        assert node.findtext(".//f:FiguresToDate/f:TotalTax", namespaces=NS) == (
            f"{Decimal(ytd['uk_tax_paid']):.2f}")
        assert node.findtext(".//f:EmpeeContribnsYTD", namespaces=NS) == (
            f"{Decimal(ytd['uk_employee_ni']):.2f}")
        assert node.findtext(".//f:GrossEarningsForNICsYTD", namespaces=NS) == (
            f"{Decimal(ytd['uk_ni_pay']):.2f}")
        if "uk_student_loan" in ytd:
            assert node.findtext(".//f:StudentLoansTD", namespaces=NS) == (
                f"{Decimal(ytd['uk_student_loan']):.2f}")
    assert by_pay_id[people[1].employee_number].find(".//f:StudentLoansTD", NS) is not None
