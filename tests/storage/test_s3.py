"""Files on object storage: written with one PUT (never a partial or temp object), private,
and handed out only by the permission-checked views, streamed or by a short-lived signed URL."""

import io
import json
import urllib.request
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delivery.files import local_path, store_atomically, tmp_files_clean, write_atomically
from employees.models import Document
from employees.services.documents import document_upload
from payroll.models import Payslip
from payroll.services.payslips import payslip_render
from tests.factories.payroll_outputs import add_bank, finalised_run
from tests.storage.conftest import keys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def test_an_atomic_write_is_one_put_and_leaves_nothing_else(s3_storage):
    # when a worker stores a file, and a second render of it replaces it
    store_atomically("payslips/7/payslip-1.pdf", b"first")
    store_atomically("payslips/7/payslip-1.pdf", b"second")
    # then the bucket holds exactly that object, with the latest bytes
    assert local_path("payslips/7/payslip-1.pdf") is None
    assert keys(s3_storage) == ["payslips/7/payslip-1.pdf"]
    with default_storage.open("payslips/7/payslip-1.pdf", "rb") as fh:
        assert fh.read() == b"second"
    # the hourly temp sweep has nothing to do on object storage
    assert tmp_files_clean() == 0


def test_a_write_that_fails_half_way_leaves_no_object(s3_storage):
    def half_then_crash(handle):
        handle.write(b"half a zip")
        raise RuntimeError("worker crashed")

    with pytest.raises(RuntimeError):
        write_atomically("compliance/sar/x.zip", half_then_crash)
    assert keys(s3_storage) == []


def test_objects_are_private(s3_storage):
    store_atomically("payslips/1/payslip-9.pdf", PDF)
    grants = s3_storage.get_object_acl(Bucket=s3_storage.bucket,
                                       Key="payslips/1/payslip-9.pdf")["Grants"]
    assert all("AllUsers" not in str(g["Grantee"]) and "AuthenticatedUsers"
               not in str(g["Grantee"]) for g in grants)


@pytest.fixture
def report_document(org, hr_admin, s3_storage):
    return document_upload(acting_user=hr_admin, employee=org.report, doc_type="contract",
                           title="Contract", upload=SimpleUploadedFile(
                               "contract.pdf", PDF, content_type="application/pdf"))


def test_an_uploaded_document_goes_to_the_bucket_and_streams_back_after_the_check(
        report_document, s3_storage, org, hr_admin, client_for):
    # given a document uploaded by HR: it is an object in the bucket, not a local file
    assert keys(s3_storage) == [report_document.file.name]
    url = reverse("employees:document_download", args=[org.report.pk, report_document.pk])
    # when HR downloads it, it streams through the app
    response = client_for(hr_admin).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contract.pdf"')
    assert response["Content-Length"] == str(len(PDF))
    assert response["Cache-Control"].startswith("private, no-store")
    assert b"".join(response.streaming_content) == PDF
    # and someone who may not see it gets nothing from the bucket
    assert client_for(org.users["other"]).get(url).status_code == 404


def test_signed_mode_redirects_to_a_short_lived_url_only_after_the_check(
        report_document, s3_storage, org, hr_admin, client_for, settings):
    settings.HROPS_S3_DOWNLOADS = "signed"
    url = reverse("employees:document_download", args=[org.report.pk, report_document.pk])
    assert client_for(org.users["other"]).get(url).status_code == 404
    # when HR downloads
    response = client_for(hr_admin).get(url)
    # then a redirect to the bucket, signed for 60 seconds, naming the file
    assert response.status_code == 302
    signed = response["Location"]
    query = parse_qs(urlparse(signed).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert "contract.pdf" in query["response-content-disposition"][0]
    # and the server hands the bytes out for that URL
    with urllib.request.urlopen(signed, timeout=10) as fetched:  # noqa: S310 (test server)
        assert fetched.read() == PDF
        assert "contract.pdf" in fetched.headers["Content-Disposition"]


def test_a_missing_object_is_a_404_not_a_500(report_document, s3_storage, org, hr_admin,
                                              client_for, settings):
    s3_storage.delete_object(Bucket=s3_storage.bucket, Key=report_document.file.name)
    url = reverse("employees:document_download", args=[org.report.pk, report_document.pk])
    assert client_for(hr_admin).get(url).status_code == 404
    settings.HROPS_S3_DOWNLOADS = "signed"
    assert client_for(hr_admin).get(url).status_code == 404


def test_payslip_pdf_is_rendered_to_the_bucket_and_downloaded_by_its_owner(
        org, hr_admin, s3_storage, client_for):
    # given a finalised payslip rendered by a worker onto object storage
    add_bank(org.report, hr_admin)
    payslip = finalised_run([org.report]).payslips.get()
    assert payslip_render(payslip.pk) == Payslip.PdfStatus.READY
    payslip.refresh_from_db()
    assert keys(s3_storage) == [payslip.pdf_file.name]
    # when the employee downloads it
    response = client_for(org.users["employee"]).get(
        reverse("payroll:payslip_download", args=[payslip.pk]))
    # then the same bytes (the recorded SHA-256), as a PDF attachment
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    from payroll.pdf import sha256

    assert sha256(body) == payslip.pdf_sha256
    assert client_for(org.users["other"]).get(
        reverse("payroll:payslip_download", args=[payslip.pk])).status_code == 404


def test_subject_access_zip_is_built_from_bucket_files_and_stored_there(
        org, hr_admin, s3_storage, report_document, client_for,
        django_capture_on_commit_callbacks):
    from compliance.services.exports import subject_access_request

    # given a rendered payslip too
    add_bank(org.report, hr_admin)
    payslip = finalised_run([org.report]).payslips.get()
    payslip_render(payslip.pk)
    # when HR Admin asks for the export (the worker runs on commit here)
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_request(acting_user=hr_admin, employee=org.report)
    export.refresh_from_db()
    assert export.status == "ready", export.error
    assert export.file.name in keys(s3_storage)
    # then its download holds the document and the PDF read back from the bucket
    response = client_for(hr_admin).get(reverse("compliance:subject_access",
                                        args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert PDF in contents.values()
    assert any(name.startswith("files/payroll/") and body.startswith(b"%PDF-")
               for name, body in contents.items())
    assert json.loads(contents["data.json"])["employee"]["employee_number"] == \
        org.report.employee_number
    assert Document.objects.filter(employee=org.report).count() == 1


def test_evidence_pack_is_rendered_to_the_bucket(org, hr_admin, s3_storage, client_for,
                                                 django_capture_on_commit_callbacks):
    from compliance.services.exports import evidence_pack_request

    with django_capture_on_commit_callbacks(execute=True):
        pack = evidence_pack_request(acting_user=hr_admin, employee=org.report)
    pack.refresh_from_db()
    assert pack.status == "ready", pack.error
    assert keys(s3_storage) == [pack.file.name]
    response = client_for(hr_admin).get(reverse("compliance:evidence_pack", args=[pack.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
