"""The digest through a real Celery worker on Redis: beat firing twice sends one email each."""

import time
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from employees.models import Employment
from hrops.celery import app
from lifecycle.models import AssigneeRule, DigestSent
from lifecycle.services.checklists import checklist_start
from lifecycle.tasks import send_digests_task
from tests.celery_broker import celery_on_broker
from tests.factories.lifecycle import make_template, task_spec


@pytest.fixture
def redis_celery(redis_url, postgres_db):
    # PostgreSQL: the worker's threads and the test write the same tables at once (digest claims
    # and their delivery items), which SQLite's in-memory test database answers with "table
    # locked".
    with celery_on_broker(redis_url):
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False,
                          loglevel="WARNING", shutdown_timeout=10):
            yield app


def test_beat_twice_through_redis_sends_one_digest_per_person(redis_celery, transactional_db,
                                                              org, hr_staff):
    # given the report and their manager each have a task due on the day
    template = make_template("General", tasks=[
        task_spec("Handbook", assignee_rule=AssigneeRule.EMPLOYEE),
        task_spec("Lunch", assignee_rule=AssigneeRule.MANAGER),
    ])
    checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                    employment=Employment.objects.get(employee=org.report),
                    anchor_date=date(2027, 3, 1))
    mail.outbox.clear()
    # when beat fires twice; each run fans out one task per person, two worker threads
    send_digests_task.delay("2027-03-01")
    send_digests_task.delay("2027-03-01")
    # then, once the queue is drained, each person has exactly one digest
    deadline = time.monotonic() + 30
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # let any duplicate (there must be none) arrive
    assert sorted(m.to[0] for m in mail.outbox) == ["employee@example.test",
                                                    "manager@example.test"]
    assert DigestSent.objects.filter(day=date(2027, 3, 1)).count() == 2
