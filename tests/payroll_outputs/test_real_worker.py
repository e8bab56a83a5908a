"""The payslip pipeline through a real Celery worker consuming from Redis (not eager mode)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from hrops.celery import app
from payroll.models import Payslip
from payroll.services.payslips import payslips_render_for_run
from tests.celery_broker import celery_on_broker
from tests.factories.payroll_outputs import finalised_run


@pytest.fixture
def redis_worker(redis_url, postgres_db):
    # PostgreSQL: the worker's threads and the test write the same tables at once (payslips and
    # their delivery items), which SQLite's in-memory test database answers with "table locked".
    with celery_on_broker(redis_url):
        app.control.purge()  # this test's Redis db: drop anything an earlier run left queued
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False,
                          loglevel="WARNING", shutdown_timeout=10):
            yield app


@pytest.mark.django_db(transaction=True)
def test_worker_renders_and_emails_each_payslip_once(redis_worker, paid_people):
    # given a finalised run of two
    run = finalised_run(paid_people)
    # when its payslips are queued through Redis (outside a transaction: sent at once)
    assert payslips_render_for_run(run.pk) == 2
    # then the worker renders both and each employee gets one email
    deadline = time.monotonic() + 60
    # emailed_at is claimed before the email is sent: wait for the sends too, not only claims
    while Payslip.objects.filter(run=run, emailed_at__isnull=True).exists() or len(
            mail.outbox) < len(paid_people):
        assert not Payslip.objects.filter(run=run, pdf_status="failed").exists(), list(
            Payslip.objects.values_list("pdf_error", flat=True))
        assert time.monotonic() < deadline, list(
            Payslip.objects.values_list("pdf_status", "emailed_at"))
        time.sleep(0.1)
    assert set(Payslip.objects.filter(run=run).values_list("pdf_status", flat=True)) == {"ready"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in paid_people)
