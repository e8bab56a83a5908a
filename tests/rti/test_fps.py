"""The FPS of a finalised run: figures to date are the sum of the year's finalised payslips
(conftest's table), starters and leavers, the NI blocks, and a problems list for bad data."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from audit.models import AuditEvent
from employees.models import Employee
from liabilities.models import Employer
from payroll.models import PaySchedule
from rti import govtalk
from rti import messages as M
from rti.models import RtiPerson, RtiSubmission
from rti.services import fps_prepare
from tests.factories.liabilities import finalised_payslips

from .conftest import REF, pay, person

pytestmark = pytest.mark.django_db
NS = {"g": govtalk.ENVELOPE_NS, "f": M.FPS_NS}


def _employees(submission) -> dict[str, etree._Element]:
    root = etree.fromstring(submission.message.encode())
    return {e.findtext("f:EmployeeDetails/f:Name/f:Sur", namespaces=NS): e
            for e in root.iterfind(".//f:Employee", NS)}


def _text(node, path: str) -> str | None:
    return node.findtext(path, namespaces=NS)


def test_month_2_fps_reports_the_years_payslips_to_date(rti_year, payroll_admin):
    # when
    submission, problems = fps_prepare(run=rti_year["runs"][1], acting_user=payroll_admin)
    # then
    assert problems == [] and submission.status == RtiSubmission.Status.DRAFT
    root = etree.fromstring(submission.message.encode())
    assert _text(root, "g:Header/g:MessageDetails/g:Class") == "HMRC-PAYE-RTI-FPS"
    assert _text(root, ".//f:EmpRefs/f:AORef") == "123PA00012345"
    assert _text(root, ".//f:IRheader/f:PeriodEnd") == "2027-04-05"  # the tax year's end
    people = _employees(submission)
    alice = people["Able"]
    # Alice: two months of 3000.00 / 390.40 (conftest)
    assert _text(alice, ".//f:FiguresToDate/f:TaxablePay") == "6000.00"
    assert _text(alice, ".//f:FiguresToDate/f:TotalTax") == "780.80"
    assert _text(alice, ".//f:Payment/f:TaxablePay") == "3000.00"
    assert _text(alice, ".//f:Payment/f:TaxDeductedOrRefunded") == "390.40"
    assert _text(alice, ".//f:Payment/f:MonthNo") == "2"  # paid 29 May: tax month 2
    assert _text(alice, ".//f:Payment/f:PayFreq") == "M1"
    assert _text(alice, ".//f:Payment/f:HoursWorked") == "E"  # no contracted hours known
    # Pay after statutory deductions: 3000.00 - 390.40 - 156.16
    assert _text(alice, ".//f:Payment/f:PayAfterStatDedns") == "2453.44"
    assert alice.find(".//f:Starter", NS) is None and alice.find(".//f:LeavingDate", NS) is None
    ni = alice.find(".//f:NIlettersAndValues", NS)
    # per month: 559 at the LEL, 1048 - 559 = 489 to the PT, 3000 - 1048 = 1952 to the UEL
    assert [_text(ni, f"f:{n}") for n in (
        "NIletter", "GrossEarningsForNICsInPd", "GrossEarningsForNICsYTD", "AtLELYTD",
        "LELtoPTYTD", "PTtoUELYTD", "TotalEmpNICInPd", "TotalEmpNICYTD", "EmpeeContribnsInPd",
        "EmpeeContribnsYTD")] == ["A", "3000.00", "6000.00", "1118.00", "978.00", "3904.00",
                                  "543.61", "1087.22", "156.16", "312.32"]
    # Bob: a starter (first payslip), no NINO but an address, Plan 2, 37.5 hours
    bob = people["Baker"]
    assert bob.find(".//f:NINO", NS) is None
    assert _text(bob, ".//f:Address/f:UKPostcode") == "LS1 4AB"
    assert _text(bob, ".//f:Starter/f:StartDate") == "2026-05-01"
    assert _text(bob, ".//f:Starter/f:StartDec") == "A"
    assert _text(bob, ".//f:Starter/f:StudentLoan") == "yes"
    assert _text(bob, ".//f:FiguresToDate/f:StudentLoansTD") == "61.00"
    assert bob.find(".//f:Payment/f:StudentLoanRecovered", NS).get("PlanType") == "02"
    assert _text(bob, ".//f:Payment/f:HoursWorked") == "D"
    # Carol left on 20 May: the leaving date goes on the FPS of her last pay
    carol = people["Cole"]
    assert _text(carol, ".//f:LeavingDate") == "2026-05-20"
    assert _text(carol, ".//f:FiguresToDate/f:TaxablePay") == "8000.00"
    assert govtalk.verify(submission.message.encode())
    assert submission.figures == {"employees": 3, "taxable_pay": "9500.00", "tax": "1271.20"}
    assert AuditEvent.objects.filter(object_type="rti.rtisubmission", action="create").exists()


def test_month_1_fps_has_alice_and_carol_without_leaving_date(rti_year, payroll_admin):
    submission, _problems = fps_prepare(run=rti_year["runs"][0], acting_user=payroll_admin)
    people = _employees(submission)
    assert set(people) == {"Able", "Cole"}
    assert _text(people["Able"], ".//f:FiguresToDate/f:TaxablePay") == "3000.00"
    assert people["Cole"].find(".//f:LeavingDate", NS) is None
    # hired in 2024 and paid before: no starter block even on the year's first FPS
    assert people["Able"].find(".//f:Starter", NS) is None


def test_preparing_again_is_idempotent_and_a_sent_fps_is_never_rebuilt(rti_year, payroll_admin):
    run = rti_year["runs"][1]
    first, _ = fps_prepare(run=run, acting_user=payroll_admin)
    again, _ = fps_prepare(run=run, acting_user=payroll_admin)
    assert (again.pk, again.irmark, again.prepared_at) == (first.pk, first.irmark,
                                                            first.prepared_at)
    RtiSubmission.objects.filter(pk=first.pk).update(status=RtiSubmission.Status.SUBMITTED)
    Employee.objects.filter(pk=rti_year["alice"].pk).update(legal_last_name="Changed")
    sent, _ = fps_prepare(run=run, acting_user=payroll_admin)
    assert sent.message == first.message


def test_bad_data_is_a_row_level_problem_list_and_nothing_is_written(rti_year, payroll_admin):
    # given Bob without NINO loses his address, Alice her date of birth, Carol her gender
    Employee.objects.filter(pk=rti_year["bob"].pk).update(address_line1="", postal_code="")
    Employee.objects.filter(pk=rti_year["alice"].pk).update(date_of_birth=None)
    RtiPerson.objects.filter(employee=rti_year["carol"]).delete()
    # when
    submission, problems = fps_prepare(run=rti_year["runs"][1], acting_user=payroll_admin)
    # then
    assert submission is None and not RtiSubmission.objects.exists()
    found = {(p.employee_name, p.message.split(":")[0].split(" (")[0]) for p in problems}
    assert found == {("Bob Baker", "No National Insurance number and no address"),
                     ("Alice Able", "No date of birth."),
                     ("Carol Cole", "No gender recorded for HMRC")}
    urls = {p.code: p.fix_url for p in problems}
    assert urls["gender"].startswith(f"/payroll/rti/person/{rti_year['carol'].pk}/?run=")
    assert urls["birth_date"] == f"/employees/{rti_year['alice'].pk}/"


def test_no_accounts_office_reference_or_paye_reference_names_what_to_fill(rti_year,
                                                                           payroll_admin):
    Employer.objects.filter(reference=REF).update(accounts_office_reference="")
    _s, problems = fps_prepare(run=rti_year["runs"][1], acting_user=payroll_admin)
    assert len(problems) == 1 and "Accounts Office reference" in problems[0].message
    PaySchedule.objects.filter(pk=rti_year["schedule"].pk).update(employer_paye_reference="")
    rti_year["runs"][1].schedule.refresh_from_db()
    _s, problems = fps_prepare(run=rti_year["runs"][1], acting_user=payroll_admin)
    assert "no employer PAYE reference" in problems[0].message


def test_only_finalised_uk_runs_have_an_fps(rti_year, payroll_admin, hr_admin):
    draft = finalised_payslips(rti_year["schedule"], date(2026, 6, 30), [], status="approved",
                               period=(date(2026, 6, 1), date(2026, 6, 30)))
    with pytest.raises(ValidationError, match="once the run is finalised"):
        fps_prepare(run=draft, acting_user=payroll_admin)
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        fps_prepare(run=rti_year["runs"][0], acting_user=hr_admin)


def test_a_run_outside_2026_27_is_refused_with_the_reason(employer, payroll_admin):
    alice = person("Alice", "Able", nino="AB123456C")
    run = finalised_payslips(employer, date(2026, 3, 31), [
        {"employee": alice, **pay("3000.00", "390.40", "156.16", "387.45")}],
        period=(date(2026, 3, 1), date(2026, 3, 31)))
    _s, problems = fps_prepare(run=run, acting_user=payroll_admin)
    assert "this run is paid in 2025-26" in problems[0].message


def _queries(django_assert_max_num_queries, employer, payroll_admin, n):
    people = [person(f"P{i}", f"Person{i:03d}", nino=f"AB{i:06d}C") for i in range(n)]
    run = finalised_payslips(employer, date(2026, 4, 30), [
        {"employee": p, **pay("3000.00", "390.40", "156.16", "387.45")} for p in people],
        period=(date(2026, 4, 1), date(2026, 4, 30)))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as captured:
        fps_prepare(run=run, acting_user=payroll_admin)
    return len(captured)


def test_preparing_does_not_grow_with_headcount(employer, payroll_admin,
                                                django_assert_max_num_queries):
    # 3 people, then 12 more on a second employer's run: the same number of queries
    small = _queries(django_assert_max_num_queries, employer, payroll_admin, 3)
    other = PaySchedule.objects.create(name="Second", frequency="monthly", country="GB",
                                       currency="GBP", first_period_start=date(2026, 1, 1),
                                       employer_paye_reference="456/CD12345")
    Employer.objects.create(country="GB", reference="456/CD12345",
                            accounts_office_reference="456PA00012345")
    large = _queries(django_assert_max_num_queries, other, payroll_admin, 12)
    assert large <= small  # the first call also fills the role cache of the user
    # schedule, employer refs, payslips, employees, profiles, genders, hours, pension codes,
    # schedules of the reference, the year's payslips, their pension lines, earlier payslips,
    # this run's lines, the existing submission; then the lock/insert and the audit row
    assert small <= 22


def test_net_pay_and_relief_at_source_pension_contributions(employer, payroll_admin):
    from decimal import Decimal

    from pensions.models import PensionScheme
    from pensions.services.schemes import scheme_save

    # given a net pay scheme and a relief-at-source one, 150.00 and 80.00 a month
    schemes = [scheme_save(scheme=PensionScheme(
        name=name, provider_name="Example Trust", scheme_reference=name, employer_reference="E",
        duties_start_date=date(2023, 6, 1), relief=relief, employee_percent=Decimal("5"),
        employer_percent=Decimal("3")), acting_user=payroll_admin, schedules=[employer])
        for name, relief in (("Net", "net_pay"), ("RAS", "ras"))]
    net, ras = (s.employee_component.code for s in schemes)
    alice = person("Alice", "Able", nino="AB123456C")
    runs = []
    for month in (4, 5):
        slip = pay("2850.00", "360.40", "156.16", "387.45")
        slip["lines"] |= {net: ("pre_tax_deduction", "150.00"), ras: ("post_tax_deduction",
                                                                      "80.00")}
        runs.append(finalised_payslips(employer, date(2026, month, 28), [
            {"employee": alice, **slip}], period=(date(2026, month, 1), date(2026, month, 28))))
    # when
    submission, _ = fps_prepare(run=runs[1], acting_user=payroll_admin)
    # then: net pay contributions are "paid", relief at source ones "not paid under net pay"
    alice_node = _employees(submission)["Able"]
    assert _text(alice_node, ".//f:FiguresToDate/f:EmpeePenContribnsPaidYTD") == "300.00"
    assert _text(alice_node, ".//f:FiguresToDate/f:EmpeePenContribnsNotPaidYTD") == "160.00"
    assert _text(alice_node, ".//f:Payment/f:EmpeePenContribnsPaid") == "150.00"
    assert _text(alice_node, ".//f:Payment/f:EmpeePenContribnsNotPaid") == "80.00"
    assert alice_node.find(".//f:Payment/f:DednsFromNetPay", NS) is None  # only the RAS one


def test_fortnightly_pay_reports_the_last_tax_week_of_the_period(db, payroll_admin):
    schedule = PaySchedule.objects.create(
        name="Fortnightly", frequency="fortnightly", country="GB", currency="GBP",
        first_period_start=date(2026, 4, 6), employer_paye_reference=REF)
    Employer.objects.create(country="GB", reference=REF, accounts_office_reference="123PA00012345")
    alice = person("Alice", "Able", nino="AB123456C")
    # paid Friday 15 May 2026: tax week 6 (week 1 starts 6 April), fortnight 3 ends week 6
    run = finalised_payslips(schedule, date(2026, 5, 15), [
        {"employee": alice, **pay("1500.00", "195.20", "78.08", "193.73")}],
        period=(date(2026, 5, 4), date(2026, 5, 17)))
    submission, problems = fps_prepare(run=run, acting_user=payroll_admin)
    payment = _employees(submission)["Able"].find(".//f:Payment", NS)
    assert problems == [] and _text(payment, "f:PayFreq") == "W2"
    assert _text(payment, "f:WeekNo") == "6" and payment.find("f:MonthNo", NS) is None


def test_an_off_cycle_run_is_a_one_off_payment_and_a_correction_has_no_fps(rti_year,
                                                                           payroll_admin):
    # given a bonus paid off-cycle on 15 May 2026 (tax month 2) to Alice
    from decimal import Decimal

    from payroll.models import PayRun, Payslip

    month2 = rti_year["runs"][1]
    bonus = PayRun.objects.create(schedule=month2.schedule, period=month2.period,
                                  kind=PayRun.Kind.OFF_CYCLE, status=PayRun.Status.APPROVED,
                                  pay_date=date(2026, 5, 15), currency="GBP")
    slip = pay("500.00", "100.00", "40.00", "75.00")
    Payslip.objects.create(
        run=bonus, employee=rti_year["alice"], currency="GBP", tax_year="2026-27",
        gross=Decimal("500.00"), total_pre_tax=0, total_employee_tax=Decimal("140.00"),
        total_post_tax=0, net=Decimal("360.00"), employer_cost=Decimal("575.00"),
        ytd_increments=slip["increments"], inputs_hash="t")
    PayRun.objects.filter(pk=bonus.pk).update(status=PayRun.Status.FINALISED)
    bonus.refresh_from_db()
    # when
    submission, problems = fps_prepare(run=bonus, acting_user=payroll_admin)
    # then: IO (one-off); the year to date is month 1 (3000.00) and the bonus (500.00) only,
    # as the regular month 2 run (29 May) is paid after it
    alice = _employees(submission)["Able"]
    assert problems == [] and _text(alice, ".//f:Payment/f:PayFreq") == "IO"
    assert _text(alice, ".//f:FiguresToDate/f:TaxablePay") == "3500.00"
    PayRun.objects.filter(pk=bonus.pk).update(kind=PayRun.Kind.CORRECTION)
    bonus.refresh_from_db()
    with pytest.raises(ValidationError, match="correction run has no FPS"):
        fps_prepare(run=bonus, acting_user=payroll_admin)
