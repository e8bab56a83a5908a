"""Evidence pack (PDF via Celery task) and subject-access export (ZIP)."""

import json
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from compliance.models import EvidencePack, JobStatus, SubjectAccessExport
from compliance.services import exports
from compliance.services.exports import evidence_pack_request, subject_access_request
from compliance.services.policies import (
    policy_acknowledge,
    policy_create,
    policy_open,
    policy_version_publish,
)
from compliance.services.records import RecordData, record_add
from tests.factories.compliance import RequirementRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(org, hr_admin, pdf_upload):
    rtype = RequirementRuleFactory(requirement_type__name="UK right-to-work check",
                                   requirement_type__kind="right_to_work").requirement_type
    today = timezone.localdate()
    record = record_add(acting_user=hr_admin, employee=org.report, requirement_type=rtype,
                        data=RecordData(completed_on=today, document_kind="Passport"),
                        evidence=pdf_upload("passport.pdf"), verify=True)
    policy = policy_create(acting_user=hr_admin, title="Code of Conduct")
    version = policy_version_publish(acting_user=hr_admin, policy=policy, label="1", body="x")
    policy_open(employee=org.report, version=version)
    policy_acknowledge(acting_user=org.users["employee"], employee=org.report, version=version)
    return record


def test_evidence_pack_task_renders_pdf(org, hr_admin, held, django_capture_on_commit_callbacks):
    # when HR requests a pack, the render task is enqueued on commit (eager here)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pack = evidence_pack_request(acting_user=hr_admin, employee=org.report)
    assert len(callbacks) == 1
    pack.refresh_from_db()
    # then it is ready, and the file is a PDF
    assert pack.status == JobStatus.READY, pack.error
    with pack.file.open("rb") as fh:
        assert fh.read(4) == b"%PDF"
    # re-running the task for a finished pack does nothing (claim fails)
    exports.evidence_pack_render(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == JobStatus.READY


def test_evidence_pack_failure_is_recorded(org, hr_admin, held, monkeypatch):
    pack = EvidencePack.objects.create(employee=org.report, requested_by=hr_admin)

    def broken(employee):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(exports, "evidence_pack_html", broken)
    exports.evidence_pack_render(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == JobStatus.FAILED and "template exploded" in pack.error
    assert not pack.file


def test_evidence_pack_html_lists_requirements_and_documents(org, held):
    html = exports.evidence_pack_html(org.report)
    assert "UK right-to-work check" in html and "passport.pdf" in html
    assert "Code of Conduct" in html and settings.COMPANY_NAME in html


def test_evidence_pack_download_permission(login, org, hr_admin, held,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = evidence_pack_request(acting_user=hr_admin, employee=org.report)
    pack.refresh_from_db()
    url = reverse("compliance:evidence_pack", args=[pack.pk])
    assert login(org.users["manager"]).get(url).status_code == 403
    assert login(org.users["other"]).get(url).status_code == 404
    response = login(hr_admin).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_subject_access_export_contents(org, hr_admin, held, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_request(acting_user=hr_admin, employee=org.report)
    export.refresh_from_db()
    assert export.status == JobStatus.READY, export.error
    with export.file.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        assert f"files/{held.pk}-passport.pdf" in names
        assert archive.read(f"files/{held.pk}-passport.pdf").startswith(b"%PDF")
    assert data["employee"]["legal_last_name"] == org.report.legal_last_name
    assert len(data["jobs"]) == 1 and len(data["employments"]) == 1
    assert "pay_records" in data
    assert data["compliance_records"][0]["requirement"] == "UK right-to-work check"
    assert data["policy_acknowledgements"][0]["policy"] == "Code of Conduct"
    assert any(e["object_type"] == "compliance.compliancerecord" for e in data["audit_events"])


def test_subject_access_is_hr_admin_only_and_audited(login, org, hr_admin, hr_staff, held,
                                                     django_capture_on_commit_callbacks):
    url = reverse("compliance:subject_access_request", args=[org.report.pk])
    assert login(hr_staff).post(url).status_code == 403
    assert login(org.users["employee"]).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert login(hr_admin).post(url).status_code == 302
    export = SubjectAccessExport.objects.get()
    download = reverse("compliance:subject_access", args=[export.pk])
    assert login(hr_staff).get(download).status_code == 403
    response = login(hr_admin).get(download)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(object_type="compliance.subjectaccessexport",
                                     action__in=["export", "download"]).count() == 2


def test_pack_status_listed_on_tab(login, org, hr_admin, held,
                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence_pack_request(acting_user=hr_admin, employee=org.report)
    body = login(hr_admin).get(reverse("compliance:employee", args=[org.report.pk])).content
    assert b"Ready" in body
