"""Retention: due dates, dry run vs purge, legal holds, HR Admin approval."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from compliance.models import ComplianceRecord, PurgeRun, RetentionRule
from compliance.services.records import RecordData, record_add
from compliance.services.retention import (
    due_date,
    legal_hold_place,
    legal_hold_release,
    purge_execute,
    purge_propose,
)
from compliance.tasks import retention_dry_run_task
from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementTypeFactory

pytestmark = pytest.mark.django_db


def test_i9_due_date_is_later_of_three_years_after_hire_or_one_after_end():
    rule = RetentionRule(years_after_hire=3, years_after_end=1)
    early_leaver = Employee(hire_date=date(2020, 1, 10), status="terminated",
                            termination_date=date(2020, 6, 30))
    long_stayer = Employee(hire_date=date(2015, 1, 10), status="terminated",
                           termination_date=date(2024, 3, 31))
    current = Employee(hire_date=date(2015, 1, 10), status="active")
    assert due_date(rule, early_leaver) == date(2023, 1, 10)
    assert due_date(rule, long_stayer) == date(2025, 3, 31)
    assert due_date(rule, current) is None


def test_uk_rtw_two_years_after_employment_ends():
    rule = RetentionRule(years_after_end=2)
    leaver = Employee(hire_date=date(2019, 1, 1), status="terminated",
                      termination_date=date(2023, 5, 31))
    assert due_date(rule, leaver) == date(2025, 5, 31)


@pytest.fixture
def leavers(hr_admin, pdf_upload):
    rtype = RequirementTypeFactory(name="US Form I-9", kind="right_to_work", country="US")
    RetentionRule.objects.create(name="I-9", requirement_type=rtype, years_after_hire=3,
                                 years_after_end=1)
    people = []
    for _ in range(3):
        person = EmployeeFactory(hire_date=date(2018, 1, 8), status="terminated",
                                 termination_date=date(2022, 1, 31))
        record = record_add(acting_user=hr_admin, employee=person, requirement_type=rtype,
                            data=RecordData(completed_on=date(2018, 1, 8)),
                            evidence=pdf_upload("i9.pdf"), verify=True)
        people.append((person, record))
    current = EmployeeFactory(hire_date=date(2018, 1, 8))
    record_add(acting_user=hr_admin, employee=current, requirement_type=rtype,
               data=RecordData(completed_on=date(2018, 1, 8)), verify=True)
    return people


def test_dry_run_changes_nothing_and_purge_respects_legal_hold(
    hr_admin, leavers, media_root, django_capture_on_commit_callbacks
):
    (held_person, held_record), (_p2, rec2), (_p3, rec3) = leavers
    legal_hold_place(acting_user=hr_admin, employee=held_person, reason="Tribunal claim")
    file_path = media_root / rec2.evidence.name
    assert file_path.exists()
    # when: dry run
    run = purge_propose(acting_user=hr_admin, today=timezone.localdate())
    # then: it lists two due, one held; nothing removed
    assert sorted(i["record_id"] for i in run.report["due"]) == sorted([rec2.pk, rec3.pk])
    assert [i["record_id"] for i in run.report["held"]] == [held_record.pk]
    assert ComplianceRecord.objects.count() == 4
    # a hold placed on a record AFTER the dry run still wins
    legal_hold_place(acting_user=hr_admin, employee=rec3.employee, record=rec3,
                     reason="Subject access dispute")
    # when: HR Admin approves
    with django_capture_on_commit_callbacks(execute=True):
        run = purge_execute(acting_user=hr_admin, run=run)
    # then
    assert run.status == PurgeRun.Status.EXECUTED
    assert run.result["deleted"] == [rec2.pk] and run.result["skipped"] == [rec3.pk]
    assert set(ComplianceRecord.objects.values_list("pk", flat=True)) >= {held_record.pk,
                                                                          rec3.pk}
    assert not ComplianceRecord.objects.filter(pk=rec2.pk).exists()
    assert not file_path.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(rec2.pk)).exists()
    with pytest.raises(ValidationError):
        purge_execute(acting_user=hr_admin, run=run)  # decided runs cannot run twice


def test_released_hold_no_longer_protects(hr_admin, leavers):
    person, record = leavers[0]
    hold = legal_hold_place(acting_user=hr_admin, employee=person, reason="Claim")
    legal_hold_release(acting_user=hr_admin, hold=hold)
    run = purge_propose(acting_user=hr_admin)
    assert record.pk in [i["record_id"] for i in run.report["due"]]


def test_anonymise_keeps_dates_but_drops_identifiers(hr_admin, leavers):
    RetentionRule.objects.update(action=RetentionRule.Action.ANONYMISE)
    run = purge_execute(acting_user=hr_admin, run=purge_propose(acting_user=hr_admin))
    assert len(run.result["anonymised"]) == 3
    record = ComplianceRecord.objects.get(pk=leavers[0][1].pk)
    assert record.anonymised_at and not record.evidence and record.evidence_name == ""
    assert record.completed_on == date(2018, 1, 8)
    assert purge_propose(acting_user=hr_admin).report["due"] == []


def test_only_hr_admin_may_purge(hr_staff, hr_admin, leavers, login, org):
    run = purge_propose(acting_user=hr_admin)
    with pytest.raises(PermissionDenied):
        purge_execute(acting_user=hr_staff, run=run)
    url = reverse("compliance:purge_approve", args=[run.pk])
    assert login(hr_staff).post(url).status_code == 403
    assert login(org.users["employee"]).get(reverse("compliance:retention")).status_code == 403
    assert login(hr_staff).get(reverse("compliance:purge_run", args=[run.pk])).status_code == 200
    assert login(hr_admin).post(url).status_code == 302
    run.refresh_from_db()
    assert run.status == PurgeRun.Status.EXECUTED


def test_scheduled_dry_run_and_pages(hr_admin, leavers, login):
    run = PurgeRun.objects.get(pk=retention_dry_run_task.apply().get())
    assert len(run.report["due"]) == 3 and run.status == PurgeRun.Status.PROPOSED
    client = login(hr_admin)
    assert client.get(reverse("compliance:retention")).status_code == 200
    assert client.post(reverse("compliance:retention_dry_run")).status_code == 302
    csv = client.get(reverse("compliance:purge_run", args=[run.pk]) + "?format=csv")
    assert csv.content.decode("utf-8-sig").count("\n") == 4
