"""Subject-access ZIP: the employees hook (bank accounts, contacts, documents) and the lifecycle
hook (checklists, task history and uploads, offboarding) — only the person's own, files copied
under safe archive names."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from employees.models import Document, Employment
from employees.privacy import subject_access_data as employee_section
from lifecycle.models import Task
from lifecycle.privacy import subject_access_data as lifecycle_section
from lifecycle.services.checklists import checklist_start, task_upload_document
from tests.factories.employees_records import GB_IBAN, BankAccountFactory, EmergencyContactFactory
from tests.factories.lifecycle import make_template, task_spec

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% a test file\n"


def _document(employee, name: str) -> Document:
    doc = Document(employee=employee, doc_type=Document.Type.CONTRACT, title="Contract",
                   original_name=name, content_type="application/pdf", size=len(PDF))
    doc.file.save("contract.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def _checklist_with_upload(employee, hr_admin, name: str):
    template = make_template("Onboarding", tasks=[
        task_spec("Upload your ID", requirement="upload"), task_spec("Read the handbook")])
    checklist = checklist_start(acting_user=hr_admin, template=template, employee=employee,
                                employment=Employment.objects.get(employee=employee))
    task = checklist.tasks.get(title="Upload your ID")
    task_upload_document(acting_user=hr_admin, task=task,
                         upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"))
    return checklist


def test_zip_has_own_bank_contacts_documents_and_checklists_only(org, hr_admin,
                                                                 subject_access_zip):
    # given the person's records, and a colleague's of the same kinds
    BankAccountFactory(employee=org.report)
    BankAccountFactory(employee=org.peer, iban="DE89370400440532013000", last4="3000")
    EmergencyContactFactory(employee=org.report, name="Robin Own")
    EmergencyContactFactory(employee=org.peer, name="Sam Other")
    own_doc = _document(org.report, "../../etc/my contract.pdf")
    _document(org.peer, "colleague.pdf")
    _checklist_with_upload(org.report, hr_admin, "../passport scan.pdf")
    _checklist_with_upload(org.peer, hr_admin, "colleague-id.pdf")
    # when
    files = subject_access_zip(org.report)
    data = json.loads(files["data.json"])
    # then the person's own bank account in full, their contact and documents
    [account] = data["employees"]["bank_accounts"]
    assert account["iban"] == GB_IBAN and account["primary"] is True
    assert [c["name"] for c in data["employees"]["emergency_contacts"]] == ["Robin Own"]
    [doc] = data["employees"]["documents"]
    assert doc["file_name"] == "../../etc/my contract.pdf"
    assert doc["archive_file"] == f"files/documents/{own_doc.pk}-my_contract.pdf"
    assert files[doc["archive_file"]] == PDF
    # and their checklist with the task history and the upload, under a safe name
    [checklist] = data["lifecycle"]["checklists"]
    upload_task = next(t for t in checklist["tasks"] if t["title"] == "Upload your ID")
    [upload] = upload_task["uploads"]
    assert upload["file_name"] == "passport scan.pdf"  # Django keeps only the last segment
    assert upload["archive_file"].startswith("files/tasks/")
    assert upload["archive_file"].endswith("-passport_scan.pdf")
    assert files[upload["archive_file"]] == PDF
    assert [e["action"] for e in upload_task["history"]] == ["uploaded"]
    # nothing of the colleague's, and no storage paths in data.json
    raw = files["data.json"].decode()
    assert "Sam Other" not in raw and "DE89370400440532013000" not in raw
    assert "colleague" not in " ".join(files) and "private/employees" not in raw
    assert "files" not in data["employees"] and "files" not in data["lifecycle"]


def test_hooks_use_a_fixed_number_of_queries(org, hr_admin, django_assert_max_num_queries):
    for n in range(3):
        _document(org.report, f"doc{n}.pdf")
        BankAccountFactory(employee=org.report, is_primary=False, last4=f"000{n}")
    checklist = _checklist_with_upload(org.report, hr_admin, "id.pdf")
    assert Task.objects.filter(checklist=checklist).count() == 2
    employee = type(org.report).objects.select_related("user").get(pk=org.report.pk)
    with django_assert_max_num_queries(4):
        section = employee_section(employee)
    assert len(section["documents"]) == 3 and len(section["bank_accounts"]) == 3
    with django_assert_max_num_queries(5):
        section = lifecycle_section(employee)
    assert len(section["files"]) == 1
