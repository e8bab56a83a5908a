"""The failures of issue 11 on the production shape: PostgreSQL, Redis, real worker processes.

- the broker is down while a Payroll Admin calculates and finalises: no 500, and once it is back
  the relay (the beat's job, called here as the beat would) gets everything done, exactly once;
- a worker is killed mid-batch: after the lease the relay hands its work to another worker."""

import os
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.services import delivery_relay
from delivery.tasks import delivery_run_task
from hrops.celery import app
from payroll.models import PayRun
from payroll.services import runs as run_services
from payroll.services.payslips import payslips_render_for_run
from tests.celery_broker import celery_on_broker
from tests.delivery import processes
from tests.factories.payroll_outputs import finalised_run as outputs_run
from tests.factories.payroll_runs import paid_employee
from tests.mfa import enrol_totp

DOWN = "redis://127.0.0.1:1/6"  # nothing listens on port 1
S = DeliveryItem.Status


@pytest.fixture
def media(settings, tmp_path):
    """PDFs in a folder the worker processes share with the test."""
    location = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)}}}
    return location


@pytest.fixture
def redis(redis_url, postgres_db):
    with celery_on_broker(redis_url):
        app.control.purge()  # this test's Redis db only
    yield redis_url
    with celery_on_broker(redis_url):
        app.control.purge()


@pytest.fixture
def workers(redis, tmp_path, media):
    """Start worker processes on demand; all stopped at the end.
    Yields (start, mail_dir, redis_url)."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    started = []

    def start():
        proc = processes.start_worker(redis, mail_dir)
        started.append(proc)
        return proc

    yield start, mail_dir, redis
    for proc in started:
        print(processes.stop(proc))  # shown by pytest when the test fails


def _post_as(client, user, url):
    enrol_totp(user)
    client.force_login(user)
    return client.post(url, follow=True)


def test_broker_down_during_calculate_and_finalise_is_no_500_and_all_completes_once(
        client, workers, uk_schedule, payroll_admin, second_payroll_admin):
    start_worker, mail_dir, broker = workers
    # given three paid employees and a draft run
    for _ in range(3):
        paid_employee(uk_schedule)
    run = run_services.run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                                  acting_user=payroll_admin)
    calculate = reverse("payroll:run_action", args=[run.pk, "calculate"])
    finalise = reverse("payroll:run_action", args=[run.pk, "finalise"])
    # when the broker is down and the Payroll Admin calculates
    with celery_on_broker(DOWN):
        response = _post_as(client, payroll_admin, calculate)
    # then the action is done and the work queued, not a 500
    assert response.status_code == 200
    assert "Calculation queued" in response.content.decode()
    assert PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATING
    assert set(DeliveryItem.objects.values_list("kind", "status", "published_at")) == {
        ("payroll.calc_chunk", S.QUEUED, None)}
    # when the broker is back: a worker starts and the relay runs (the beat, each minute)
    start_worker()
    with celery_on_broker(broker):
        assert delivery_relay() == 1
    processes.wait_for(lambda: PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATED)
    run_services.run_approve(run=PayRun.objects.get(pk=run.pk), acting_user=second_payroll_admin)
    # when the broker is down again while the approver finalises
    with celery_on_broker(DOWN):
        response = _post_as(client, second_payroll_admin, finalise)
    assert response.status_code == 200
    assert "queued for delivery" in response.content.decode()
    run.refresh_from_db()
    assert run.status == PayRun.Status.FINALISED
    pdfs = DeliveryItem.objects.filter(kind="payslip.pdf")
    assert pdfs.count() == 3 and set(pdfs.values_list("status", flat=True)) == {S.QUEUED}
    # and the delivery page says so instead of failing
    page = client.get(reverse("payroll:run_delivery", args=[run.pk]))
    assert page.status_code == 200
    # when the broker is back and the relay runs
    with celery_on_broker(broker):
        assert delivery_relay() == 3
        processes.wait_for(lambda: DeliveryItem.objects.filter(
            kind="payslip.email", status=S.DONE).count() == 3)
        # a second relay run and a duplicated message change nothing
        assert delivery_relay(now=timezone.now() + timedelta(minutes=10)) == 0
        delivery_run_task.apply_async((list(pdfs.values_list("pk", flat=True)),))
        emails = list(DeliveryItem.objects.filter(kind="payslip.email"))
        for item in emails:
            delivery_run_task.apply_async(([item.pk],))
        processes.wait_for(lambda: not app.connection().default_channel.client.llen("celery"))
    # then every PDF is ready and each employee got exactly one email, with its Message-ID
    processes.wait_for(lambda: len(processes.mails(mail_dir)) >= 3)
    assert set(run.payslips.values_list("pdf_status", flat=True)) == {"ready"}
    sent = processes.mails(mail_dir)
    expected = {p.employee.work_email for p in run.payslips.select_related("employee")}
    assert sorted(m["To"] for m in sent) == sorted(expected)
    assert {m["Message-ID"] for m in sent} == {i.message_id for i in emails}
    assert set(DeliveryItem.objects.values_list("status", flat=True)) == {S.DONE}


def test_a_worker_killed_mid_batch_has_its_work_done_by_another_after_the_lease(
        workers, paid_people_many, settings):
    start_worker, mail_dir, broker = workers
    # given a finalised run of 40 payslips (two batches of 20 PDFs) and one worker
    run = outputs_run(paid_people_many)
    first = start_worker()
    with celery_on_broker(broker), transaction.atomic():
        payslips_render_for_run(run.pk)
    # when the worker is killed (SIGKILL) in the middle of the first batch
    processes.wait_for(lambda: run.payslips.filter(pdf_status="ready").count() >= 2,
                       what="the first PDFs")
    processes.kill(first)
    ready_at_kill = run.payslips.filter(pdf_status="ready").count()
    assert ready_at_kill < 40
    undone = DeliveryItem.objects.filter(kind="payslip.pdf").exclude(status=S.DONE)
    assert undone.exists()
    # then another worker starts; the relay, run as the beat would once the lease and the
    # republish delay have passed (the 5 minutes the settings promise), hands the work over
    start_worker()
    later = timezone.now() + timedelta(seconds=max(settings.DELIVERY_LEASE_SECONDS,
                                                   settings.DELIVERY_REPUBLISH_SECONDS) + 1)
    with celery_on_broker(broker):
        assert delivery_relay(now=later) >= 1
    processes.wait_for(lambda: not undone.exists() and DeliveryItem.objects.filter(
        kind="payslip.email", status=S.DONE).count() == 40, what="the second worker")
    # every payslip ready once, one file each, no temp file left, one email each
    assert set(run.payslips.values_list("pdf_status", flat=True)) == {"ready"}
    folder = settings.STORAGES["default"]["OPTIONS"]["location"] + f"/payslips/{run.pk}"
    assert sorted(os.listdir(folder)) == sorted(f"payslip-{pk}.pdf" for pk in
                                                run.payslips.values_list("pk", flat=True))
    processes.wait_for(lambda: len(processes.mails(mail_dir)) >= 40)
    sent = processes.mails(mail_dir)
    assert len(sent) == 40 and len({m["Message-ID"] for m in sent}) == 40


@pytest.fixture
def paid_people_many(db, hr_admin):
    from accounts.roles import Role
    from tests.factories import EmployeeFactory, UserFactory

    return [EmployeeFactory(user=UserFactory(email=f"many{i}@example.test",
                                             roles=[Role.EMPLOYEE])) for i in range(40)]
