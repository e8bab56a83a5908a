"""What a UK or US employee expects on a payslip, from real finalised runs: the employer and its
tax reference, the tax setup used, a year-to-date figure on every line, a salary line whose
quantity and rate mean something; and payslip lists grouped by tax year."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from payroll.models import PayRun, Payslip, TaxProfile
from payroll.pdf import PAYSLIP_UA_CSS
from payroll.services import payslips as service
from payroll.services.employer import EmployerDetails, schedule_employer_update
from payroll.services.periods import periods_generate
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.payroll_outputs import finalised_run as built_run
from tests.factories.payroll_runs import USBiweeklyScheduleFactory, paid_employee
from tests.payroll_runs.helpers import finalised_run

LINE_ROW = re.compile(
    r"<tr><td>([A-Z_]+)</td><td>[^<]*</td>((?:<td class=\"n\">[^<]*</td>){4})</tr>")


def _html(payslip: Payslip) -> str:
    payslip = Payslip.objects.select_related(
        "run__period", "run__schedule", "employee__department").get(pk=payslip.pk)
    return service.payslip_html(service.payslip_document(payslip))


def _line_cells(html: str) -> dict[str, list[str]]:
    """code -> [quantity, rate, amount, year to date] as printed."""
    return {code: re.findall(r"<td class=\"n\">([^<]*)</td>", cells)
            for code, cells in LINE_ROW.findall(html)}


@pytest.fixture
def uk_employer(uk_schedule, payroll_admin):
    return schedule_employer_update(schedule=uk_schedule, acting_user=payroll_admin,
                                    data=EmployerDetails(
                                        employer_legal_name="Acme Widgets Ltd",
                                        employer_address="1 High Street\nLeeds\nLS1 1AA",
                                        employer_paye_reference="123/ab45678"))


def test_uk_payslip_shows_tax_code_basis_period_ni_and_the_employer_paye_reference(
        uk_employer, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given an employee paid in tax months 7 and 8 of 2025-26 (Oct and Nov 2025)
    employee = paid_employee(uk_employer, national_id="QQ123456C", national_id_last4="456C")
    for number in (7, 8):
        run = finalised_run(uk_employer, number, payroll_admin, second_payroll_admin,
                            django_capture_on_commit_callbacks)
    # when month 8's payslip is printed
    html = _html(run.payslips.get(employee=employee))
    # then
    assert ("<p>Tax code: 1257L · Tax basis: cumulative · Tax period: Month 8 · "
            "NI number: •••• 456C · NI category: A</p>") in html
    assert ("<p>Employer: Acme Widgets Ltd, 1 High Street, Leeds, LS1 1AA · "
            "Employer PAYE reference 123/AB45678</p>") in html
    assert "QQ123456C" not in html
    cells = _line_cells(html)
    # salary: 36,000 / 12 = 3,000.00 for the month, shown 1 x 3,000 (not 31 days x 3,000);
    # year to date: months 7 and 8 = 6,000.00
    assert cells["SALARY"] == ["1", "3000", "3,000.00", "6,000.00"]
    month7 = Payslip.objects.get(run__period__number=7, employee=employee)
    month8 = run.payslips.get(employee=employee)
    paye = sum(x.amount for p in (month7, month8) for x in p.lines.all() if x.code == "PAYE")
    assert cells["PAYE"][3] == f"{paye:,.2f}"
    assert Decimal(month8.ytd["uk_tax_paid"]) == paye  # agrees with the payslip's own YTD


def test_uk_week1_month1_basis_is_printed(uk_employer, payroll_admin, second_payroll_admin,
                                          django_capture_on_commit_callbacks):
    employee = paid_employee(uk_employer)
    TaxProfile.objects.filter(employee=employee).update(tax_code="BR", week1_month1=True)
    run = finalised_run(uk_employer, 3, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    html = _html(run.payslips.get(employee=employee))
    assert "Tax code: BR · Tax basis: week 1 / month 1 · Tax period: Month 3" in html


@pytest.fixture
def us_schedule(db, payroll_admin):
    schedule = USBiweeklyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    schedule_employer_update(schedule=schedule, acting_user=payroll_admin, data=EmployerDetails(
        employer_legal_name="Acme Widgets Inc", employer_ein="123456789",
        employer_address="1 Main Street\nSpringfield, IL 62701"))
    return schedule


def test_us_payslip_shows_employer_ein_address_w4_and_a_ytd_on_every_line(
        us_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given a W-4 married filing jointly with Step 2 checked, paid in periods 1 and 2 of 2026
    employee = paid_employee(us_schedule, salary="52000.00")
    TaxProfile.objects.filter(employee=employee).update(
        filing_status="married_filing_jointly", step2_checkbox=True,
        step4c_extra_withholding=Decimal("25.00"))
    for number in (1, 2):
        run = finalised_run(us_schedule, number, payroll_admin, second_payroll_admin,
                            django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=employee)
    # when
    html = _html(payslip)
    # then
    assert ("<p>Employer: Acme Widgets Inc, 1 Main Street, Springfield, IL 62701 · "
            "EIN 12-3456789</p>") in html
    assert ("<p>Withholding: Form W-4 (2020 or later): Married filing jointly; Step 2 "
            "checked; Step 3 0.00; 4(a) 0.00; 4(b) 0.00; 4(c) 25.00</p>") in html
    cells = _line_cells(html)
    assert set(cells) == {x.code for x in payslip.lines.all()}
    # every line has a year to date: twice this period's amount (two equal biweekly periods)
    for code, (_, _, amount, ytd) in cells.items():
        assert ytd, code
        assert Decimal(ytd.replace(",", "")) == 2 * Decimal(amount.replace(",", "")), code
    # 52,000 / 26 = 2,000.00 a period, shown as 1 x 2,000
    assert cells["SALARY"][:3] == ["1", "2000", "2,000.00"]


def test_a_part_period_salary_line_is_days_paid_times_the_day_rate(
        uk_schedule, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # given someone hired on 11 October 2025: 21 of October's 31 days
    employee = paid_employee(uk_schedule, hire=date(2025, 10, 11))
    run = finalised_run(uk_schedule, 7, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    line = run.payslips.get(employee=employee).lines.get(code="SALARY")
    # then 3,000 / 31 = 96.774194 a day (6 places, half up) x 21 = 2,032.26 (rounded once)
    assert line.quantity == 21 and line.rate == Decimal("96.774194")
    assert line.amount == Decimal("2032.26")
    assert line.description == "Salary 2025-10-11 to 2025-10-31 (21 of 31 days)"


def test_the_payslip_keeps_the_employer_details_in_force_at_finalisation(
        uk_employer, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    employee = paid_employee(uk_employer)
    run = finalised_run(uk_employer, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=employee)
    before = service.render_pdf(_html(payslip))
    # when the schedule's employer changes afterwards
    schedule_employer_update(schedule=uk_employer, acting_user=payroll_admin,
                             data=EmployerDetails(employer_legal_name="Other Ltd"))
    # then the printed payslip is the same, to the byte
    html = _html(payslip)
    assert "Other Ltd" not in html and "123/AB45678" in html
    assert service.render_pdf(html) == before


def test_the_user_agent_sheet_styles_every_element_of_a_full_payslip(
        uk_employer, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.seen = set()

        def handle_starttag(self, tag, attrs):
            self.seen.add(tag)

    employee = paid_employee(uk_employer, national_id_last4="456C")
    run = finalised_run(uk_employer, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    parser = Tags()
    parser.feed(_html(run.payslips.get(employee=employee)))
    styled = set(re.findall(r"[a-z0-9]+(?=[^{}]*\{)", re.sub(r"\{[^}]*\}", "{}", PAYSLIP_UA_CSS)))
    assert parser.seen and parser.seen <= styled, parser.seen - styled


def test_uk_payslip_lists_are_grouped_by_tax_year_not_calendar_year(paid_people, client,
                                                                    hr_admin, login):
    # given payslips paid 27 Apr 2026 (2026-27), 3 Apr 2026 and 27 Mar 2026 (both 2025-26)
    employee = paid_people[0]
    runs = [built_run([employee]) for _ in range(3)]
    for run, paid_on, tax_year in zip(runs, (date(2026, 4, 27), date(2026, 4, 3),
                                             date(2026, 3, 27)),
                                      ("2026-27", "2025-26", "2025-26"), strict=True):
        PayRun.objects.filter(pk=run.pk).update(pay_date=paid_on)
        Payslip.objects.filter(run=run).update(tax_year=tax_year)
    # when the employee and HR look at them
    mine = login(employee.user).get(reverse("payroll:my_payslips")).content.decode()
    hrs = login(hr_admin).get(reverse("payroll:employee_payslips", args=[employee.pk]))
    # then two tax years, newest first, with 3 April 2026 in 2025-26
    for page in (mine, hrs.content.decode()):
        headings = re.findall(r"<h2>(Tax year [^<]*)</h2>", page)
        assert headings == ["Tax year 2026-27 (6 April 2026 to 5 April 2027)",
                            "Tax year 2025-26 (6 April 2025 to 5 April 2026)"]
        older = page.split("Tax year 2025-26")[1]
        assert "3 Apr 2026" in older and "27 Mar 2026" in older and "27 Apr 2026" not in older


def test_us_payslip_lists_are_grouped_by_calendar_year(hr_admin, login):
    employee = EmployeeFactory(user=UserFactory(email="us@example.test", roles=["employee"]))
    run = built_run([employee], currency="USD", country="US")
    Payslip.objects.filter(run=run).update(tax_year="2026")
    page = login(employee.user).get(reverse("payroll:my_payslips")).content.decode()
    assert "<h2>2026</h2>" in page


@pytest.mark.parametrize("people", [2, 5])
def test_what_finalisation_records_takes_a_fixed_number_of_queries(
        uk_employer, payroll_admin, django_capture_on_commit_callbacks,
        django_assert_num_queries, people):
    from payroll.services.issue import issue_details
    from tests.payroll_runs.helpers import calculated_run

    for _ in range(people):
        paid_employee(uk_employer)
    run = PayRun.objects.select_related("schedule", "period").get(
        pk=calculated_run(uk_employer, 1, payroll_admin, django_capture_on_commit_callbacks).pk)
    targets = [Payslip(pk=pk) for pk in run.payslips.values_list("pk", flat=True)]
    # payslips, line amounts, PAYE/NI traces, bank accounts, tax profiles, prior line YTD
    with django_assert_num_queries(6):
        issue_details(run, targets)
    assert all(t.payment_method == "bank" and t.issued_details["line_ytd"] for t in targets)
