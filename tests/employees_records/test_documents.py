import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(client, employee, name="contract.pdf", content=PDF, content_type="application/pdf",
            doc_type="contract"):
    return client.post(reverse("employees:documents", args=[employee.pk]), {
        "doc_type": doc_type, "title": "Contract",
        "file": SimpleUploadedFile(name, content, content_type=content_type)})


def test_hr_uploads_and_file_is_stored_privately(org, hr_staff, client_for, private_storage):
    response = _upload(client_for(hr_staff), org.report)
    assert response.status_code == 302
    document = Document.objects.get(employee=org.report)
    assert document.file.name.startswith(f"private/employees/{org.report.pk}/")
    assert document.file.name.endswith(".pdf") and "contract" not in document.file.name
    assert (private_storage / document.file.name).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="create", object_type="employees.document").exists()
    # the page links to the checked download view, never to a storage URL
    html = client_for(hr_staff).get(reverse("employees:documents", args=[org.report.pk])).text
    assert reverse("employees:document_download", args=[org.report.pk, document.pk]) in html
    assert document.file.name not in html


@pytest.mark.parametrize(("name", "content", "content_type", "message"), [
    ("virus.exe", b"MZ\x90\x00", "application/octet-stream",
     "Files must be PDF, PNG, JPEG or DOCX."),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "does not match its .pdf extension"),
    ("photo.png", PNG, "application/pdf", "does not match"),
    ("empty.pdf", b"", "application/pdf", "empty"),
])
def test_bad_files_are_refused_with_clear_errors(org, hr_admin, client_for, name, content,
                                                 content_type, message):
    response = _upload(client_for(hr_admin), org.report, name, content, content_type)
    assert response.status_code == 400
    assert message in response.text
    assert not Document.objects.exists()


def test_oversized_file_is_refused(org, hr_admin, client_for):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = _upload(client_for(hr_admin), org.report, content=big)
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.text


def test_download_is_permission_checked_streamed_and_audited(org, hr_admin, client_for):
    _upload(client_for(hr_admin), org.report)
    document = Document.objects.get()
    url = reverse("employees:document_download", args=[org.report.pk, document.pk])
    # the employee themself may download, as an attachment
    response = client_for(org.users["employee"]).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contract.pdf"')
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action="download")
    assert event.actor == org.users["employee"] and event.employee_id == org.report.pk
    # a manager without the documents grant, another employee, payroll: no
    assert client_for(org.users["manager"]).get(url).status_code == 403
    assert client_for(org.users["other"]).get(url).status_code == 404
    # a document id from another employee's profile does not leak through this one's URL
    other_url = reverse("employees:document_download", args=[org.peer.pk, document.pk])
    assert client_for(hr_admin).get(other_url).status_code == 404
    assert AuditEvent.objects.filter(action="download").count() == 1


def test_delete_is_hr_only_and_audited(org, hr_staff, client_for, private_storage):
    _upload(client_for(hr_staff), org.report)
    document = Document.objects.get()
    stored = private_storage / document.file.name
    url = reverse("employees:document_delete", args=[org.report.pk, document.pk])
    assert client_for(org.users["employee"]).post(url).status_code == 403
    assert client_for(hr_staff).post(url).status_code == 302
    assert not Document.objects.exists() and not stored.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="employees.document").exists()


def test_employee_cannot_upload(org, client_for):
    response = _upload(client_for(org.users["employee"]), org.report)
    assert response.status_code == 403


def test_documents_list_query_count(org, hr_admin, client_for, django_assert_max_num_queries):
    client = client_for(hr_admin)
    for n in range(8):
        _upload(client, org.report, name=f"c{n}.pdf")
    # session + user + roles + MFA flag, employee, documents with uploader, messages
    with django_assert_max_num_queries(10):
        response = client.get(reverse("employees:documents", args=[org.report.pk]))
    assert response.text.count("Download</a>") == 8


def test_upload_hint_and_limit_follow_the_setting(org, hr_admin, client_for, settings):
    # given a site that allows 1 MB uploads
    settings.HROPS_MAX_UPLOAD_BYTES = 1024 * 1024
    client = client_for(hr_admin)
    # then the page says so, and a 2 MB PDF is refused
    page = client.get(reverse("employees:documents", args=[org.report.pk])).text
    assert "PDF, PNG, JPEG or DOCX, up to 1 MB." in page
    response = _upload(client, org.report, content=PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 400 and "the limit is 1 MB" in response.text
