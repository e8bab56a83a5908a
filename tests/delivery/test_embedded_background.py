"""Embedded mode (no broker): a big file is never built inside the request that asked for it.
The request records the Download and its item and answers with the progress page; the build
runs on the in-process background thread (delivery/embedded.py) after the response."""

import threading
import time
from unittest import mock

import pytest
from django.urls import reverse

from delivery import downloads, embedded
from delivery.models import DeliveryItem, Download
from delivery.registry import handler_for
from delivery.services import delivery_publish
from tests.factories import EmployeeFactory
from tests.mfa import enrol_totp

URL = reverse("employees:directory_export", args=["xlsx"])


@pytest.fixture
def embedded_mode(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker
    settings.DELIVERY_EMBEDDED_BACKGROUND = True  # the default outside tests
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}
    yield
    assert embedded.drain(timeout=30)  # nothing left running into the next test


@pytest.mark.django_db(transaction=True)  # the thread reads committed rows only
def test_the_xlsx_request_answers_with_the_progress_page_and_the_thread_builds_it(
        client, hr_admin, embedded_mode):
    # given HR and one person to export
    EmployeeFactory(employee_number="E1")
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    # and a build that cannot finish until the request has answered
    release, built_on = threading.Event(), []
    real_write = downloads._write

    def slow_write(download, spec):
        built_on.append(threading.current_thread().name)
        assert release.wait(timeout=30)
        return real_write(download, spec)

    with mock.patch("delivery.downloads._write", side_effect=slow_write):
        # when HR asks for the XLSX
        started = time.monotonic()
        response = client.get(URL)
        answered = time.monotonic() - started
        # then the answer is the progress page, at once, while the build is still running
        download = Download.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("delivery:download", args=[download.pk])
        assert answered < 1.0  # the build holds for up to 30 s: it did not run in the request
        assert download.status in (Download.Status.PENDING, Download.Status.BUILDING)
        page = client.get(response.url).content.decode()
        assert 'hx-trigger="every 1s"' in page
        # when the build may finish
        release.set()
        assert embedded.drain(timeout=30)
    # then it ran on the background thread, not the request's, and the file is ready
    assert built_on and built_on[0].startswith("hrops-delivery")
    assert built_on[0] != threading.current_thread().name
    download.refresh_from_db()
    assert download.status == Download.Status.READY and download.rows_done == 2
    item = DeliveryItem.objects.get(key=f"download:{download.pk}")
    assert item.status == DeliveryItem.Status.DONE
    assert reverse("delivery:download_file", args=[download.pk]) in client.get(
        response.url).content.decode()


@pytest.mark.django_db
def test_only_kinds_declared_background_leave_the_request(settings):
    # given embedded mode: a background kind goes to the thread, any other runs eagerly
    settings.CELERY_TASK_ALWAYS_EAGER, settings.DELIVERY_EMBEDDED_BACKGROUND = True, True
    assert handler_for(downloads.BUILD_KIND).background
    assert handler_for("employees.import.apply").background
    assert handler_for("payslip.pdf").background
    assert not handler_for("payslip.email").background
    build = DeliveryItem.objects.create(kind=downloads.BUILD_KIND, key="download:0",
                                        payload={"download_id": 0})
    email = DeliveryItem.objects.create(kind="payslip.email", key="payslip.email:0",
                                        payload={"payslip_id": 0})
    with mock.patch("delivery.embedded.submit") as submit, \
            mock.patch("delivery.tasks.delivery_run_task.apply_async") as publish:
        assert delivery_publish([build.pk, email.pk]) == 2
    submit.assert_called_once_with([build.pk])
    assert publish.call_args.args[0] == ([email.pk],)


@pytest.mark.django_db
def test_with_a_broker_background_kinds_are_messages_like_any_other(settings):
    settings.CELERY_TASK_ALWAYS_EAGER, settings.DELIVERY_EMBEDDED_BACKGROUND = False, True
    build = DeliveryItem.objects.create(kind=downloads.BUILD_KIND, key="download:0",
                                        payload={"download_id": 0})
    with mock.patch("delivery.embedded.submit") as submit, \
            mock.patch("delivery.tasks.delivery_run_task.apply_async") as publish:
        assert delivery_publish([build.pk]) == 1
    submit.assert_not_called()
    assert publish.call_args.args[0] == ([build.pk],)
    assert "background" not in publish.call_args.kwargs
