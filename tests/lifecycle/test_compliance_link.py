"""Issue 13 item 9: a checklist task linked to a compliance requirement. Completing it with its
evidence creates (or renews) the compliance record; adding the record on the compliance side
completes the open task."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import ComplianceRecord, RequirementKind
from compliance.services.records import RecordData, record_add
from employees.models import Employment
from lifecycle.models import Checklist, Task
from lifecycle.services.checklists import checklist_start, task_complete, task_upload_document
from tests.factories.compliance import RequirementTypeFactory
from tests.factories.lifecycle import make_template, task_spec

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}


@pytest.fixture
def rtw():
    return RequirementTypeFactory(name="UK right to work", kind=RequirementKind.RIGHT_TO_WORK,
                                  requires_document=True, country="GB")


def _start(org, hr_staff, rtw, *extra):
    template = make_template("Welcome", tasks=[
        task_spec("Right-to-work check", requirement="upload", compliance_requirement=rtw),
        *extra])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    return checklist.tasks.get(title="Right-to-work check")


def test_completing_the_linked_task_with_evidence_records_the_requirement(org, hr_staff, rtw):
    # given
    task = _start(org, hr_staff, rtw)
    task_upload_document(acting_user=hr_staff, task=task,
                         upload=SimpleUploadedFile("passport.pdf", PDF,
                                                   content_type="application/pdf"))
    # when
    task_complete(acting_user=hr_staff, task=task)
    # then: a verified record (HR did it) with the task's document as evidence
    record = ComplianceRecord.objects.get(employee=org.report, requirement_type=rtw)
    assert record.verification == ComplianceRecord.Verification.VERIFIED
    assert record.evidence_name == "passport.pdf"
    with record.evidence.open("rb") as fh:
        assert fh.read() == PDF
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_the_linked_task_needs_its_evidence_first(org, hr_staff, rtw):
    task = _start(org, hr_staff, rtw)
    with pytest.raises(ValidationError, match="evidence"):
        task_complete(acting_user=hr_staff, task=task)
    assert not ComplianceRecord.objects.exists()


def test_completing_again_later_renews_the_record(org, hr_staff, rtw):
    # given: a record on file already
    record_add(acting_user=hr_staff, employee=org.report, requirement_type=rtw, verify=True,
               data=RecordData(completed_on=None))
    task = _start(org, hr_staff, rtw)  # a new checklist after the record: its task is open
    task_upload_document(acting_user=hr_staff, task=task, upload=SimpleUploadedFile(
        "brp.pdf", PDF, content_type="application/pdf"))
    # when
    task_complete(acting_user=hr_staff, task=task)
    # then: a second record (the renewal), the first kept as history
    assert ComplianceRecord.objects.filter(employee=org.report, requirement_type=rtw).count() == 2


def test_a_record_added_on_the_compliance_side_completes_the_open_task(org, hr_staff, rtw):
    # given: the task and another, unlinked one
    task = _start(org, hr_staff, rtw, task_spec("Laptop"))
    # when: HR records the right-to-work check on the compliance page
    record_add(acting_user=hr_staff, employee=org.report, requirement_type=rtw, verify=True,
               data=RecordData(completed_on=None))
    # then: the linked task is done, the other is still open
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.skip_reason == (
        "closed: compliance record added")
    assert Task.objects.get(title="Laptop").status == Task.Status.OPEN
    assert Checklist.objects.get().status == Checklist.Status.OPEN


def test_another_persons_record_does_not_touch_the_task(org, hr_staff, rtw):
    task = _start(org, hr_staff, rtw)
    record_add(acting_user=hr_staff, employee=org.peer, requirement_type=rtw, verify=True,
               data=RecordData(completed_on=None))
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_template_form_offers_the_requirement(rtw):
    from lifecycle.forms import TemplateTaskForm

    form = TemplateTaskForm(data={"title": "RTW", "assignee_rule": "hr", "anchor": "start",
                                  "offset_days": "0", "compliance_requirement": rtw.pk})
    assert form.is_valid(), form.errors
    assert form.task_data()["compliance_requirement"] == rtw
