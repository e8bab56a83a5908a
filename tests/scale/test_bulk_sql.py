"""Issue 11 (scale): the bulk SQL helpers write and read exactly what the ORM would, and an
import's queries do not grow with its rows when custom fields are defined."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import diff
from customfields.services import custom_field_save
from employees.models import CompensationRecord, Employee
from hrops.copy_insert import assign_pks, copy_insert
from hrops.sql_ids import ids_in
from tests.employees_directory.test_imports import csv_bytes, hire_row, refs, run  # noqa: F401
from tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_ids_in_selects_the_same_rows_as_the_id_list():
    people = [EmployeeFactory() for _ in range(5)]
    wanted = [people[0].pk, people[3].pk, people[4].pk, 10**9]
    by_list = set(Employee.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    by_array = set(Employee.objects.filter(pk__in=ids_in(wanted)).values_list("pk", flat=True))
    assert by_array == by_list == {people[0].pk, people[3].pk, people[4].pk}
    # an empty list stays a list: Django answers it without a query
    assert ids_in([]) == []
    with CaptureQueriesContext(connection) as queries:
        assert list(Employee.objects.filter(pk__in=ids_in([]))) == []
    assert len(queries) == 0


def _plain(obj) -> dict:
    return {k: v for k, v in model_to_dict(obj).items() if k not in {"id", "employee_number"}}


def test_copy_insert_writes_what_bulk_create_writes(hr_admin):
    # given: rows with an encrypted field, JSON, an enum value, Decimals and auto_now_add dates
    def person(number):
        return Employee(employee_number=number, legal_first_name="Éamonn", legal_last_name="Ó",
                        hire_date=date(2026, 1, 5), work_country="GB",
                        status=Employee.Status.ACTIVE, national_id="QQ123456C",
                        fte=Decimal("0.800"))
    a, b = person("CA1"), person("CB1")
    # when: one goes in through bulk_create, the other through copy_insert
    Employee.objects.bulk_create([a])
    copy_insert(Employee, [b])
    assert b.pk is not None and not b._state.adding
    # then: the stored rows are the same (the secret decrypts, the enum is its value)
    one, two = Employee.objects.get(pk=a.pk), Employee.objects.get(pk=b.pk)
    assert _plain(one) == _plain(two)
    assert two.national_id == "QQ123456C" and two.status == "active"
    # and JSON and auto_now_add fields are saved as the model saves them
    pay = CompensationRecord(employee=two, effective_date=date(2026, 1, 5), basis="salary",
                             annual_salary=Decimal("41000.00"), currency="GBP", reason="hire")
    event = AuditEvent(action="create", object_type="employees.employee",
                       object_id=str(two.pk), object_label="x", employee_id=two.pk,
                       changes={"fte": [None, "0.800"]})
    copy_insert(CompensationRecord, [pay])
    copy_insert(AuditEvent, [event])
    stored = CompensationRecord.objects.get(pk=pay.pk)
    assert stored.created_at is not None and stored.annual_salary == Decimal("41000.00")
    assert AuditEvent.objects.get(pk=event.pk).changes == {"fte": [None, "0.800"]}


def test_copy_insert_stamps_one_moment_and_keeps_blank_ips_and_secrets_as_the_orm(hr_admin):
    # given: people with and without a national id and audit events with and without an IP
    def person(number, national_id):
        return Employee(employee_number=number, legal_first_name="A", legal_last_name="B",
                        hire_date=date(2026, 1, 5), national_id=national_id)
    people = [person("SM1", ""), person("SM2", "QQ123456C")]
    events = [AuditEvent(action="create", object_type="employees.employee", object_id="1",
                         object_label="x", ip_address=ip, changes={})
              for ip in (None, "192.0.2.7", "2001:db8::1")]
    # when: each list goes in with one COPY (bulk_create elsewhere)
    copy_insert(Employee, people)
    copy_insert(AuditEvent, events)
    # then: the instances carry the stored auto_now(_add) moments, as after a save
    stored = {e.pk: e for e in Employee.objects.filter(pk__in=[p.pk for p in people])}
    for p in people:
        assert p.created_at is not None and p.updated_at is not None
        assert (stored[p.pk].created_at, stored[p.pk].updated_at) == (p.created_at, p.updated_at)
    # and a blank secret stays blank, a real one is encrypted and reads back
    assert [stored[p.pk].national_id for p in people] == ["", "QQ123456C"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id FROM employees_employee WHERE id = %s", [people[1].pk])
        assert cursor.fetchone()[0] not in ("", None, "QQ123456C")
    # and the IP addresses are stored as the field stores them, NULL for none
    ips = dict(AuditEvent.objects.filter(pk__in=[e.pk for e in events])
               .values_list("pk", "ip_address"))
    assert [ips[e.pk] for e in events] == [None, "192.0.2.7", "2001:db8::1"]
    assert all(AuditEvent.objects.get(pk=e.pk).at == e.at for e in events)


def test_assign_pks_lets_rows_point_at_each_other_before_they_are_written():
    boss, report = Employee(employee_number="AB1", legal_first_name="A", legal_last_name="B",
                            hire_date=date(2026, 1, 5)), Employee(
        employee_number="AB2", legal_first_name="C", legal_last_name="D",
        hire_date=date(2026, 1, 5))
    if not assign_pks(Employee, [boss, report]):
        pytest.skip("PostgreSQL only: elsewhere the INSERT sets the pks")
    report.manager = boss
    copy_insert(Employee, [boss, report])
    assert Employee.objects.get(pk=report.pk).manager_id == boss.pk


@pytest.mark.usefixtures("refs")
def test_import_check_queries_do_not_grow_with_rows_when_custom_fields_exist(hr_admin):
    # given: custom fields (read by every import row) and the reference data (refs)
    custom_field_save(acting_user=hr_admin, data={"section": "Kit", "label": "Shirt",
                                                  "key": "shirt", "kind": "text"})

    def queries(n: int) -> int:
        content = csv_bytes(*(hire_row(f"N{i}") for i in range(n)))
        with CaptureQueriesContext(connection) as captured:
            assert run(hr_admin, content).ok
        return len(captured)
    # then: a dry run of 30 rows asks what a dry run of 3 asks
    assert queries(30) == queries(3)


def test_diff_of_a_creation_lists_every_value_set_as_the_general_comparison_does():
    # given: a new record's snapshot with a None, a blank, a Decimal, a date and a model value
    department = DepartmentFactory(name="Ops")
    after = {"fte": Decimal("0.800"), "note": "", "manager": None, "hire_date": date(2026, 1, 5),
             "department": department, "tags": ("a", "b")}
    # when: it is diffed against nothing (the fast path) and against a record of all Nones
    created = diff({}, after)
    compared = diff(dict.fromkeys(after), after)
    # then: both list every value set, as plain values, None left out, in field order
    assert created == compared == {"department": [None, "Ops"], "fte": [None, "0.800"],
                                   "hire_date": [None, "2026-01-05"], "note": [None, ""],
                                   "tags": [None, ["a", "b"]]}
    assert list(created) == sorted(created)
    # and a secret among them is still masked (the general path)
    assert diff({}, {"iban": "GB33BUKB20201555555555"}, secret_fields=["iban"])["iban"][1] \
        != "GB33BUKB20201555555555"
