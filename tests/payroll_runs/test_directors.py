"""Company directors' NI in pay runs: director details from the tax profile, the director's
year-to-date from finalised payslips (loaded with everyone else's), and the pay setup form.

2025-26 figures: annual PT 12,570, ST 5,000; monthly PT 1,048, ST 417; category A.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from payroll.models import Payslip, PayslipLine, TaxProfile
from payroll.services.calculation import prepare, uk_director
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, finalised_run, login
from tests.payroll_runs.test_setup_views import _uk_post

pytestmark = pytest.mark.django_db


def _ni(run, employee) -> tuple[Decimal, Decimal]:
    lines = dict(PayslipLine.objects.filter(
        payslip__run=run, payslip__employee=employee, code__in=("NI_EE", "NI_ER")
    ).values_list("code", "amount"))
    return lines["NI_EE"], lines["NI_ER"]


def test_director_ni_over_two_months_follows_the_year_to_date(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given a director and an ordinary employee, each on 48,000 a year (4,000 a month)
    director = paid_employee(uk_schedule, salary="48000.00")
    TaxProfile.objects.filter(employee=director).update(is_director=True)
    staff = paid_employee(uk_schedule, salary="48000.00")
    # when month 1 is paid and finalised
    first = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                          django_capture_on_commit_callbacks)
    # then the director pays nothing yet: cumulative 4,000 is below the annual ST 5,000 and
    # PT 12,570; the employee pays 8% x (4,000 - 1,048) = 236.16 and 15% x (4,000 - 417) = 537.45
    assert _ni(first, director) == (Decimal("0.00"), Decimal("0.00"))
    assert _ni(first, staff) == (Decimal("236.16"), Decimal("537.45"))
    # when month 2 is calculated (month 1 finalised, so in the year to date)
    second = calculated_run(uk_schedule, 2, payroll_admin, django_capture_on_commit_callbacks)
    # then cumulative 8,000: still no employee NI; employer 15% x (8,000 - 5,000) = 450.00
    assert _ni(second, director) == (Decimal("0.00"), Decimal("450.00"))
    assert _ni(second, staff) == (Decimal("236.16"), Decimal("537.45"))
    payslip = Payslip.objects.get(run=second, employee=director)
    assert payslip.ytd["uk_director_ni_pay"] == "8000.00"
    assert payslip.ytd["uk_director_employer_ni"] == "450.00"
    assert "uk_director_ni_pay" not in Payslip.objects.get(run=second, employee=staff).ytd
    trace = PayslipLine.objects.get(payslip=payslip, code="NI_ER").trace
    assert trace["director"]["paid_to_date"] == "0.00"
    assert trace["table"]["ST"] == "5,000.00"


def test_director_inputs_add_no_queries(uk_schedule, payroll_admin,
                                        django_capture_on_commit_callbacks,
                                        django_assert_num_queries):
    # given a run and two employees, one a director
    employees = [paid_employee(uk_schedule), paid_employee(uk_schedule)]
    TaxProfile.objects.filter(employee=employees[0]).update(is_director=True)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    ids = [e.pk for e in employees]
    # when / then: run period and schedule, employees, compensation, recurring items, run
    # inputs, unpaid leave, tax profiles, year to date, the other payments of the tax period,
    # contracted weekly hours, the time-off app's statutory absences (none): 12 queries whoever
    # is a director (the director's year to date comes from the same payslip query as everyone's)
    with django_assert_num_queries(12):
        prepared = prepare(run, ids)
    by_id = {p.employee.pk: p for p in prepared}
    assert by_id[employees[0].pk].inputs.uk_tax.director is not None
    assert by_id[employees[1].pk].inputs.uk_tax.director is None


def _profile(**fields) -> TaxProfile:
    return TaxProfile(jurisdiction="UK", is_director=True, **fields)


def test_director_details_for_a_payment():
    pay_day = date(2025, 11, 28)
    # a director since before the tax year: the full annual earnings period
    d = uk_director(_profile(director_appointed_on=date(2024, 6, 1)), pay_date=pay_day,
                    frequency="monthly", period_number=8, leaving=False)
    assert (d.method, d.appointed_week, d.final_period) == ("annual", None, False)
    # appointed on 20 October 2025: (20 Oct - 6 Apr) = 197 days -> tax week 29 (24 weeks)
    d = uk_director(_profile(director_appointed_on=date(2025, 10, 20)), pay_date=pay_day,
                    frequency="monthly", period_number=8, leaving=False)
    assert d.appointed_week == 29
    # appointed after the pay day: not yet a director for this payment
    assert uk_director(_profile(director_appointed_on=date(2025, 12, 1)), pay_date=pay_day,
                       frequency="monthly", period_number=8, leaving=False) is None
    assert uk_director(TaxProfile(jurisdiction="UK"), pay_date=pay_day, frequency="monthly",
                       period_number=8, leaving=False) is None
    # alternative arrangements: final in the year's last period or a leaver's last pay
    alt = _profile(director_method="alternative")
    assert uk_director(alt, pay_date=date(2026, 3, 27), frequency="monthly", period_number=12,
                       leaving=False).final_period
    assert uk_director(alt, pay_date=pay_day, frequency="monthly", period_number=8,
                       leaving=True).final_period
    assert uk_director(alt, pay_date=date(2026, 3, 27), frequency="weekly", period_number=52,
                       leaving=False).final_period


def test_alternative_director_is_trued_up_in_the_final_run(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given a director on alternative arrangements, 4,000 a month, months 1-11 finalised
    director = paid_employee(uk_schedule, salary="48000.00")
    TaxProfile.objects.filter(employee=director).update(is_director=True,
                                                        director_method="alternative")
    for number in range(1, 12):
        run = finalised_run(uk_schedule, number, payroll_admin, second_payroll_admin,
                            django_capture_on_commit_callbacks)
        # per period: 8% x (4,000 - 1,048) = 236.16; 15% x (4,000 - 417) = 537.45
        assert _ni(run, director) == (Decimal("236.16"), Decimal("537.45"))
    # when month 12 (the last of the tax year) is calculated
    last = calculated_run(uk_schedule, 12, payroll_admin, django_capture_on_commit_callbacks)
    # then annual recalculation: 8% x (48,000 - 12,570) = 2,834.40 - 2,597.76 paid = 236.64;
    # 15% x (48,000 - 5,000) = 6,450.00 - 5,911.95 paid = 538.05
    assert _ni(last, director) == (Decimal("236.64"), Decimal("538.05"))


def test_setup_form_saves_director_details(client, org, payroll_admin):
    login(client, payroll_admin)
    url = reverse("payroll:tax_profile_save", args=[org.report.pk, "UK"])
    page = client.get(reverse("payroll:employee_setup", args=[org.report.pk]))
    assert b'name="UK-is_director"' in page.content
    assert b'name="UK-director_method"' in page.content
    assert b'name="UK-director_appointed_on"' in page.content
    # an appointment date without being a director is refused
    bad = client.post(url, _uk_post(director_appointed_on="2025-10-20"))
    assert bad.status_code == 400
    assert not TaxProfile.objects.exists()
    good = client.post(url, _uk_post(is_director="on", director_method="alternative",
                                     director_appointed_on="2025-10-20"))
    assert good.status_code == 302
    profile = TaxProfile.objects.get(employee=org.report, jurisdiction="UK")
    assert (profile.is_director, profile.director_method, profile.director_appointed_on) == (
        True, "alternative", date(2025, 10, 20))
    bad_method = client.post(url, _uk_post(is_director="on", director_method="monthly"))
    assert bad_method.status_code == 400


def test_us_profile_is_never_a_director(client, org, payroll_admin):
    login(client, payroll_admin)
    url = reverse("payroll:tax_profile_save", args=[org.report.pk, "US"])
    data = {k.replace("UK-", "US-"): v for k, v in _uk_post(is_director="on").items()}
    assert client.post(url, data).status_code == 302
    assert TaxProfile.objects.get(employee=org.report, jurisdiction="US").is_director is False
