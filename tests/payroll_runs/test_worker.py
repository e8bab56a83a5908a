"""Calculation through real Celery workers consuming from Redis (not eager mode), in chunks."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from hrops.celery import app
from payroll.models import PayRun, PayRunChunk
from payroll.services import runs as run_services
from tests.celery_broker import celery_on_broker
from tests.factories.payroll_runs import paid_employee


@pytest.fixture
def redis_celery(redis_url):
    with celery_on_broker(redis_url), start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING",
        shutdown_timeout=10,
    ):
        yield app


def test_run_is_calculated_in_chunks_by_workers(postgres_db, redis_celery, uk_schedule,
                                                payroll_admin, monkeypatch):
    # given five employees and chunks of two
    monkeypatch.setattr(run_services, "CHUNK_SIZE", 2)
    for _ in range(5):
        paid_employee(uk_schedule)
    run = run_services.run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                                  acting_user=payroll_admin)
    # when calculation is requested (three chunk tasks go to Redis on commit)
    run_services.run_calculate(run=run, acting_user=payroll_admin)
    deadline = time.monotonic() + 60
    while PayRun.objects.get(pk=run.pk).status == PayRun.Status.CALCULATING:
        assert time.monotonic() < deadline, "workers did not finish"
        time.sleep(0.1)
    # then every chunk was claimed once and the run is complete
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error
    assert (run.progress_done, run.progress_total) == (5, 5)
    assert run.payslips.count() == 5
    assert PayRunChunk.objects.filter(run=run, done_at__isnull=False).count() == 3
    # and a redelivered chunk task changes nothing
    chunk = PayRunChunk.objects.filter(run=run).first()
    run_services.run_calculate_chunk(chunk_id=chunk.pk)
    run.refresh_from_db()
    assert run.progress_done == 5
