"""Imports off the request: the upload is stored, a worker checks it (every error in one pass)
with a progress bar, and a confirmed file is written in one all-or-nothing background step."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from delivery.models import DeliveryItem
from employees.models import Employee, ImportJob
from employees.services import import_jobs
from tests.employees_directory.test_imports import csv_bytes, hire_row, refs  # noqa: F401

pytestmark = pytest.mark.django_db
S = ImportJob.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _upload(client, content, name="people.csv", kind="employees"):
    return client.post(reverse("employees:import"),
                       {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")})


def test_upload_check_then_import_through_the_pages(hr_admin, refs, login, media,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    client = login(hr_admin)
    # when HR uploads a file, the check is queued with it and a worker runs it
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, csv_bytes(hire_row("W1"), hire_row("W2", manager="W1")))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "employees:import_job", args=[job.pk])
    job.refresh_from_db()
    # then it is checked, nothing is written, and the stored file waits for the import
    assert job.status == S.CHECKED and job.rows == 2 and job.errors == []
    assert default_storage.exists(job.file.name)
    assert not Employee.objects.filter(employee_number__in=["W1", "W2"]).exists()
    page = client.get(reverse("employees:import_job", args=[job.pk])).content.decode()
    assert "The file is valid: 2 rows would be imported" in page and "New employee W1" in page
    # when HR imports it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employees:import_job_apply", args=[job.pk]))
    job.refresh_from_db()
    # then everyone is written, audited as an import, and the file is gone from storage
    assert job.status == S.APPLIED and job.applied_at and not job.file
    w1, w2 = Employee.objects.get(employee_number="W1"), Employee.objects.get(employee_number="W2")
    assert w2.manager == w1
    assert set(AuditEvent.objects.filter(employee_id=w1.pk).values_list("source", flat=True)) \
        == {"import"}
    assert list(media.rglob("*.csv")) == []
    assert set(DeliveryItem.objects.values_list("kind", "status")) == {
        ("employees.import.check", "done"), ("employees.import.apply", "done")}


def test_every_error_of_every_row_is_reported_in_one_check_and_the_file_deleted(
        hr_admin, refs, login, media, django_capture_on_commit_callbacks):  # noqa: F811
    client = login(hr_admin)
    rows = [hire_row(f"E{i}", department="Nowhere" if i % 2 else "Engineering",
                     amount="lots" if i % 3 == 0 else "50000.00") for i in range(700)]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes(*rows))
    job = ImportJob.objects.get()
    assert job.status == S.INVALID
    expected = {(i + 2, "department") for i in range(700) if i % 2} | {
        (i + 2, "amount") for i in range(700) if i % 3 == 0}
    assert {(row, column) for row, column, _m in job.errors} == expected
    # an invalid file is never applied: it is not kept
    assert not job.file and list(media.rglob("*.csv")) == []
    page = client.get(reverse("employees:import_job", args=[job.pk])).content.decode()
    assert f"{len(expected)} errors" in page and "Nothing was imported." in page
    assert "more are not shown here" in page  # 500 on the page
    errors_csv = client.get(reverse("employees:import_job_errors", args=[job.pk]))
    assert errors_csv.content.decode("utf-8-sig").count("\n") == len(expected) + 1
    with pytest.raises(Exception, match="checked file"):
        import_jobs.import_job_confirm(acting_user=hr_admin, job=job)


def test_progress_is_shown_while_a_step_runs(hr_admin, refs, login, media,  # noqa: F811
                                            monkeypatch):
    client = login(hr_admin)
    _upload(client, csv_bytes(*[hire_row(f"P{i}") for i in range(1200)]))  # not run yet
    job = ImportJob.objects.get()
    # given the worker has checked 1,000 of 1,200 rows
    cache.set(import_jobs._progress_key(job.pk), {"phase": "check", "done": 1000,
                                                   "total": 1200})
    # when the page polls (htmx)
    response = client.get(reverse("employees:import_job", args=[job.pk]),
                          headers={"HX-Request": "true"})
    # then the fragment shows the bar and keeps polling
    body = response.content.decode()
    assert '<progress max="1200" value="1000"' in body and "83%" in body
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    # the check publishes progress as it goes
    published = []
    monkeypatch.setattr(import_jobs, "_publish_progress", lambda job_id: (
        lambda phase, done, total: published.append((phase, done, total))))
    import_jobs.import_check(job_id=job.pk)
    assert ("check", 500, 1200) in published and ("check", 1000, 1200) in published


def test_a_file_that_no_longer_applies_writes_nothing_and_says_why(
        hr_admin, refs, login, media, django_capture_on_commit_callbacks):  # noqa: F811
    client = login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes(hire_row("L1"), hire_row("L2")))
    job = ImportJob.objects.get()
    # given someone hires L2 by hand between the check and the import
    from tests.factories import EmployeeFactory

    EmployeeFactory(employee_number="L2")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employees:import_job_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == S.FAILED and "nothing was written" in job.error
    assert [(r, c) for r, c, _m in job.errors] == [(3, "employee_number")]
    assert not Employee.objects.filter(employee_number="L1").exists()


def test_applying_twice_writes_once(hr_admin, refs, login, media,  # noqa: F811
                                    django_capture_on_commit_callbacks):
    client = login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, csv_bytes(hire_row("T1")))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employees:import_job_apply", args=[job.pk]))
        client.post(reverse("employees:import_job_apply", args=[job.pk]))
    # a redelivered apply finds the job applied
    assert import_jobs.import_apply(job_id=job.pk) is None
    assert Employee.objects.filter(employee_number="T1").count() == 1
    assert DeliveryItem.objects.filter(kind="employees.import.apply").count() == 1


def test_only_the_uploader_sees_and_imports_a_job(hr_admin, hr_staff, refs, login,  # noqa: F811
                                                 media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(login(hr_admin), csv_bytes(hire_row("U1")))
    job = ImportJob.objects.get()
    other = login(hr_staff)
    assert other.get(reverse("employees:import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("employees:import_job_apply", args=[job.pk])).status_code == 404
    assert other.get(reverse("employees:import_job_errors", args=[job.pk])).status_code == 404
    with pytest.raises(Exception, match="someone else"):
        import_jobs.import_job_confirm(acting_user=hr_staff, job=job)


@pytest.mark.parametrize(("name", "size", "message"), [
    ("people.pdf", 10, "Upload a .csv or .xlsx file."),
    ("people.csv", 20 * 1024 * 1024 + 1, "larger than 20 MB"),
])
def test_a_file_of_the_wrong_type_or_size_is_refused_at_upload(hr_admin, media, name, size,
                                                                message):
    import io

    with pytest.raises(Exception, match=message):
        import_jobs.import_job_create(acting_user=hr_admin, kind="employees", name=name,
                                      upload=io.BytesIO(b"x"), size=size)
    assert not ImportJob.objects.exists() and not list(media.rglob("*"))


def test_people_without_an_hr_role_cannot_create_jobs(org, media):
    import io

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_jobs.import_job_create(acting_user=org.users["manager"], kind="employees",
                                      name="p.csv", upload=io.BytesIO(b"x"), size=1)
