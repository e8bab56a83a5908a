"""Pages: the compensation form warns before a change reaching finalised pay is saved (confirm
step); the payslip page lets a Payroll Admin confirm a recovery. Permissions for both."""

from datetime import date

import pytest
from django.urls import reverse

from employees.hooks import PayChangeImpact, pay_change_impact
from employees.models import CompensationRecord
from payroll.models import RetroRecovery
from tests.factories.employees import CompensationRecordFactory
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(tax_months, finalise):
    """36,000 a year (3,000.00 a month), months 1-3 finalised."""
    employee = paid_employee(tax_months, salary="36000.00")
    for n in (1, 2, 3):
        finalise(tax_months, n)
    return employee


def _post(client, employee, schedule, *, effective="2025-05-06", amount="42000", **extra):
    data = {"pay-effective_date": effective, "pay-basis": "salary", "pay-amount": amount,
            "pay-currency": "GBP", "pay-pay_schedule": schedule.pk,
            "pay-reason": "merit_increase", "pay-note": "", **extra}
    return client.post(reverse("employees:compensation", args=[employee.pk]), data)


def test_back_dated_rise_warns_before_saving_and_saves_once_confirmed(client, hr_admin, paid,
                                                                      tax_months):
    # given HR on the compensation page of someone paid for months 1-3
    login(client, hr_admin)
    records = CompensationRecord.objects.filter(employee=paid)
    # when they enter a rise to 42,000 back-dated to 6 May 2025 (months 2 and 3)
    response = _post(client, paid, tax_months)
    # then nothing is saved yet, and the page says what it does to finalised pay:
    # 2 x (3,500.00 - 3,000.00) = 1,000.00
    assert response.status_code == 200
    assert records.count() == 1
    page = response.content.decode()
    assert ("This change reaches back into 2 finalised periods: about 1,000.00 of arrears will "
            "be paid in the next run.") in page
    assert 'name="retro_confirmed" value="2:1000.00"' in page
    # when they confirm that very impact
    response = _post(client, paid, tax_months, retro_confirmed="2:1000.00")
    # then it is saved
    assert response.status_code == 302
    assert records.filter(effective_date=date(2025, 5, 6)).exists()


def test_a_confirmation_of_another_impact_warns_again(client, hr_admin, paid, tax_months):
    login(client, hr_admin)
    # the confirm step was for a smaller change (1 period, 500.00); the amount was edited since
    response = _post(client, paid, tax_months, retro_confirmed="1:500.00")
    assert response.status_code == 200
    assert b"about 1,000.00 of arrears" in response.content
    assert CompensationRecord.objects.filter(employee=paid).count() == 1


def test_back_dated_decrease_warns_of_a_recovery(client, hr_admin, paid, tax_months):
    login(client, hr_admin)
    # 30,000 from 6 May: 2 x (2,500.00 - 3,000.00) = -1,000.00
    response = _post(client, paid, tax_months, amount="30000")
    assert ("reaches back into 2 finalised periods: about 1,000.00 was overpaid and will be "
            "recovered in the next run once a Payroll Admin confirms it.") in (
        response.content.decode())
    assert CompensationRecord.objects.filter(employee=paid).count() == 1


def test_change_in_an_open_period_saves_without_a_warning(client, hr_admin, paid, tax_months):
    login(client, hr_admin)
    # month 4 (6 Jul - 5 Aug) is not finalised: the next run prorates it, no arrears
    response = _post(client, paid, tax_months, effective="2025-07-20")
    assert response.status_code == 302
    assert CompensationRecord.objects.filter(employee=paid).count() == 2


def test_invalid_change_is_an_error_not_a_warning(client, hr_admin, paid, tax_months):
    login(client, hr_admin)
    response = _post(client, paid, tax_months, effective="2020-01-01")  # before the hire date
    assert response.status_code == 400
    assert b"reaches back" not in response.content
    assert CompensationRecord.objects.filter(employee=paid).count() == 1


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_people_who_may_not_change_pay_get_no_preview(client, org, who, paid, tax_months):
    # given the report (their manager, themselves, a peer) with a pay record, and finalised
    # months in the payroll
    employee = org.report
    CompensationRecordFactory(employee=employee, pay_schedule=tax_months)
    login(client, org.users[who])
    # when they post a back-dated change
    response = _post(client, employee, tax_months, effective=str(employee.hire_date))
    # then refused, with no word about arrears, and nothing saved
    assert response.status_code in (403, 404)
    assert b"reaches back" not in response.content
    assert CompensationRecord.objects.filter(employee=employee).count() == 1


def test_without_a_registered_hook_there_is_no_impact(monkeypatch, paid, tax_months):
    # an HR-only deployment: nobody registered a preview
    monkeypatch.setattr("employees.hooks._pay_change_previews", [])
    from decimal import Decimal

    from employees.services.core import PayData

    pay = PayData(basis="salary", currency="GBP", annual_salary=Decimal("42000"))
    assert pay_change_impact(employee=paid, effective_date=date(2025, 5, 6), pay=pay) is None
    assert PayChangeImpact(2, Decimal("1000.00")).fingerprint == "2:1000.00"


@pytest.fixture
def flagged(paid, tax_months, pay_change, payroll_admin, django_capture_on_commit_callbacks):
    """A decrease back-dated into months 2 and 3; month 4 calculated with the recovery flag."""
    pay_change(paid, date(2025, 5, 6), "30000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    return run, run.payslips.get(employee=paid)


def _confirm_url(run, payslip):
    return reverse("payroll:retro_recovery_confirm", args=[run.pk, payslip.pk])


def test_payroll_admin_confirms_a_recovery_on_the_payslip_page(client, flagged,
                                                               second_payroll_admin):
    run, payslip = flagged
    login(client, second_payroll_admin)
    page = client.get(reverse("payroll:payslip_detail", args=[run.pk, payslip.pk]))
    assert b"Confirm recovery" in page.content
    response = client.post(_confirm_url(run, payslip), {"comment": "Agreed"})
    assert response.status_code == 302
    assert RetroRecovery.objects.filter(employee=payslip.employee).count() == 2
    assert RetroRecovery.objects.first().comment == "Agreed"


def test_hr_admin_may_not_confirm_a_recovery(client, flagged, hr_admin):
    run, payslip = flagged
    login(client, hr_admin)
    assert client.post(_confirm_url(run, payslip)).status_code == 403
    assert not RetroRecovery.objects.exists()


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_non_staff_do_not_see_the_confirm_page(client, flagged, org, who):
    run, payslip = flagged
    login(client, org.users[who])
    assert client.post(_confirm_url(run, payslip)).status_code == 404
    assert not RetroRecovery.objects.exists()


def test_confirming_needs_a_post(client, flagged, second_payroll_admin):
    run, payslip = flagged
    login(client, second_payroll_admin)
    assert client.get(_confirm_url(run, payslip)).status_code == 405


def test_variance_view_gives_retro_pay_as_the_reason(client, paid, tax_months, pay_change,
                                                    payroll_admin,
                                                    django_capture_on_commit_callbacks):
    # given a rise back-dated into months 2 and 3, month 4 calculated
    pay_change(paid, date(2025, 5, 6), "42000.00", schedule=tax_months)
    run = calculated_run(tax_months, 4, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=paid)
    login(client, payroll_admin)
    # when the payslip is reviewed
    page = client.get(reverse("payroll:payslip_detail", args=[run.pk, payslip.pk]))
    # then the reason is "Retro pay" and each arrears line is shown against no previous line
    html = page.content.decode()
    assert "Retro pay" in html
    assert "Arrears: salary 6 May \u2013 5 Jun" in html
    line = payslip.lines.filter(code="ARREARS").first()
    trace = client.get(reverse("payroll:line_trace", args=[line.pk])).content.decode()
    assert "should have been 3500.00 - paid 3000.00" in trace
