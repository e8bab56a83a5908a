"""A calculation chunk of a second month (year to date from finalised payslips, inputs, a pay
rise, variance against the previous run) costs the same queries for 20 people as for 200, and
its queries filter on the chunk's ids with one array (`= ANY`), never `IN (SELECT unnest(...))`
which PostgreSQL planned as a sequential scan of each table (hrops/sql_ids.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employees.models import BankAccount, CompensationRecord, Employee
from hrops.sql_ids import IdArray, id_array
from payroll.models import (
    EmployeePayItem,
    PayComponent,
    PayRun,
    Payslip,
    PayslipLine,
    RunInput,
    TaxProfile,
)
from payroll.services.calculation import calculate_employees
from payroll.services.runs import run_create
from tests.factories.employees import (
    DepartmentFactory,
    EmployeeFactory,
    JobTitleFactory,
    LocationFactory,
)

pytestmark = pytest.mark.django_db


def _people(schedule, n: int, prefix: str) -> list[int]:
    """N salaried UK employees in bulk (tax details, a 5% pension, 9 in 10 with a bank
    account), as bench/payroll_run.py seeds them."""
    department, location, title = DepartmentFactory(), LocationFactory(), JobTitleFactory()
    hire = date(2024, 1, 8)
    people = Employee.objects.bulk_create(
        EmployeeFactory.build(employee_number=f"{prefix}{i:04d}", department=department,
                              location=location, job_title=title, hire_date=hire)
        for i in range(n))
    CompensationRecord.objects.bulk_create(
        CompensationRecord(employee=e, effective_date=hire, basis="salary", currency="GBP",
                           annual_salary=Decimal(24000 + 120 * i), pay_schedule=schedule,
                           reason="hire") for i, e in enumerate(people))
    TaxProfile.objects.bulk_create(
        TaxProfile(employee=e, jurisdiction="UK", tax_code="1257L", ni_category="A")
        for e in people)
    pension, _ = PayComponent.objects.get_or_create(
        code="PENSION", defaults={"name": "Pension", "kind": "pre_tax_deduction",
                                  "calculation": "percent_of_base",
                                  "reduces_income_tax_wages": True})
    EmployeePayItem.objects.bulk_create(
        EmployeePayItem(employee=e, component=pension, percent=Decimal("5"),
                        effective_from=hire) for e in people)
    BankAccount.objects.bulk_create(
        BankAccount(employee=e, holder_name="Holder", country="GB", scheme="uk",
                    sort_code="200000", account_number=f"{i:08d}", last4=f"{i:08d}"[-4:],
                    is_primary=True) for i, e in enumerate(people) if i % 10)
    return [e.pk for e in people]


def _month_two(schedule, user, ids: list[int]) -> PayRun:
    """Month 1 calculated for everyone and finalised; month 2 with a bonus for every 5th person
    and a rise from mid-month for every 4th."""
    first = run_create(schedule=schedule, period=schedule.periods.get(number=1),
                       acting_user=user)
    calculate_employees(first, ids)
    PayRun.objects.filter(pk=first.pk).update(status=PayRun.Status.FINALISED)
    second = run_create(schedule=schedule, period=schedule.periods.get(number=2),
                        acting_user=user)
    PayRun.objects.filter(pk=second.pk).update(calculated_by=user)  # as run_calculate sets it
    bonus, _ = PayComponent.objects.get_or_create(code="BONUS",
                                                  defaults={"name": "Bonus", "kind": "earning"})
    RunInput.objects.bulk_create(RunInput(run=second, employee_id=pk, component=bonus,
                                          amount=Decimal("250.00")) for pk in ids[::5])
    mid = second.period.start_date.replace(day=15)
    CompensationRecord.objects.bulk_create(
        CompensationRecord(employee_id=pk, effective_date=mid, basis="salary", currency="GBP",
                           annual_salary=Decimal("40000"), pay_schedule=schedule,
                           reason="merit") for pk in ids[::4])
    return PayRun.objects.select_related("schedule", "period", "corrects").get(pk=second.pk)


def _chunk(run: PayRun, ids: list[int]) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert calculate_employees(run, ids) == len(ids)
    return [q["sql"] for q in ctx.captured_queries]


def test_second_month_chunk_queries_do_not_grow_with_its_people(uk_schedule, payroll_admin):
    # given 220 people paid in month 1 (finalised) and a month-2 run with inputs and rises
    small, large = _people(uk_schedule, 20, "CS"), _people(uk_schedule, 200, "CL")
    run = _month_two(uk_schedule, payroll_admin, small + large)
    # when a chunk of 20 and a chunk of 200 of month 2 are calculated
    few, many = _chunk(run, small), _chunk(run, large)
    # then both cost the same queries: existing payslips, employees, compensation, recurring
    # items, their components, run inputs, unpaid leave, tax profiles, year to date, the
    # period's other payments, weekly hours, statutory absences, bank accounts, the
    # calculator's audit events, previous payslips, and the payslip ids (PostgreSQL: the rows
    # then go by COPY; elsewhere by INSERTs of at most 1,000 rows each)
    def reads(queries):
        return [sql for sql in queries if not sql.startswith("INSERT") and "nextval(" not in sql]

    assert len(reads(few)) == len(reads(many)) == 15, (len(reads(few)), len(reads(many)))
    if connection.vendor == "postgresql":
        # one COPY each for payslips and lines, whatever the chunk's size (not in the log)
        assert len(few) == len(many) == 16
        assert not [sql for sql in many if "unnest(" in sql]
        assert sum("= ANY(" in sql for sql in many) >= 12
    # and month 2 worked on month 1's figures: year to date = month 1 + month 2
    person = large[3]  # no bonus, no rise: 24,360 a year = 2,030.00 a month, twice
    slips = {p.run_id: p for p in Payslip.objects.filter(employee_id=person)}
    month_two = slips[run.pk]
    assert Decimal(month_two.ytd["gross"]) == Decimal("4060.00") == 2 * month_two.gross
    assert PayslipLine.objects.filter(payslip=month_two, code="SALARY").count() == 1


def test_in_ids_selects_what_in_selects():
    people = [EmployeeFactory() for _ in range(4)]
    wanted = [people[0].pk, people[2].pk, 10**9]
    expected = {people[0].pk, people[2].pk}
    by_list = set(Employee.objects.filter(pk__in_ids=wanted).values_list("pk", flat=True))
    by_array = set(Employee.objects.filter(pk__in_ids=id_array(wanted))
                   .values_list("pk", flat=True))
    # through a foreign key and a join too
    accounts = BankAccount.objects.bulk_create(
        BankAccount(employee=p, holder_name="H", country="GB", scheme="uk",
                    sort_code="200000", account_number=f"{i:08d}", last4="0000")
        for i, p in enumerate(people))
    by_fk = set(BankAccount.objects.filter(employee_id__in_ids=wanted)
                .values_list("employee_id", flat=True))
    by_join = set(BankAccount.objects.filter(employee__pk__in_ids=id_array(wanted))
                  .values_list("employee_id", flat=True))
    assert by_list == by_array == by_fk == by_join == expected
    assert len(accounts) == 4
    # an empty list matches nothing, without a query (like `__in=[]`)
    with CaptureQueriesContext(connection) as ctx:
        assert list(Employee.objects.filter(pk__in_ids=[])) == []
        assert list(Employee.objects.filter(pk__in_ids=IdArray([]))) == []
    assert len(ctx.captured_queries) == 0
    # and it can be negated
    assert set(Employee.objects.exclude(pk__in_ids=wanted).values_list("pk", flat=True)) == {
        people[1].pk, people[3].pk}
