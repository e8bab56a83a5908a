"""Reports: liability (untaken x day rate), Bradford factor, absence rate, upcoming; exports."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import requires_second_factor
from tests.factories.employees import CompensationRecordFactory, DepartmentFactory, EmployeeFactory
from tests.mfa import enrol_totp
from timeoff import reports
from timeoff.services.ledger import entry_post
from timeoff.services.sickness import sickness_record

pytestmark = pytest.mark.django_db


def test_liability_is_untaken_days_times_the_day_rate(holiday, hr_admin):
    # given: 26,000 a year, 5 days a week: 26000 / 52 / 5 = 100.00 a day; 7.5 days untaken
    dept = DepartmentFactory(name="Ops")
    person = EmployeeFactory(department=dept)
    CompensationRecordFactory(employee=person, annual_salary=D("26000.00"),
                              effective_date=date(2024, 1, 8))
    entry_post(employee=person, leave_type=holiday, kind="opening", amount=D("7.5"),
               effective_date=date(2026, 1, 1), reason="opening")
    # when
    (line,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                         with_pay=True) if x.name == "Ops"]
    # then
    assert line.balance == D("7.5") and line.liability == {"GBP": D("750.00")}
    (hidden,) = [x for x in reports.balances_by_department(holiday, date(2026, 6, 1),
                                                           with_pay=False) if x.name == "Ops"]
    assert hidden.liability == {}


def test_bradford_factor_is_spells_squared_times_days(org, hr_admin):
    # two spells of 1 and 2 working days: S=2, D=3 -> 2 x 2 x 3 = 12
    sickness_record(employee=org.report, first_day=date(2026, 3, 2), last_day=date(2026, 3, 2),
                    acting_user=hr_admin)
    sickness_record(employee=org.report, first_day=date(2026, 3, 12),
                    last_day=date(2026, 3, 15), acting_user=hr_admin)  # Thu-Sun: 2 days
    (line,) = reports.bradford(date(2026, 1, 1), date(2026, 12, 31))
    assert (line.spells, line.days, line.bradford) == (2, D("3"), D("12"))


def test_absence_rate_by_department(hr_admin):
    # one person in a department, March 2026 has 22 working days; 2 days sick -> 9.09%
    dept = DepartmentFactory(name="Solo")
    person = EmployeeFactory(department=dept)
    sickness_record(employee=person, first_day=date(2026, 3, 2), last_day=date(2026, 3, 3),
                    acting_user=hr_admin)
    rates = reports.absence_rate(date(2026, 3, 1), date(2026, 3, 31))
    assert rates["Solo"] == D("9.09")


def test_hr_exports_and_others_cannot(client, org, hr_staff, holiday):
    start = timezone.localdate() + timedelta(days=3)
    sickness_record(employee=org.report, first_day=start, last_day=start,
                    acting_user=hr_staff)
    client.force_login(hr_staff)
    page = client.get(reverse("timeoff:reports"))
    assert page.status_code == 200 and b"Liability" not in page.content  # no Payroll Viewer
    csv = client.get(reverse("timeoff:report_export", args=["upcoming", "csv"]))
    assert csv.status_code == 200 and org.report.employee_number in csv.content.decode()
    xlsx = client.get(reverse("timeoff:report_export", args=["bradford", "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    user = org.users["manager"]
    if requires_second_factor(user):
        enrol_totp(user)
    client.force_login(user)
    assert client.get(reverse("timeoff:reports")).status_code == 403


def test_opening_balances_dry_run_then_post(client, org, hr_admin, holiday):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from timeoff.services.ledger import balance

    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    good = (f"employee_number,leave_type,amount,effective_date,reason\r\n"
            f"{org.report.employee_number},Holiday,12.5,2026-01-01,Old system\r\n").encode()
    bad = good + b"NOPE,Holiday,x,2026-13-01,\r\n"
    url = reverse("timeoff:opening_balances")
    # a file with a bad row posts nothing and names each problem
    response = client.post(url, {"file": SimpleUploadedFile("o.csv", bad), "commit": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 3, employee_number" in body and "Row 3, amount" in body and \
        "Row 3, effective_date" in body
    assert balance(org.report, holiday, date(2026, 1, 1)) == 0
    # the dry run posts nothing either
    client.post(url, {"file": SimpleUploadedFile("o.csv", good)})
    assert balance(org.report, holiday, date(2026, 1, 1)) == 0
    client.post(url, {"file": SimpleUploadedFile("o.csv", good), "commit": "1"})
    assert balance(org.report, holiday, date(2026, 1, 1)) == D("12.5")
    template = client.get(reverse("timeoff:opening_template", args=["xlsx"]))
    assert template.content[:2] == b"PK"
