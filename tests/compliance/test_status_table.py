"""The stored statuses (compliance.models.ComplianceStatus) always equal the statuses computed
from scratch (compliance.selectors.status_matrix): after any sequence of changes made through
the services, and after the daily roll on any later day."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import ComplianceRecord, ComplianceStatus, RequirementRule
from compliance.selectors import status_matrix
from compliance.services.policies import (
    policy_acknowledge,
    policy_create,
    policy_open,
    policy_version_publish,
)
from compliance.services.records import (
    RecordData,
    record_add,
    record_reject,
    record_verify,
    requirement_rule_delete,
    requirement_rule_save,
    requirement_type_save,
)
from compliance.services.statuses import compliance_status_refresh, compliance_status_roll
from compliance.tasks import compliance_status_roll_task
from employees.models import ChangeReason, Employee
from employees.services.core import JobData, job_record_add
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementTypeFactory
from tests.factories.employees import DepartmentFactory

pytestmark = pytest.mark.django_db

OFFSETS = (None, -3, 0, 5, 29, 31, 45, 100)  # expiry, in days from today (None: never)


def stored() -> dict[tuple[int, int], tuple[str, object]]:
    return {(c.employee_id, c.requirement_type_id): (c.status, c.valid_until)
            for c in ComplianceStatus.objects.all()}


def from_scratch(today) -> dict[tuple[int, int], tuple[str, object]]:
    employees = list(Employee.objects.order_by("pk"))
    return {(row.employee.pk, type_id): (cell.status.value, cell.valid_until)
            for row in status_matrix(employees, today=today)
            for type_id, cell in row.cells.items()}


class World:
    """A small company: 4 people in 2 departments, 3 requirement types, one policy."""

    def __init__(self, hr_admin) -> None:
        self.hr = hr_admin
        self.departments = [DepartmentFactory(), DepartmentFactory()]
        self.people = [EmployeeFactory(department=self.departments[i % 2]) for i in range(4)]
        self.types = [RequirementTypeFactory(expiring_window_days=w) for w in (None, 60, 10)]
        self.policy = policy_create(acting_user=hr_admin, title="Code of conduct")
        self.version = None

    def apply(self, op: tuple) -> None:
        kind, a, b, c = op
        today = timezone.localdate()
        person = self.people[a % len(self.people)]
        rtype = self.types[b % len(self.types)]
        if kind == "record" and rtype.active:
            expiry = OFFSETS[c % len(OFFSETS)]
            record_add(acting_user=self.hr, employee=person, requirement_type=rtype,
                       verify=bool(c % 2), data=RecordData(
                           completed_on=today - timedelta(days=400),
                           expires_on=None if expiry is None else today + timedelta(days=expiry)))
        elif kind == "decide":
            record = (ComplianceRecord.objects.filter(
                verification=ComplianceRecord.Verification.PENDING).order_by("pk")
                .filter(employee=person).first())
            if record is not None and c % 2:
                record_verify(acting_user=self.hr, record=record)
            elif record is not None:
                record_reject(acting_user=self.hr, record=record, reason="Blurred scan")
        elif kind == "rule":
            scope = {"scope": "everyone"} if c % 2 else {
                "scope": "department", "department": self.departments[c % 4 // 2]}
            requirement_rule_save(acting_user=self.hr, data={"requirement_type": rtype, **scope})
        elif kind == "unrule":
            rule = RequirementRule.objects.filter(requirement_type=rtype).order_by("pk").first()
            if rule is not None:
                requirement_rule_delete(acting_user=self.hr, rule=rule)
        elif kind == "window":
            requirement_type_save(acting_user=self.hr, instance=rtype,
                                  data={"expiring_window_days": (None, 0, 7, 90)[c % 4]})
        elif kind == "active":
            requirement_type_save(acting_user=self.hr, instance=rtype, data={"active": bool(c % 3)})
        elif kind == "transfer":
            department = self.departments[(person.department_id == self.departments[0].pk)]
            job_record_add(acting_user=self.hr, employee=person,
                           effective_date=today - timedelta(days=c % 5 + 1) if c % 2 else today,
                           job=JobData(job_title=person.job_title, department=department,
                                       location=person.location),
                           reason=ChangeReason.TRANSFER)
            person.refresh_from_db()
        elif kind == "publish":
            self.version = policy_version_publish(acting_user=self.hr, policy=self.policy,
                                                  label="", body=f"Rules {c}")
        elif kind == "acknowledge" and self.version is not None:
            policy_open(employee=person, version=self.version)
            policy_acknowledge(acting_user=None, employee=person, version=self.version)


OPS = st.tuples(
    st.sampled_from(["record", "record", "decide", "rule", "rule", "unrule", "window", "active",
                     "transfer", "publish", "acknowledge"]),
    st.integers(0, 3), st.integers(0, 2), st.integers(0, 15))


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=14), later=st.integers(1, 120))
def test_stored_statuses_equal_a_recomputation(hr_admin, ops, later):
    with transaction.atomic():
        # given a company and any sequence of changes through the services
        world = World(hr_admin)
        for op in ops:
            world.apply(op)
        # then the stored statuses are what a computation from scratch gives today
        today = timezone.localdate()
        assert stored() == from_scratch(today)
        # and, after the daily roll on any later day, what it gives that day
        compliance_status_roll(today=today + timedelta(days=later))
        assert stored() == from_scratch(today + timedelta(days=later))
        transaction.set_rollback(True)


def test_roll_is_idempotent_and_only_touches_due_rows(hr_admin, django_assert_num_queries):
    # given a verified record valid for 40 more days (30-day window: expiring soon in 10)
    rtype = RequirementTypeFactory()
    requirement_rule_save(acting_user=hr_admin, data={"requirement_type": rtype,
                                                       "scope": "everyone"})
    person = EmployeeFactory()
    today = timezone.localdate()
    record_add(acting_user=hr_admin, employee=person, requirement_type=rtype, verify=True,
               data=RecordData(completed_on=today, expires_on=today + timedelta(days=40)))
    cell = ComplianceStatus.objects.get(employee=person)
    assert (cell.status, cell.changes_on) == ("compliant", today + timedelta(days=10))
    # when the roll runs before that day, nothing is due (one query)
    with django_assert_num_queries(1):
        assert compliance_status_roll(today=today + timedelta(days=9)) == 0
    # then on the day, the cell becomes expiring soon, and a second run changes nothing
    assert compliance_status_roll_task(day=(today + timedelta(days=10)).isoformat()) == 1
    cell = ComplianceStatus.objects.get(employee=person)  # rows are replaced, not updated
    assert (cell.status, cell.changes_on) == ("expiring_soon", today + timedelta(days=41))
    assert compliance_status_roll(today=today + timedelta(days=10)) == 0


def test_termination_leaves_the_dashboard_without_an_update(hr_admin):
    from compliance.selectors_stored import dashboard

    # given two people who need a requirement
    requirement_rule_save(acting_user=hr_admin, data={
        "requirement_type": RequirementTypeFactory(), "scope": "everyone"})
    stay, leave = EmployeeFactory(), EmployeeFactory()
    assert dashboard().people == 2
    # when one leaves (no compliance code runs)
    Employee.objects.filter(pk=leave.pk).update(status=Employee.Status.TERMINATED)
    # then the stored cells of leavers are left out
    data = dashboard()
    assert data.people == 1 and data.total_cells == 1
    assert stay.pk in {e for e, _t in stored()}


def test_rebuild_command_restores_a_lost_table(hr_admin, capsys):
    requirement_rule_save(acting_user=hr_admin, data={
        "requirement_type": RequirementTypeFactory(), "scope": "everyone"})
    EmployeeFactory.create_batch(3)
    expected = stored()
    ComplianceStatus.objects.all().delete()
    call_command("compliance_status_rebuild")
    assert stored() == expected
    assert "3 compliance statuses written" in capsys.readouterr().out


def test_refresh_twice_in_a_row_writes_the_same_rows(hr_admin):
    requirement_rule_save(acting_user=hr_admin, data={
        "requirement_type": RequirementTypeFactory(), "scope": "everyone"})
    EmployeeFactory.create_batch(2)
    before = stored()
    assert compliance_status_refresh() == 2
    assert stored() == before
