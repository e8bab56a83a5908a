"""Records: renewal keeps history, re-verification, verification, live rules for new hires and
transfers, and constant-query matrix/dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from compliance.models import ComplianceRecord, RequirementKind
from compliance.selectors import (
    employee_compliance,
    employees_in_scope,
    requirements_for_employee,
    status_matrix,
)
from compliance.selectors_stored import dashboard
from compliance.services.records import RecordData, record_add, record_reject, record_verify
from compliance.services.summary import compliance_figures, compliance_summary_build
from compliance.status import Status, add_months
from employees.models import ChangeReason
from employees.services.core import JobData, job_record_add
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementRuleFactory, RequirementTypeFactory
from tests.factories.employees import DepartmentFactory

pytestmark = pytest.mark.django_db


def _status(employee, rtype):
    return status_matrix([employee])[0].cells[rtype.pk].status


def test_new_hire_is_missing_until_recorded(hr_admin):
    # given a rule for everyone
    rtype = RequirementRuleFactory().requirement_type
    # when someone is hired
    hire = EmployeeFactory()
    # then the requirement applies at once, as missing
    assert requirements_for_employee(hire) == [rtype]
    assert _status(hire, rtype) is Status.MISSING


def test_transfer_picks_up_department_requirement(hr_admin):
    # given a requirement for the Warehouse department only
    warehouse = DepartmentFactory(name="Warehouse")
    rtype = RequirementRuleFactory(scope="department", department=warehouse).requirement_type
    employee = EmployeeFactory()
    assert requirements_for_employee(employee) == []
    # when they transfer into it (through the employees service)
    today = timezone.localdate()
    job_record_add(acting_user=hr_admin, employee=employee, effective_date=today,
                   job=JobData(job_title=employee.job_title, department=warehouse,
                                location=employee.location, manager=None,
                                employment_type=employee.employment_type, fte=employee.fte),
                   reason=ChangeReason.TRANSFER)
    employee.refresh_from_db()
    # then
    assert requirements_for_employee(employee) == [rtype]


def test_renewal_adds_a_record_and_keeps_history(hr_admin):
    rtype = RequirementRuleFactory(requirement_type__validity_months=12).requirement_type
    employee = EmployeeFactory()
    today = timezone.localdate()
    old = record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype,
                     data=RecordData(completed_on=today - timedelta(days=370)), verify=True)
    assert old.expires_on == add_months(today - timedelta(days=370), 12)
    assert _status(employee, rtype) is Status.EXPIRED
    # when renewed
    new = record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype,
                     data=RecordData(completed_on=today), verify=True)
    # then both records exist; the new one counts
    assert ComplianceRecord.objects.filter(employee=employee).count() == 2
    assert _status(employee, rtype) is Status.COMPLIANT
    _cell, history = employee_compliance(employee)["cells"][0]
    assert [r.pk for r in history] == [new.pk, old.pk]
    assert AuditEvent.objects.filter(object_type="compliance.compliancerecord",
                                     action="create").count() == 2


def test_right_to_work_reverification_date_drives_status(hr_admin):
    rtype = RequirementRuleFactory(requirement_type__kind=RequirementKind.RIGHT_TO_WORK,
                                   requirement_type__country="GB").requirement_type
    employee = EmployeeFactory()
    today = timezone.localdate()
    # time-limited permission: re-verify in 10 days
    record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype, verify=True,
               data=RecordData(completed_on=today - timedelta(days=300),
                               reverify_on=today + timedelta(days=10),
                               document_kind="BRP"))
    assert _status(employee, rtype) is Status.EXPIRING_SOON
    # re-verified with a new, permanent document: a new record, no expiry
    record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype, verify=True,
               data=RecordData(completed_on=today, document_kind="Share code (ILR)"))
    assert _status(employee, rtype) is Status.COMPLIANT
    assert ComplianceRecord.objects.filter(employee=employee).count() == 2


def test_employee_upload_is_pending_until_verified(org, pdf_upload):
    rtype = RequirementRuleFactory(requirement_type__requires_document=True).requirement_type
    employee_user = org.users["employee"]
    record = record_add(acting_user=employee_user, employee=org.report, requirement_type=rtype,
                        data=RecordData(completed_on=timezone.localdate()),
                        evidence=pdf_upload(), source="portal")
    assert _status(org.report, rtype) is Status.PENDING
    assert AuditEvent.objects.get(object_id=str(record.pk), action="create").source == "portal"
    record_verify(acting_user=employee_user, record=record)
    assert _status(org.report, rtype) is Status.COMPLIANT


def test_rejected_upload_does_not_count(hr_admin, pdf_upload):
    rtype = RequirementRuleFactory(requirement_type__requires_document=True).requirement_type
    employee = EmployeeFactory()
    record = record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype,
                        data=RecordData(), evidence=pdf_upload())
    record_reject(acting_user=hr_admin, record=record, reason="Blurry scan")
    assert _status(employee, rtype) is Status.MISSING
    with pytest.raises(ValidationError):
        record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype,
                   data=RecordData())  # no document, not verified by HR


def test_expiry_before_issue_is_refused(hr_admin):
    rtype = RequirementTypeFactory()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        record_add(acting_user=hr_admin, employee=EmployeeFactory(), requirement_type=rtype,
                   data=RecordData(completed_on=today, expires_on=today - timedelta(days=1)),
                   verify=True)


def _population(n_people: int, n_types: int, hr_admin):
    types = [RequirementRuleFactory().requirement_type for _ in range(n_types)]
    people = [EmployeeFactory() for _ in range(n_people)]
    today = timezone.localdate()
    for person in people[::2]:
        for rtype in types:
            record_add(acting_user=hr_admin, employee=person, requirement_type=rtype,
                       data=RecordData(completed_on=today, expires_on=today
                                       + timedelta(days=20)), verify=True)
    return types, people


def test_matrix_selector_uses_constant_queries(hr_admin, django_assert_num_queries):
    _population(6, 3, hr_admin)
    people = list(employees_in_scope())
    # rules, records (no policy types -> no version/ack queries)
    with django_assert_num_queries(2):
        rows = status_matrix(people)
    assert len(rows) == 6


def test_dashboard_counts_and_constant_queries(hr_admin, django_assert_max_num_queries):
    _population(4, 2, hr_admin)
    # counted live: cells per type and status (all, then leavers'), people and compliant people
    # per department, expiring counts, the first expiring cells' ids and people per status (6);
    # types, department names and those cells (3)
    with django_assert_max_num_queries(9):
        live = dashboard()
    compliance_summary_build()
    # from the summary: the row with "a change waiting?", the employees' fingerprint; types,
    # department names and the first expiring cells
    with django_assert_max_num_queries(5):
        data = dashboard(data=compliance_figures(timezone.localdate()))
    assert data == live
    assert data.by_status[Status.EXPIRING_SOON] == 4
    assert data.by_status[Status.MISSING] == 4
    assert data.expiring[30].count == 4 and len(data.expiring[30].cells) == 4
    assert all(e["rate"] == 50 for e in data.by_requirement)


def test_expiring_window_per_type_and_site_default(hr_admin, settings):
    today = timezone.localdate()
    wide = RequirementRuleFactory(requirement_type__expiring_window_days=90).requirement_type
    default = RequirementRuleFactory().requirement_type
    employee = EmployeeFactory()
    for rtype in (wide, default):
        record_add(acting_user=hr_admin, employee=employee, requirement_type=rtype, verify=True,
                   data=RecordData(completed_on=today, expires_on=today + timedelta(days=45)))
    assert _status(employee, wide) is Status.EXPIRING_SOON
    assert _status(employee, default) is Status.COMPLIANT
    settings.COMPLIANCE_EXPIRING_SOON_DAYS = 60
    assert _status(employee, default) is Status.EXPIRING_SOON


def test_requirements_for_employee_is_one_query(django_assert_num_queries):
    RequirementRuleFactory()
    employee = EmployeeFactory()
    with django_assert_num_queries(1):  # active rules with their types
        assert len(requirements_for_employee(employee)) == 1
