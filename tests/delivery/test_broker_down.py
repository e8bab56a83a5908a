"""Broker down during each action that queues work: the action is done (no 500), its work waits
as a delivery item, and the relay gets it done once the broker is back (eager here: the
real-worker versions are in test_real_worker.py)."""

import pytest
from django.urls import reverse

from accounts.services import user_create
from compliance.models import EvidencePack, JobStatus, SubjectAccessExport
from compliance.services.exports import evidence_pack_request
from delivery.models import DeliveryItem
from delivery.services import delivery_relay
from employees.models import BankChangeRequest
from employees.services.bank import bank_change_request_create
from tests.celery_broker import celery_on_broker
from tests.factories.employees_records import BankAccountFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
S = DeliveryItem.Status
DOWN = "redis://127.0.0.1:1/6"  # nothing listens on port 1
NEW = {"holder_name": "Jo Report", "scheme": "uk", "country": "GB", "account_type": "checking",
       "sort_code": "20-00-00", "account_number": "55779911"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}


def _waiting(kind: str) -> list[DeliveryItem]:
    items = list(DeliveryItem.objects.filter(kind=kind))
    assert items and all(i.status == S.QUEUED and i.published_at is None for i in items), items
    return items


def _login(client, user):
    enrol_totp(user)
    client.force_login(user)
    return client


def test_bank_change_approval_with_the_broker_down_is_done_and_the_notice_sent_later(
        client, org, hr_admin, mailoutbox, django_capture_on_commit_callbacks):
    # given a pending bank change request
    BankAccountFactory(employee=org.report)
    change = bank_change_request_create(acting_user=org.users["employee"], employee=org.report,
                                        details=NEW)
    DeliveryItem.objects.all().delete()
    # when HR approves it while the broker is down
    with celery_on_broker(DOWN), django_capture_on_commit_callbacks(execute=True):
        response = _login(client, hr_admin).post(
            reverse("employees:bank_request_decide", args=[change.pk, "approve"]))
    # then the approval stands and the notice waits
    assert response.status_code == 302
    assert BankChangeRequest.objects.get(pk=change.pk).status == "approved"
    [item] = _waiting("employees.bank_notice")
    assert mailoutbox == []
    # when the broker is back and the relay runs: one notice, with the item's Message-ID
    assert delivery_relay() == 1
    assert len(mailoutbox) == 1 and "approved" in mailoutbox[0].subject
    assert mailoutbox[0].extra_headers["Message-ID"] == item.message_id
    assert delivery_relay() == 0 and len(mailoutbox) == 1


def test_subject_access_export_with_the_broker_down_is_not_pending_for_ever(
        client, org, hr_admin, django_capture_on_commit_callbacks):
    with celery_on_broker(DOWN), django_capture_on_commit_callbacks(execute=True):
        response = _login(client, hr_admin).post(
            reverse("compliance:subject_access_request", args=[org.report.pk]))
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get(employee=org.report)
    assert export.status == JobStatus.PENDING
    _waiting("compliance.subject_access")
    # once the broker is back
    assert delivery_relay() == 1
    export.refresh_from_db()
    assert export.status == JobStatus.READY and export.file


def test_evidence_pack_and_welcome_email_wait_for_the_broker_and_then_go_once(
        org, hr_admin, mailoutbox, django_capture_on_commit_callbacks):
    with celery_on_broker(DOWN), django_capture_on_commit_callbacks(execute=True):
        pack = evidence_pack_request(acting_user=hr_admin, employee=org.report)
        user_create(acting_user=hr_admin, email="new.starter@example.test",
                    full_name="New Starter")
    _waiting("compliance.evidence_pack")
    _waiting("accounts.email")
    assert delivery_relay() == 2
    assert EvidencePack.objects.get(pk=pack.pk).status == JobStatus.READY
    assert [m.to for m in mailoutbox] == [["new.starter@example.test"]]


def test_a_failed_export_fails_its_item_with_the_same_reason(
        org, hr_admin, monkeypatch, django_capture_on_commit_callbacks):
    from compliance.services import exports

    def broken_zip(employee, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_write_zip", broken_zip)
    with django_capture_on_commit_callbacks(execute=True):
        exports.subject_access_request(acting_user=hr_admin, employee=org.report)
    item = DeliveryItem.objects.get(kind="compliance.subject_access")
    assert item.status == S.FAILED and "No space left" in item.last_error
    assert SubjectAccessExport.objects.get().status == JobStatus.FAILED


def test_an_export_left_rendering_by_a_dead_worker_is_rendered_again_after_the_lease(
        org, hr_admin, settings):
    from datetime import timedelta

    from django.utils import timezone

    with celery_on_broker(DOWN):
        pack = evidence_pack_request(acting_user=hr_admin, employee=org.report)
    # given a worker claimed it and died mid-render
    EvidencePack.objects.filter(pk=pack.pk).update(status=JobStatus.RENDERING)
    DeliveryItem.objects.filter(kind="compliance.evidence_pack").update(
        status=S.SENDING, attempts=1, lease_until=timezone.now())
    # when the relay runs after the lease (the broker is back)
    later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    assert delivery_relay(now=later) == 1
    # then it is rendered again, once
    assert EvidencePack.objects.get(pk=pack.pk).status == JobStatus.READY
    item = DeliveryItem.objects.get(kind="compliance.evidence_pack")
    assert item.status == S.DONE and item.attempts == 2
