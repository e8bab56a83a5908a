"""Retention of the employee record: a former employee's personal data is anonymised through the
dry run → HR Admin approval, never while payroll records must be kept or a legal hold applies."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from compliance.models import ComplianceRecord, RetentionRule
from compliance.services.records import RecordData, record_add
from compliance.services.retention import (
    legal_hold_place,
    legal_hold_release,
    purge_execute,
    purge_propose,
    retention_report,
)
from employees.models import BankAccount, Document, EmergencyContact, Employee, Employment
from employees.services.anonymise import employee_anonymise
from lifecycle.models import TaskDocument
from lifecycle.services.checklists import checklist_start, task_upload_document
from payroll.models import Payslip
from tests.factories import EmployeeFactory
from tests.factories.accounts import UserFactory
from tests.factories.compliance import RequirementTypeFactory
from tests.factories.employees_records import BankAccountFactory, EmergencyContactFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.factories.payroll_history import paid_on

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% a test file\n"
TODAY = date(2026, 1, 5)


def _leaver(terminated: date = date(2019, 3, 31), **fields) -> Employee:
    return EmployeeFactory(hire_date=date(2012, 1, 9), status=Employee.Status.TERMINATED,
                           termination_date=terminated, **fields)


def _ids(items: list[dict]) -> list[int]:
    return [i["employee_id"] for i in items]


@pytest.fixture
def leaver(hr_admin, pdf_upload):
    """A former employee with personal data in every app: contact, ID, login, bank details,
    an emergency contact, a document, a task upload, a compliance record, a rendered payslip."""
    user = UserFactory(email="jo.leaver@example.test", full_name="Jo Leaver", is_active=False)
    person = _leaver(
        legal_first_name="Jo", legal_last_name="Leaver", preferred_name="Jojo", user=user,
        personal_email="jo@home.example", phone="07700 900123", date_of_birth=date(1980, 2, 3),
        address_line1="1 High Street", address_line2="Flat 2", city="Leeds", region="Yorks",
        postal_code="LS1 1AA", country="GB", national_id="QQ123456C", national_id_last4="456C",
        national_id_country="GB")
    BankAccountFactory(employee=person)
    EmergencyContactFactory(employee=person, name="Sam Leaver")
    doc = Document(employee=person, doc_type=Document.Type.CONTRACT, title="Contract",
                   original_name="contract.pdf", content_type="application/pdf", size=len(PDF))
    doc.file.save("contract.pdf", ContentFile(PDF), save=False)
    doc.save()
    template = make_template("Onboarding", tasks=[task_spec("Upload ID", requirement="upload")])
    checklist = checklist_start(acting_user=hr_admin, template=template, employee=person,
                                employment=Employment.objects.get(employee=person))
    task_upload_document(acting_user=hr_admin, task=checklist.tasks.get(),
                         upload=SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"))
    rtype = RequirementTypeFactory(name="UK right to work", kind="right_to_work")
    record_add(acting_user=hr_admin, employee=person, requirement_type=rtype,
               data=RecordData(completed_on=date(2012, 1, 9), document_number="P1234567"),
               evidence=pdf_upload("passport.pdf"), verify=True)
    run = paid_on([person], pay_date=date(2019, 3, 29), country="GB")
    name = default_storage.save(f"payslips/{run.pk}/jo.pdf", ContentFile(PDF))
    Payslip.objects.filter(employee=person).update(pdf_status=Payslip.PdfStatus.READY,
                                                   pdf_file=name, pdf_sha256="ab" * 32)
    audit_record(actor=hr_admin, action="update", obj=person, employee_id=person.pk,
                 changes={"phone": ["07700 900000", "07700 900123"]})
    return person


# --- who is due ------------------------------------------------------------------------------

def test_due_on_the_anniversary_of_termination_not_the_day_before():
    # given the default rule (6 years after the employment ends) and a leaver of 31 March 2019
    person = _leaver(date(2019, 3, 31))
    # then: not due on 30 March 2025, due on 31 March 2025
    assert person.pk not in _ids(retention_report(today=date(2025, 3, 30))["employees"])
    [item] = retention_report(today=date(2025, 3, 31))["employees"]
    assert item["employee_id"] == person.pk and item["due_on"] == "2025-03-31"
    assert item["action"] == "anonymise"


def test_current_staff_and_anonymised_people_are_never_due(hr_admin):
    current = EmployeeFactory(hire_date=date(2010, 1, 4))
    done = _leaver()
    employee_anonymise(acting_user=hr_admin, employee=done)
    assert current.pk not in _ids(retention_report(today=TODAY)["employees"])
    assert _ids(retention_report(today=TODAY)["employees"]) == []


def test_inactive_or_missing_rule_lists_nobody():
    _leaver()
    RetentionRule.objects.filter(kind="employee_record").update(active=False)
    assert retention_report(today=TODAY)["employees"] == []


def test_payroll_records_still_in_their_period_keep_the_person():
    # given a 1-year rule, a leaver paid in the UK tax year 2024-25, one paid in 2019 in the
    # US, and one never paid
    RetentionRule.objects.filter(kind="employee_record").update(years_after_end=1)
    recent = _leaver(date(2025, 1, 31))
    paid_on([recent], pay_date=date(2025, 1, 28), country="GB")  # kept until 5 April 2028
    us_leaver = _leaver(date(2019, 12, 31))
    paid_on([us_leaver], pay_date=date(2019, 12, 27), country="US")  # due 1 Feb 2024
    never_paid = _leaver(date(2024, 6, 30))
    # when
    due = _ids(retention_report(today=date(2026, 6, 1))["employees"])
    # then
    assert recent.pk not in due
    assert sorted(due) == sorted([us_leaver.pk, never_paid.pk])
    # the last day of the US period (31 January 2024) the US leaver is kept too
    assert us_leaver.pk not in _ids(retention_report(today=date(2024, 1, 31))["employees"])
    assert us_leaver.pk in _ids(retention_report(today=date(2024, 2, 1))["employees"])


def test_legal_hold_keeps_the_person_and_the_page_shows_them_kept(hr_admin, login):
    person = _leaver()
    legal_hold_place(acting_user=hr_admin, employee=person, reason="Tribunal claim")
    run = purge_propose(acting_user=hr_admin, today=TODAY)
    assert run.report["employees"] == [] and _ids(run.report["employees_held"]) == [person.pk]
    body = login(hr_admin).get(reverse("compliance:purge_run", args=[run.pk])).content.decode()
    assert "Former employees kept: under legal hold (1)" in body
    assert person.employee_number in body


def test_a_hold_on_one_record_keeps_the_whole_person(hr_admin):
    person = _leaver()
    rtype = RequirementTypeFactory()
    record = record_add(acting_user=hr_admin, employee=person, requirement_type=rtype,
                        data=RecordData(completed_on=date(2012, 1, 9)), verify=True)
    hold = legal_hold_place(acting_user=hr_admin, employee=person, record=record, reason="Audit")
    assert _ids(retention_report(today=TODAY)["employees_held"]) == [person.pk]
    legal_hold_release(acting_user=hr_admin, hold=hold)
    assert _ids(retention_report(today=TODAY)["employees"]) == [person.pk]


def test_a_hold_placed_after_the_dry_run_wins(hr_admin):
    kept, gone = _leaver(), _leaver()
    run = purge_propose(acting_user=hr_admin, today=TODAY)
    assert sorted(_ids(run.report["employees"])) == sorted([kept.pk, gone.pk])
    legal_hold_place(acting_user=hr_admin, employee=kept, reason="Claim received")
    # when
    run = purge_execute(acting_user=hr_admin, run=run, today=TODAY)
    # then
    assert run.result["employees"] == [gone.pk] and run.result["employees_skipped"] == [kept.pk]
    kept.refresh_from_db()
    assert kept.anonymised_at is None and kept.legal_first_name != "Former employee"


# --- what the purge does ---------------------------------------------------------------------

def test_purge_clears_personal_data_and_keeps_payroll_facts(
    hr_admin, leaver, media_root, django_capture_on_commit_callbacks
):
    payslip = Payslip.objects.get(employee=leaver)
    files = [media_root / leaver.documents.get().file.name,
             media_root / TaskDocument.objects.get().file.name,
             media_root / ComplianceRecord.objects.get(employee=leaver).evidence.name,
             media_root / payslip.pdf_file.name]
    assert all(f.exists() for f in files)
    run = purge_propose(acting_user=hr_admin, today=TODAY)
    assert _ids(run.report["employees"]) == [leaver.pk]
    # when approved: files are removed only by the on-commit callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        purge_execute(acting_user=hr_admin, run=run, today=TODAY)
    assert all(f.exists() for f in files)
    for callback in callbacks:
        callback()
    assert not any(f.exists() for f in files)
    # then the personal fields are cleared ...
    person = Employee.objects.get(pk=leaver.pk)
    assert (person.legal_first_name, person.legal_last_name) == ("Former employee",
                                                                 leaver.employee_number)
    assert person.display_name == f"Former employee {leaver.employee_number}"
    for name in ("preferred_name", "personal_email", "phone", "address_line1", "address_line2",
                 "city", "region", "postal_code", "country", "national_id",
                 "national_id_last4", "national_id_country"):
        assert getattr(person, name) == "", name
    assert person.work_email is None and person.date_of_birth is None
    assert person.anonymised_at is not None
    # ... what payroll statistics need is kept ...
    assert person.employee_number == leaver.employee_number
    assert (person.hire_date, person.termination_date) == (date(2012, 1, 9), date(2019, 3, 31))
    assert (person.department_id, person.location_id, person.job_title_id) == (
        leaver.department_id, leaver.location_id, leaver.job_title_id)
    assert person.job_records.count() == 1 and person.employments.count() == 1
    # ... personal rows are gone, task and compliance history stays without the files
    assert not BankAccount.objects.filter(employee=person).exists()
    assert not EmergencyContact.objects.filter(employee=person).exists()
    assert not Document.objects.filter(employee=person).exists()
    assert not TaskDocument.objects.exists()
    record = ComplianceRecord.objects.get(employee=person)
    assert record.anonymised_at and record.document_number == "" and not record.evidence
    # ... and the payslip stays with every amount, its PDF marked as deleted
    after = Payslip.objects.get(pk=payslip.pk)
    assert after.pdf_status == Payslip.PdfStatus.PURGED and not after.pdf_file
    for field in ("gross", "net", "total_employee_tax", "employer_cost", "number"):
        assert getattr(after, field) == getattr(payslip, field)
    assert isinstance(after.net, Decimal)


def test_login_disabled_scrubbed_and_its_address_reusable(hr_admin, leaver):
    leaver.user.is_active = True
    leaver.user.save(update_fields=["is_active"])
    user_pk = leaver.user_id
    employee_anonymise(acting_user=hr_admin, employee=leaver)
    user = User.objects.get(pk=user_pk)
    assert user.is_active is False and not user.has_usable_password()
    assert user.email == f"anonymised-{user_pk}@invalid"
    assert (user.full_name, user.first_name, user.last_name) == ("", "", "")
    # the old address can be given to a new account
    assert UserFactory(email="jo.leaver@example.test").pk != user_pk


def test_audit_values_redacted_actors_and_count_kept_one_new_event(hr_admin, leaver):
    events = AuditEvent.objects.filter(employee_id=leaver.pk)
    before = {e.pk: (e.actor_id, e.action, e.at, sorted(e.changes)) for e in events}
    # when
    employee_anonymise(acting_user=hr_admin, employee=leaver)
    # then every earlier event keeps who/when/what/which fields, but no value
    for event in AuditEvent.objects.filter(pk__in=before):
        assert (event.actor_id, event.action, event.at, sorted(event.changes)) == before[event.pk]
        assert all(v == ["[anonymised]", "[anonymised]"] for v in event.changes.values())
        assert "Leaver" not in event.object_label
    phone = AuditEvent.objects.get(pk__in=before, changes__has_key="phone")
    assert phone.changes == {"phone": ["[anonymised]", "[anonymised]"]}
    # and exactly one new event about the person, listing field names only
    [new] = AuditEvent.objects.filter(employee_id=leaver.pk).exclude(pk__in=before)
    assert new.actor == hr_admin and "anonymised by retention purge" in new.note
    assert {"legal_first_name", "phone", "national_id", "user.email"} <= set(new.changes)
    assert "Jo" not in str(new.changes) and "07700" not in str(new.changes)
    assert "QQ123456C" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_anonymising_twice_and_approving_twice_change_nothing(hr_admin, leaver):
    run = purge_propose(acting_user=hr_admin, today=TODAY)
    purge_execute(acting_user=hr_admin, run=run, today=TODAY)
    person = Employee.objects.get(pk=leaver.pk)
    stamp, events = person.anonymised_at, AuditEvent.objects.count()
    # when
    again = employee_anonymise(acting_user=hr_admin, employee=person)
    with pytest.raises(ValidationError):
        purge_execute(acting_user=hr_admin, run=run, today=TODAY)
    # then
    assert again.anonymised_at == stamp and AuditEvent.objects.count() == events
    assert retention_report(today=TODAY)["employees"] == []
    second = purge_execute(acting_user=hr_admin, run=purge_propose(acting_user=hr_admin,
                                                                   today=TODAY), today=TODAY)
    assert second.result["employees"] == []


def test_a_current_employee_cannot_be_anonymised(hr_admin):
    with pytest.raises(ValidationError):
        employee_anonymise(acting_user=hr_admin, employee=EmployeeFactory())


# --- permissions, pages, scale ---------------------------------------------------------------

def test_only_hr_admin_approves_hr_staff_may_view(hr_admin, hr_staff, login):
    person = _leaver()
    run = purge_propose(acting_user=hr_staff, today=TODAY)
    with pytest.raises(PermissionDenied):
        purge_execute(acting_user=hr_staff, run=run, today=TODAY)
    client = login(hr_staff)
    page = client.get(reverse("compliance:purge_run", args=[run.pk]))
    assert page.status_code == 200
    assert "Former employees: personal data to anonymise (1)" in page.content.decode()
    assert client.post(reverse("compliance:purge_approve", args=[run.pk])).status_code == 403
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_page_export_and_profile_badge(hr_admin, login):
    person = _leaver()
    run = purge_propose(acting_user=hr_admin, today=TODAY)
    client = login(hr_admin)
    body = client.get(reverse("compliance:purge_run", args=[run.pk])).content.decode()
    assert person.legal_last_name in body and "2019-03-31" in body
    csv = client.get(reverse("compliance:purge_run", args=[run.pk]) + "?format=csv")
    [row] = [r for r in csv.content.decode("utf-8-sig").splitlines() if person.employee_number
             in r]
    assert "Employee record" in row and row.endswith(",due")
    # when approved through the page
    client.post(reverse("compliance:purge_approve", args=[run.pk]))
    profile = client.get(reverse("employees:profile", args=[person.pk])).content.decode()
    assert "Anonymised on" in profile and person.legal_last_name not in profile


def test_report_queries_do_not_grow_with_employees(hr_admin, django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            retention_report(today=TODAY)
        return len(ctx.captured_queries)

    people = [_leaver() for _ in range(3)]
    paid_on(people, pay_date=date(2019, 3, 29), country="GB")
    few = count()
    more = [_leaver() for _ in range(20)]
    paid_on(more, pay_date=date(2019, 2, 28), country="GB")
    legal_hold_place(acting_user=hr_admin, employee=more[0], reason="Claim")
    assert count() == few
    # rules, holds x2, payroll retention, external payroll, employee rule, payroll kept,
    # holds, employees
    with django_assert_max_num_queries(10):
        report = retention_report(today=TODAY)
    assert len(report["employees"]) == 22 and len(report["employees_held"]) == 1


def test_employee_record_rule_shape_is_enforced():
    rule = RetentionRule.objects.get(kind="employee_record")
    assert rule.years_after_end == 6 and rule.action == "anonymise" and rule.active
    rule.action = RetentionRule.Action.DELETE
    with pytest.raises(ValidationError):
        rule.full_clean()
    second = RetentionRule(name="Another", kind="employee_record", years_after_end=3,
                           action="anonymise")
    with pytest.raises(ValidationError):
        second.full_clean()


def test_free_text_about_the_person_is_cleared_and_the_record_cannot_be_rehired(hr_admin,
                                                                                 leaver):
    from employees.services.core import IllegalTransition, employee_rehire
    from lifecycle.models import Task, TaskEvent

    # given free text about the person: an audit note, a task skip reason, task event notes
    audit_record(actor=hr_admin, action="update", obj=leaver, employee_id=leaver.pk,
                 note="Jo called from her home number")
    Task.objects.filter(checklist__employee=leaver).update(skip_reason="Jo is on holiday")
    events = TaskEvent.objects.filter(task__checklist__employee=leaver)
    assert events.exclude(note="").exists()  # the upload's event names the file
    # when
    purge_execute(acting_user=hr_admin, run=purge_propose(acting_user=hr_admin, today=TODAY),
                  today=TODAY)
    # then
    assert not events.exclude(note="").exists()
    assert not Task.objects.filter(checklist__employee=leaver).exclude(skip_reason="").exists()
    notes = list(AuditEvent.objects.filter(employee_id=leaver.pk).values_list("note", flat=True))
    assert "[anonymised]" in notes and not any("Jo " in n for n in notes)
    assert sum("anonymised by retention purge" in n for n in notes) == 1  # its own note stays
    # and a returning person gets a new record, not this one
    with pytest.raises(IllegalTransition, match="new employee"):
        employee_rehire(acting_user=hr_admin, employee=Employee.objects.get(pk=leaver.pk),
                        start_date=TODAY, job=None, pay=None)
