"""Student and postgraduate loans are set on the employee's tax details by a Payroll Admin
(audited, never on their own record) and deducted in the pay run."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from payroll.models import Payslip, TaxProfile
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db

UK_POST = {"UK-tax_code": "1257L", "UK-ni_category": "A", "UK-starter_declaration": "",
           "UK-w4_form_year": "2020", "UK-filing_status": "single",
           "UK-marital_status": "single", "UK-allowances": "0", "UK-step3_credits": "0",
           "UK-step4a_other_income": "0", "UK-step4b_deductions": "0",
           "UK-step4c_extra_withholding": "0", "UK-extra_withholding": "0"}


def test_payroll_admin_sets_a_plan_audited_and_the_run_deducts_it(
        client, months, payroll_admin, month_run):
    employee = paid_employee(months, salary="36000.00", hire=date(2024, 1, 8))
    login(client, payroll_admin)
    page = client.get(reverse("payroll:employee_setup", args=[employee.pk])).content.decode()
    assert "Student loan plan" in page and "Postgraduate loan" in page
    # when
    response = client.post(reverse("payroll:tax_profile_save", args=[employee.pk, "UK"]),
                           {**UK_POST, "UK-student_loan_plan": "plan_2",
                            "UK-postgraduate_loan": "on"})
    # then
    assert response.status_code == 302
    profile = TaxProfile.objects.get(employee=employee, jurisdiction="UK")
    assert (profile.student_loan_plan, profile.postgraduate_loan) == ("plan_2", True)
    event = AuditEvent.objects.filter(note="tax details").latest("pk")
    assert event.changes["student_loan_plan"] == ["", "plan_2"]
    # and November 2026 (3,000.00 NI-able): Plan 2 9% x (3,000 - 2,448.75) = 49.61 -> 49,
    # Postgraduate 6% x (3,000 - 1,750) = 75
    run = month_run(2026, 11)
    payslip = Payslip.objects.get(run=run, employee=employee)
    lines = {ln.code: (ln.description, ln.amount) for ln in payslip.lines.all()}
    assert lines["SL"] == ("Student loan (Plan 2)", Decimal("49.00"))
    assert lines["PGL"] == ("Postgraduate loan", Decimal("75.00"))
    assert payslip.ytd_increments["uk_student_loan"] == "49.00"


def test_a_payroll_admin_cannot_set_their_own_student_loan(client, months, payroll_admin):
    own = paid_employee(months, salary="36000.00", hire=date(2024, 1, 8))
    own.user = payroll_admin
    own.save(update_fields=["user"])
    login(client, payroll_admin)
    response = client.post(reverse("payroll:tax_profile_save", args=[own.pk, "UK"]),
                           {**UK_POST, "UK-student_loan_plan": "plan_2"})
    assert response.status_code in (403, 404)
    assert TaxProfile.objects.get(employee=own, jurisdiction="UK").student_loan_plan == ""
