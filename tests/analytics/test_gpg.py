"""The UK gender pay gap from the database: who is relevant, full-pay, their ordinary and bonus
pay, hours; the page, the audit sheet, HR Admin's gender record and permissions.

Snapshot 5 April 2026 (SI 2017/172 reg. 1(2)); relevant pay period: the April 2026 monthly
period, 1-30 April (30 days, reg. 5). Hand-computed hourly rates (reg. 6: x 7 / 30 / hours):
  M1 man (HR record): salary 3,000 (+ overtime 500, excluded), 37.5 h: 3,000 x 7/30/37.5 = 18.6667
  M2 man (self-identified male): salary 2,500 + annual bonus 1,200 paid in April, pro rata
     1,200 / 365 x 30 = 98.6301: 2,598.6301 x 7/30/37.5 = 16.1693
  W1 woman, part-time: salary 1,500, working pattern 3 x 7.5 = 22.5 h: 15.5556
  W2 woman: salary 1,000 with unpaid leave 10-20 April: reduced pay for leave, left out
  W3 woman, hourly: 80 h x 15.00 = 1,200, no contracted hours: 80 x 7/30 h a week -> 15.0000
  M3 man: no payslip for April; X: no gender recorded; a leaver and a US worker: not relevant.
Men mean (18.6667 + 16.1693) / 2 = 17.4180, women (15.5556 + 15) / 2 = 15.2778:
(17.4180 - 15.2778) / 17.4180 = 12.287..% -> 12.3 (medians of two are the means: 12.3).
Bonus in the 12 months 6 Apr 2025 - 5 Apr 2026: M1 2,000 (Dec 2025; his 5 Apr 2025 bonus is
outside), W2 600 (Dec 2025); M2's April bonus is paid 30 April, after the snapshot: not counted.
Mean and median bonus gap (2,000 - 600) / 2,000 = 70.0; men with a bonus 1/3 = 33.3, women 33.3.
Quarters of the 4 full-pay people, one each: W3, W1, M2, M1.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from analytics.gpg import pay_gap_gender_set, pay_gap_report
from analytics.gpg_rules import NO_PAYSLIP, NOT_MAN_OR_WOMAN, ON_LEAVE
from analytics.models import PayGapGender, SelfIdentification
from audit.models import AuditEvent
from employees.models import JobRecord
from payroll.models import PayComponent, PayRun, UnpaidLeave
from tests.factories import UserFactory
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.factories.gender_pay import paid_period, salary
from tests.mfa import enrol_totp
from timeoff.models import WorkingPattern

pytestmark = pytest.mark.django_db
APRIL = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}
D = Decimal


def _gender(employee, gender):
    PayGapGender.objects.create(employee=employee, gender=gender)


@pytest.fixture
def gb(db):
    dept, london, title = DepartmentFactory(), LocationFactory(country="GB"), JobTitleFactory()

    def hire(gender=None, hours=None, **kw):
        e = person(hire=date(2024, 1, 8), department=dept, location=london, title=title,
                   today=date(2026, 4, 5), **kw)
        if gender:
            _gender(e, gender)
        if hours:
            JobRecord.objects.filter(employee=e).update(weekly_hours=D(hours))
        return e
    return hire


@pytest.fixture
def company(gb):
    PayComponent.objects.create(code="ANNUAL_BONUS", name="Annual bonus", kind="earning",
                                gender_pay_class="bonus", bonus_period_days=365)
    m1, m2, m3 = gb("man", "37.5"), gb(hours="37.5"), gb("man", "37.5")
    SelfIdentification.objects.create(employee=m2, sex="male", race_ethnicity="white")
    w1, w2, w3, x = gb("woman"), gb("woman", "37.5"), gb("woman"), gb(hours="37.5")
    WorkingPattern.objects.create(employee=w1, effective_from=date(2024, 1, 8),
                                  weekday_hours=["7.5", "7.5", "7.5", "0", "0", "0", "0"])
    UnpaidLeave.objects.create(employee=w2, first_day=date(2026, 4, 10),
                               last_day=date(2026, 4, 20))
    gone = gb("man", "37.5", end=date(2026, 3, 31), reason="resignation")
    us = gb("woman", "37.5")
    us.work_country = "US"
    us.save(update_fields=["work_country"])
    bonus = ("ANNUAL_BONUS", "Annual bonus", "earning", None, None, "1200.00")
    paid_period({
        m1: [salary("3000.00"), ("OVERTIME", "Overtime", "earning", "10", "50", "500.00")],
        m2: [salary("2500.00"), bonus], w1: [salary("1500.00")], w2: [salary("1000.00")],
        w3: [("HOURLY", "Hourly pay", "earning", "80", "15", "1200.00")],
        x: [salary("2000.00")], us: [salary("9000.00")]}, **APRIL)
    # a draft run for April is not counted
    paid_period({w1: [salary("99999.00")]}, **APRIL, finalise=False, kind=PayRun.Kind.OFF_CYCLE)
    paid_period({m1: [salary("2000.00", "BONUS")], w2: [salary("600.00", "BONUS")],
                 gone: [salary("5000.00", "BONUS")]},
                start=date(2025, 12, 1), end=date(2025, 12, 31), pay_date=date(2025, 12, 20))
    paid_period({m1: [salary("7000.00", "BONUS")]}, start=date(2025, 3, 6),
                end=date(2025, 4, 5))
    return {"m1": m1, "m2": m2, "m3": m3, "w1": w1, "w2": w2, "w3": w3, "x": x}


def test_six_figures_from_finalised_payslips(company):
    f = pay_gap_report(2026).figures
    assert f.relevant == 7 and (f.men, f.women) == (3, 3)
    assert (f.mean_gap, f.median_gap) == (D("12.3"), D("12.3"))
    assert (f.mean_bonus_gap, f.median_bonus_gap) == (D("70.0"), D("70.0"))
    assert (f.men_bonus_percent, f.women_bonus_percent) == (D("33.3"), D("33.3"))
    assert [(men, women) for _, men, women, _n in f.quartiles] == [
        (D("0.0"), D("100.0")), (D("0.0"), D("100.0")), (D("100.0"), D("0.0")),
        (D("100.0"), D("0.0"))]
    assert not pay_gap_report(2026).required  # 7 < 250: the page says it is not required


def test_audit_sheet_rows_say_why(company):
    from analytics.gpg import sheet_rows

    rows = {r[0]: r for r in sheet_rows(pay_gap_report(2026))[1:]}
    number = {k: e.employee_number for k, e in company.items()}
    m2 = rows[number["m2"]]
    assert (m2[1], m2[2], m2[4], m2[5], m2[8], m2[9]) == (
        "man", "self-identification", D("2500.00"), D("98.6301"), D("16.1693"), "Upper middle")
    w1 = rows[number["w1"]]
    assert (w1[6], w1[7], w1[8]) == (D("22.5000"), "working pattern", D("15.5556"))
    w3 = rows[number["w3"]]
    assert (w3[6], w3[7], w3[8]) == (D("18.6667"), "hours paid in the period", D("15.0000"))
    assert rows[number["w2"]][12] == ON_LEAVE and rows[number["w2"]][10] == D("600.00")
    assert rows[number["m3"]][12] == NO_PAYSLIP
    assert rows[number["x"]][12] == NOT_MAN_OR_WOMAN
    assert rows[number["m1"]][4] == D("3000.00")  # overtime is not ordinary pay


def test_public_authority_snapshot_and_legal_employer(company, gb):
    # 31 March 2026 falls in no finalised period here: everyone relevant, nobody with a payslip
    public = pay_gap_report(2026, "public")
    assert public.snapshot == date(2026, 3, 31)
    assert public.figures.mean_gap is None and public.figures.relevant == 8  # the leaver too
    # another employer's people are left out when one employer is chosen
    other = gb("woman", "37.5")
    paid_period({other: [salary("100.00")]}, **APRIL, employer="Other Ltd")
    from employees.models import CompensationRecord
    from payroll.models import PaySchedule

    acme = PaySchedule.objects.get(employer_legal_name="Acme Ltd")
    for e in company.values():
        CompensationRecord.objects.create(employee=e, effective_date=date(2024, 1, 8),
                                          basis="salary", annual_salary=D("30000"),
                                          currency="GBP", reason="hire", pay_schedule=acme)
    assert pay_gap_report(2026, employer="Acme Ltd").figures.relevant == 7
    assert pay_gap_report(2026).figures.relevant == 8


def test_queries_do_not_grow_with_headcount(gb):
    from employees.models import Employee

    def measure(n, year):
        people = [gb("man" if k % 2 else "woman", "37.5") for k in range(n)]
        paid_period({e: [salary("2000.00")] for e in people}, start=date(year, 4, 1),
                    end=date(year, 4, 30))
        with CaptureQueriesContext(connection) as ctx:
            report = pay_gap_report(year)
        assert report.figures.relevant == n and report.figures.full_pay_men == n // 2
        Employee.objects.filter(pk__in=[e.pk for e in people]).update(work_country="US")
        return len(ctx.captured_queries)

    assert measure(50, 2027) == measure(5, 2026)


def test_gender_record_is_hr_admin_only_and_audited_without_the_value(company, hr_admin):
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    with pytest.raises(Exception, match="Only HR Admin"):
        pay_gap_gender_set(acting_user=analyst, employee=company["x"], gender="woman")
    pay_gap_gender_set(acting_user=hr_admin, employee=company["x"], gender="woman")
    event = AuditEvent.objects.get(object_type="analytics.paygapgender")
    assert event.changes == {"gender": ["(hidden)", "(hidden)"]} and event.actor == hr_admin
    pay_gap_gender_set(acting_user=hr_admin, employee=company["x"], gender="woman")
    assert AuditEvent.objects.filter(object_type="analytics.paygapgender").count() == 1
    assert pay_gap_report(2026).figures.women == 4


def test_page_roles(company, client, hr_admin):
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(analyst)
    page = client.get("/analytics/gender-pay-gap/", {"year": "2026"})
    assert page.status_code == 200 and b"12.3%" in page.content
    assert b"Audit sheet" not in page.content and page.context["gender_form"] is None
    assert b"not required" in page.content
    figures = client.get("/analytics/gender-pay-gap/", {"year": "2026", "format": "csv"})
    assert "Mean gender pay gap in hourly pay %,12.3" in figures.content.decode("utf-8-sig")
    assert client.get("/analytics/gender-pay-gap/", {
        "year": "2026", "table": "sheet", "format": "csv"}).status_code == 403
    assert client.post("/analytics/gender-pay-gap/gender/", {
        "employee_number": company["x"].employee_number, "gender": "man"}).status_code == 403
    assert not PayGapGender.objects.filter(employee=company["x"]).exists()
    client.force_login(UserFactory(roles=[Role.MANAGER]))
    assert client.get("/analytics/gender-pay-gap/").status_code == 403
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    sheet = client.get("/analytics/gender-pay-gap/", {"year": "2026", "table": "sheet",
                                                       "format": "xlsx"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd")
    response = client.post("/analytics/gender-pay-gap/gender/", {
        "employee_number": company["x"].employee_number, "gender": "man"})
    assert response.status_code == 302
    assert PayGapGender.objects.get(employee=company["x"]).gender == "man"
    bad = client.post("/analytics/gender-pay-gap/gender/", {"employee_number": "nope",
                                                            "gender": "man"}, follow=True)
    assert b"No employee has this number" in bad.content
