"""The "Taxes to pay" pages: who sees them, the P32 download, marking paid, the home card."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from liabilities.models import LiabilityPayment
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.liabilities import employer_schedule, finalised_payslips, uk_lines
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
PAGE = reverse("liabilities:employer", args=["gb", "123_AB45678"])
PAY = reverse("liabilities:pay", args=["gb", "123_AB45678"])


@pytest.fixture
def month(db):
    schedule = employer_schedule()
    finalised_payslips(schedule, date(2026, 10, 30), [
        {"employee": EmployeeFactory(), "lines": uk_lines("400.00", "200.00", "300.00")}])


@pytest.fixture
def as_user(client):
    def _login(user):
        enrol_totp(user)
        client.force_login(user)
        return client
    return _login


def test_payroll_admin_sees_the_p32_and_can_mark_paid(month, as_user, payroll_admin):
    page = as_user(payroll_admin).get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "900.00" in body and 'id="record-payment"' in body
    # tax month 7 (6 Oct - 5 Nov 2026): 22 Nov is a Sunday, so Friday 20 Nov
    assert "20 Nov 2026" in body
    assert "you may pay HMRC quarterly" in body  # 900 a month is under 1,500


def test_hr_admin_reads_but_cannot_record(month, as_user, hr_admin):
    client = as_user(hr_admin)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'id="record-payment"' not in page.content.decode()
    response = client.post(PAY, {"payment_key": "paye|2026-27:M07", "amount": "1.00",
                                 "paid_on": "2026-11-20"})
    assert response.status_code == 403 and not LiabilityPayment.objects.exists()


@pytest.mark.parametrize("roles", [[Role.HR_STAFF, Role.PAYROLL_VIEWER], [Role.EMPLOYEE],
                                   [Role.MANAGER, Role.EMPLOYEE]])
def test_nobody_else_sees_employer_taxes(month, client, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("liabilities:index")).status_code == 403


def test_p32_csv_download_has_the_month(month, as_user, payroll_admin):
    client = as_user(payroll_admin)
    response = client.get(reverse("liabilities:p32", args=["gb", "123_AB45678", "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Period" and rows[1][0] == "2026-27 month 7"
    assert rows[1][rows[0].index("Amount due")] == "900.00"
    xlsx = client.get(reverse("liabilities:p32", args=["gb", "123_AB45678", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_marking_paid_partly_then_fully_and_bad_input_is_a_form_error(month, as_user,
                                                                     payroll_admin):
    client = as_user(payroll_admin)
    data = {"payment_key": "paye|2026-27:M07", "paid_on": "2026-11-20", "reference": "X1"}
    assert client.post(PAY, {**data, "amount": "100.00"}).status_code == 302
    too_much = client.post(PAY, {**data, "amount": "800.01"})
    assert too_much.status_code == 422 and "800.00 left" in too_much.content.decode()
    assert client.post(PAY, {**data, "amount": "abc"}).status_code == 422
    assert client.post(PAY, {**data, "amount": "800.00"}).status_code == 302
    assert sum(p.amount for p in LiabilityPayment.objects.all()) == 900


def test_settings_are_saved_and_bad_tax_years_refused(month, as_user, payroll_admin):
    client = as_user(payroll_admin)
    url = reverse("liabilities:settings", args=["gb", "123_AB45678"])
    assert client.post(url, {"employment_allowance_years": "2026-28"}).status_code == 422
    assert client.post(url, {"employment_allowance_years": "2026-27"}).status_code == 302
    # employer NI 300 is all covered by the allowance: 600.00 due
    assert "600.00" in client.get(PAGE).content.decode()


def test_overdue_payment_shows_on_the_home_page(month, as_user, payroll_admin):
    body = as_user(payroll_admin).get(reverse("home")).content.decode()
    assert "Overdue tax payments" in body and "2026-27 month 7" in body


def test_us_page_shows_deposits_and_forms_941_and_940(as_user, payroll_admin):
    from tests.factories.liabilities import us_lines

    schedule = employer_schedule(country="US")
    finalised_payslips(schedule, date(2026, 11, 27), [
        {"employee": EmployeeFactory(), "lines": us_lines(), "gross": "3000.00",
         "increments": {"us_income_tax_wages": "3000.00", "us_fica_wages": "3000.00"}}])
    page = as_user(payroll_admin).get(
        reverse("liabilities:employer", args=["us", "12-3456789"]), {"year": "2026",
                                                                     "quarter": "x"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Form 941, 2026 quarter 4" in body and "Form 940 (FUTA), 2026" in body
    assert "759.00" in body and "Tue 15 Dec 2026" in body  # the monthly deposit
    assert "<dd>18.00</dd>" in body  # FUTA line 8: 0.6% of 3,000
