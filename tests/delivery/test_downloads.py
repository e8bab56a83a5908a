"""Big files built by a worker (delivery.downloads): queued with the request, progress, served
only to whoever asked while they may still see it, kept in default_storage, removed by
retention."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from audit.models import AuditEvent
from delivery.downloads import BUILD_KIND, download_build, downloads_clean
from delivery.models import DeliveryItem, Download
from delivery.tasks import downloads_clean_task
from tests.downloads import built_file
from tests.factories import EmployeeFactory, UserFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
URL = reverse("employees:directory_export", args=["xlsx"])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}


@pytest.fixture
def hr_client(client, hr_admin):
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    return client


def test_request_answers_at_once_and_queues_the_build_in_its_transaction(
        hr_client, django_capture_on_commit_callbacks):
    # given people in two departments
    kept = EmployeeFactory(employee_number="K1")
    EmployeeFactory(employee_number="D1")
    # when HR asks for the XLSX of one department (the page's filters), without a worker
    with django_capture_on_commit_callbacks(execute=False):
        response = hr_client.get(URL + f"?department={kept.department_id}")
    # then the answer is the progress page, and the work is a delivery item
    download = Download.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "delivery:download", args=[download.pk])
    assert download.status == Download.Status.PENDING
    assert DeliveryItem.objects.filter(kind=BUILD_KIND, key=f"download:{download.pk}").exists()
    page = hr_client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page  # htmx polls; no inline script (strict CSP)
    # and the worker builds exactly the filtered list
    data = built_file(hr_client, response)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Employee number", "K1"]
    download.refresh_from_db()
    assert (download.status, download.percent, download.rows_done) == ("ready", 100, 2)
    assert default_storage.exists(download.file.name)
    assert AuditEvent.objects.filter(action="download", object_id=str(download.pk)).exists()


def test_build_is_idempotent(hr_client):
    EmployeeFactory()
    download = Download.objects.get(pk=_requested(hr_client))
    download_build(download_id=download.pk)
    name = Download.objects.get(pk=download.pk).file.name
    download_build(download_id=download.pk)  # a redelivered item
    assert Download.objects.get(pk=download.pk).file.name == name


def _requested(client) -> int:
    response = client.get(URL)
    return int(response.url.rstrip("/").rsplit("/", 1)[-1])


def test_only_the_requester_gets_it_and_only_while_allowed(hr_client, hr_admin):
    from django.test import Client

    # given a ready download of HR's
    EmployeeFactory()
    pk = _requested(hr_client)
    download_build(download_id=pk)
    # then another HR Admin gets a 404 for the page and the file
    other = UserFactory(email="other.hr@example.test", roles=[Role.HR_ADMIN])
    enrol_totp(other)
    someone = Client()
    someone.force_login(other)
    assert someone.get(reverse("delivery:download", args=[pk])).status_code == 404
    assert someone.get(reverse("delivery:download_file", args=[pk])).status_code == 404
    # and the requester, once no longer allowed to use the directory, gets a 403
    hr_admin.groups.clear()
    assert hr_client.get(reverse("delivery:download_file", args=[pk])).status_code == 403


def test_employee_cannot_ask_for_a_directory_xlsx(org, client):
    client.force_login(org.users["other"])
    assert client.get(URL).status_code == 403
    assert not Download.objects.exists()


def test_retention_removes_old_files_and_rows(hr_client, settings):
    settings.DOWNLOADS_KEEP_HOURS = 24
    EmployeeFactory()
    old, new = _requested(hr_client), _requested(hr_client)
    for pk in (old, new):
        download_build(download_id=pk)
    Download.objects.filter(pk=old).update(created_at=timezone.now() - timedelta(hours=25))
    old_name = Download.objects.get(pk=old).file.name
    # when the hourly sweep runs (twice: the second finds nothing)
    assert downloads_clean_task() == 1
    assert downloads_clean() == 0
    # then the old file and row are gone, the new one stays
    assert not default_storage.exists(old_name)
    assert list(Download.objects.values_list("pk", flat=True)) == [new]


def test_a_failed_build_says_why(hr_client, monkeypatch):
    from delivery import downloads
    from delivery.registry import PermanentError

    EmployeeFactory()
    pk = _requested(hr_client)

    def broken(*args, **kwargs):
        raise ValueError("disk full")

    monkeypatch.setattr(downloads, "_write", broken)
    with pytest.raises(PermanentError):
        download_build(download_id=pk)
    download = Download.objects.get(pk=pk)
    assert (download.status, download.error) == ("failed", "disk full")
    assert "disk full" in hr_client.get(reverse("delivery:download", args=[pk])).content.decode()
