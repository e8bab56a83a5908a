import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from employees.models import Employee, JobRecord
from employees.selectors import compensation_as_of, job_as_of
from employees.services.imports import MAX_BYTES, import_run
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
    PayScheduleFactory,
)
from tests.factories.employees_directory import salary

pytestmark = pytest.mark.django_db

HEADER = ("employee_number,legal_first_name,legal_last_name,work_email,hire_date,department,"
          "location,job_title,manager_number,employment_type,fte,work_country,pay_basis,amount,"
          "currency,pay_schedule")


@pytest.fixture
def refs(db):
    PayScheduleFactory()
    return {"dept": DepartmentFactory(name="Engineering", code="ENG"),
            "loc": LocationFactory(name="London"),
            "title": JobTitleFactory(name="Engineer"),
            "boss": EmployeeFactory(employee_number="B001")}


def hire_row(number, email=None, manager="B001", **over):
    values = {"employee_number": number, "legal_first_name": "Ann", "legal_last_name": "Lee",
              "work_email": email or f"{number.lower()}@acme.test", "hire_date": "2026-01-05",
              "department": "Engineering", "location": "London", "job_title": "Engineer",
              "manager_number": manager, "employment_type": "full_time", "fte": "1",
              "work_country": "GB", "pay_basis": "salary", "amount": "50000.00",
              "currency": "GBP", "pay_schedule": "UK monthly"}
    values.update(over)
    return ",".join(values[c] for c in HEADER.split(","))


def csv_bytes(*rows, header=HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def run(user, content, *, kind="employees", name="people.csv", commit=False):
    return import_run(acting_user=user, kind=kind, name=name, content=content, commit=commit)


def test_dry_run_reports_the_plan_and_writes_nothing(hr_admin, refs):
    # when
    result = run(hr_admin, csv_bytes(hire_row("N1"), hire_row("N2")))
    # then
    assert result.ok and not result.committed
    assert [p.row for p in result.planned] == [2, 3]
    assert "New employee N1 Ann Lee" in result.planned[0].summary
    assert not Employee.objects.filter(employee_number__in=["N1", "N2"]).exists()
    assert not AuditEvent.objects.filter(source="import").exists()


def test_commit_writes_everything_with_import_audit_source(hr_admin, refs):
    # when
    result = run(hr_admin, csv_bytes(hire_row("N1"), hire_row("N2", manager="N1")), commit=True)
    # then
    assert result.committed
    n1, n2 = Employee.objects.get(employee_number="N1"), Employee.objects.get(employee_number="N2")
    assert n2.manager == n1 and n1.manager == refs["boss"]
    assert compensation_as_of(n1, date(2026, 2, 1)).annual_salary == Decimal("50000.00")
    events = AuditEvent.objects.filter(employee_id=n1.pk)
    assert events.exists() and set(events.values_list("source", flat=True)) == {"import"}


def test_managers_in_the_file_may_come_after_their_reports(hr_admin, refs):
    result = run(hr_admin, csv_bytes(hire_row("N2", manager="N1"), hire_row("N1")), commit=True)
    assert result.committed
    assert Employee.objects.get(employee_number="N2").manager.employee_number == "N1"


def test_one_bad_row_writes_nothing(hr_admin, refs):
    # given row 3 has an unknown department
    content = csv_bytes(hire_row("N1"), hire_row("N2", department="Nowhere"), hire_row("N3"))
    # when
    result = run(hr_admin, content, commit=True)
    # then
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(3, "department")]
    assert "Unknown department" in result.errors[0].message
    assert not Employee.objects.filter(employee_number__startswith="N").exists()


def test_row_level_errors_name_row_column_and_problem(hr_admin, refs):
    content = csv_bytes(
        hire_row("N1", hire_date="31/01/2026"),
        hire_row("N2", amount="lots"),
        hire_row("N2", email="n2b@acme.test"),
        hire_row("N4", email="n1@acme.test", hire_date="2026-02-01"),
        hire_row("N5", manager="ZZZ"),
        hire_row("B001", manager=""),
        hire_row("N7", employment_type="gig"),
        hire_row("N8", work_country="Britain", fte="2x"),
    )
    errors = {(e.row, e.column) for e in run(hr_admin, content).errors}
    assert errors == {
        (2, "hire_date"), (3, "amount"), (4, "employee_number"), (5, "work_email"),
        (6, "manager_number"), (7, "employee_number"), (8, "employment_type"),
        (9, "work_country"), (9, "fte"),
    }


def test_missing_and_unknown_columns_are_reported(hr_admin, refs):
    header = HEADER.replace("work_email,", "").replace("pay_schedule", "shoe_size")
    errors = {(e.row, e.column) for e in run(hr_admin, csv_bytes(header=header)).errors}
    assert errors == {(1, "work_email"), (1, "shoe_size")}


@pytest.mark.parametrize("name, content, message", [
    ("people.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx"),
    ("people.csv", b"PK\x03\x04binary", "not a text CSV"),
    ("people.csv", "name\nJos\xe9".encode("latin-1"), "not UTF-8"),
    ("people.xlsx", b"not a zip", "not a valid Excel"),
    ("people.csv", b"x" * (MAX_BYTES + 1), "larger than"),
    ("people.csv", b"", "empty"),
])
def test_unreadable_files_are_rejected(hr_admin, name, content, message):
    result = run(hr_admin, content, name=name)
    assert not result.ok and message in result.errors[0].message


def test_service_errors_are_reported_per_row_in_the_dry_run(hr_admin, refs):
    # a salary of zero passes parsing but not the pay rules
    result = run(hr_admin, csv_bytes(hire_row("N1", amount="0")))
    assert [(e.row, e.column) for e in result.errors] == [(2, "amount")]


def test_xlsx_import(hr_admin, refs):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    row = hire_row("X1").split(",")
    row[4] = date(2026, 1, 5)  # a real Excel date cell
    row[13] = 61000.5  # a number cell
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(hr_admin, buffer.getvalue(), name="people.xlsx", commit=True)
    assert result.committed
    x1 = Employee.objects.get(employee_number="X1")
    assert compensation_as_of(x1, date(2026, 1, 5)).annual_salary == Decimal("61000.50")


CHANGES = "employee_number,effective_date,reason,department,manager_number,amount,pay_basis,note"


def test_change_file_adds_job_and_pay_changes(hr_admin, refs):
    # given
    person = EmployeeFactory(employee_number="C1", hire_date=date(2024, 1, 8))
    salary(person, "40000.00")
    sales = DepartmentFactory(name="Sales")
    content = csv_bytes("C1,2026-03-01,transfer,Sales,,,,Moved",
                        "C1,2026-04-01,merit_increase,,,45000,,Review", header=CHANGES)
    # when: dry run, then commit
    assert run(hr_admin, content, kind="changes").ok
    assert JobRecord.objects.filter(employee=person).count() == 1
    result = run(hr_admin, content, kind="changes", commit=True)
    # then: unchanged columns carried over
    assert result.committed
    job = job_as_of(person, date(2026, 3, 1))
    assert job.department == sales and job.job_title == person.job_title
    assert compensation_as_of(person, date(2026, 4, 1)).annual_salary == Decimal("45000.00")
    assert compensation_as_of(person, date(2026, 3, 31)).annual_salary == Decimal("40000.00")



def test_a_pay_change_that_needs_a_second_approver_is_refused_by_the_import(hr_admin, refs):
    # given the company setting on: 10% or 5,000 needs another HR Admin or Payroll Admin
    from employees.services.access_policy import access_policy_update

    access_policy_update(acting_user=hr_admin, pay_changes_need_second_approval=True,
                         pay_change_threshold_percent=Decimal("10"),
                         pay_change_threshold_amount=Decimal("5000"))
    person = EmployeeFactory(employee_number="C1", hire_date=date(2024, 1, 8))
    salary(person, "40000.00")
    # when a file raises it by 12.5% (and another row by 2.5%)
    other = EmployeeFactory(employee_number="C2", hire_date=date(2024, 1, 8))
    salary(other, "40000.00")
    content = csv_bytes("C1,2026-04-01,merit_increase,,,45000,,Review",
                        "C2,2026-04-01,merit_increase,,,41000,,Review", header=CHANGES)
    result = run(hr_admin, content, kind="changes", commit=True)
    # then the big rise is a row error naming the way to make it, and nothing is written
    assert [(e.row, e.column) for e in result.errors] == [(2, "amount")]
    assert "second approver" in result.errors[0].message
    assert not result.committed
    assert compensation_as_of(person, date(2026, 4, 1)).annual_salary == Decimal("40000.00")
    assert compensation_as_of(other, date(2026, 4, 1)).annual_salary == Decimal("40000.00")

def test_change_file_errors(hr_admin, refs):
    EmployeeFactory(employee_number="C1", manager=refs["boss"])
    content = csv_bytes(
        "C1,2026-03-01,transfer,Sales,,,,",        # unknown department
        "ZZ,2026-03-01,transfer,Engineering,,,,",  # unknown employee
        "C1,2026-05-01,promotion,,,,,",            # changes nothing
        "C1,2026-06-01,pay rise,Engineering,,,,",  # unknown reason
        "C1,2026-07-01,transfer,Engineering,,,,",
        "C1,2026-07-01,transfer,Engineering,,,,",  # duplicate of the row above
        header=CHANGES)
    errors = {(e.row, e.column) for e in run(hr_admin, content, kind="changes").errors}
    assert errors == {(2, "department"), (3, "employee_number"), (4, ""), (5, "reason"),
                      (7, "effective_date")}


def test_change_file_cycle_is_a_row_error(hr_admin, refs):
    # B001 manages C1; making B001 report to C1 would be a cycle
    EmployeeFactory(employee_number="C1", manager=refs["boss"])
    content = csv_bytes("B001,2026-03-01,reorganisation,,C1,,,", header=CHANGES)
    result = run(hr_admin, content, kind="changes", commit=True)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(2, "manager_number")]


@pytest.mark.parametrize("who, status", [("hr_admin", 200), ("hr_staff", 200),
                                         ("payroll_admin", 403)])
def test_import_page_is_hr_only(who, status, request, login):
    assert login(request.getfixturevalue(who)).get(reverse("employees:import")).status_code \
        == status


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_import_page_refuses_staff_without_hr_role(who, org, login):
    assert login(org.users[who]).get(reverse("employees:import")).status_code == 403


def test_templates_download(hr_admin, login):
    client = login(hr_admin)
    body = client.get(reverse("employees:import_template", args=["employees"])).content.decode()
    assert body.startswith("employee_number,legal_first_name")
    changes = client.get(reverse("employees:import_template", args=["changes"]))
    assert changes.content.decode().startswith("employee_number,effective_date,reason")
