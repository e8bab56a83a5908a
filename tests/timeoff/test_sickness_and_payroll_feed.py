"""Sickness recording and what payroll's absence provider returns."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from payroll.absence_feed import AbsenceKind, absence_provider
from tests.factories.timeoff import leave_type
from timeoff.payroll_feed import TimeOffAbsenceProvider
from timeoff.services.patterns import working_pattern_set
from timeoff.services.requests import Dates, request_create
from timeoff.services.sickness import fit_note_attach, needs_fit_note, sickness_record

pytestmark = pytest.mark.django_db


def test_the_employee_self_certifies_up_to_seven_days(org):
    sick = sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                           last_day=date(2026, 3, 8), acting_user=org.users["employee"])
    assert sick.status == "approved" and sick.self_certified
    with pytest.raises(ValidationError, match="up to 7 days"):
        sickness_record(employee=org.report, first_day=date(2026, 4, 1),
                        last_day=date(2026, 4, 8), acting_user=org.users["employee"])


def test_the_manager_records_longer_sickness_and_a_fit_note_is_asked_for(org):
    sick = sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                           last_day=date(2026, 3, 13), acting_user=org.users["manager"])
    assert needs_fit_note(sick)
    note = SimpleUploadedFile("fit-note.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    sick = fit_note_attach(request=sick, upload=note, acting_user=org.users["manager"])
    assert not needs_fit_note(sick)


def test_a_fit_note_goes_through_upload_validation(org):
    sick = sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                           last_day=date(2026, 3, 13), acting_user=org.users["manager"])
    fake = SimpleUploadedFile("fit-note.pdf", b"MZ not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        fit_note_attach(request=sick, upload=fake, acting_user=org.users["manager"])


def test_a_colleague_cannot_record_sickness(org):
    with pytest.raises(PermissionDenied):
        sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                        last_day=date(2026, 3, 3), acting_user=org.users["other"])


def test_payroll_is_configured_to_ask_timeoff():
    assert isinstance(absence_provider(), TimeOffAbsenceProvider)


def test_the_provider_returns_sickness_and_family_leave_in_the_range(org, hr_admin):
    sick = sickness_record(employee=org.report, first_day=date(2026, 3, 2),
                           last_day=date(2026, 3, 11), acting_user=org.users["manager"])
    maternity = request_create(employee=org.peer, leave_type=leave_type("maternity"),
                               dates=Dates(date(2026, 3, 20), date(2026, 12, 17)),
                               acting_user=hr_admin, expected_week=date(2026, 4, 5))
    from timeoff.services.requests import request_approve

    request_approve(request=maternity, acting_user=hr_admin)
    # pending or unrelated leave is not returned
    request_create(employee=org.intern, leave_type=leave_type("maternity"),
                   dates=Dates(date(2026, 3, 2), date(2026, 3, 5)), acting_user=hr_admin)
    found = TimeOffAbsenceProvider().statutory_absences(
        [org.report.pk, org.peer.pk, org.intern.pk], date(2026, 3, 1), date(2026, 3, 31))
    assert set(found) == {org.report.pk, org.peer.pk}
    (absence,) = found[org.report.pk]
    assert (absence.kind, absence.first_day, absence.last_day, absence.source) == (
        AbsenceKind.SICKNESS, date(2026, 3, 2), date(2026, 3, 11),
        f"timeoff.LeaveRequest:{sick.pk}")
    assert found[org.peer.pk][0].expected_week == date(2026, 4, 5)
    assert TimeOffAbsenceProvider().statutory_absences(
        [org.report.pk], date(2026, 4, 1), date(2026, 4, 30)) == {}


def test_working_weeks_follow_the_patterns(org, hr_admin):
    working_pattern_set(employee=org.report, effective_from=date(2025, 6, 2),
                        hours=[8, 8, 8, 0, 0, 0, 0], acting_user=hr_admin)
    weeks = TimeOffAbsenceProvider().working_weeks([org.report.pk, org.peer.pk],
                                                   date(2026, 3, 1))
    assert [(w.weekdays, w.effective_from) for w in weeks[org.report.pk]] == [
        (frozenset({0, 1, 2, 3, 4}), org.report.hire_date),
        (frozenset({0, 1, 2}), date(2025, 6, 2))]
    assert [w.weekdays for w in weeks[org.peer.pk]] == [frozenset({0, 1, 2, 3, 4})]


def test_sickness_raises_a_return_to_work_task_for_the_manager(org, hr_admin):
    from lifecycle.models import Task
    from lifecycle.services.checklists import task_complete

    # given: Mon 2 .. Fri 6 March; back on Monday 9 March
    sickness_record(employee=org.report, first_day=date(2026, 3, 2), last_day=date(2026, 3, 6),
                    acting_user=hr_admin)
    (task,) = Task.objects.filter(checklist__employee=org.report)
    assert task.assignee_user == org.users["manager"] and task.due_date == date(2026, 3, 9)
    task_complete(acting_user=org.users["manager"], task=task)
    # a second sickness reopens the same checklist with a new task
    sickness_record(employee=org.report, first_day=date(2026, 4, 7), last_day=date(2026, 4, 7),
                    acting_user=hr_admin)
    tasks = Task.objects.filter(checklist__employee=org.report).order_by("due_date")
    assert [t.status for t in tasks] == ["done", "open"]
    assert tasks[0].checklist_id == tasks[1].checklist_id
    assert tasks[1].checklist.status == "open"
