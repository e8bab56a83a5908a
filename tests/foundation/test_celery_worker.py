"""A real Celery worker process consuming from Redis (not eager mode).

The worker is started as a subprocess (`celery -A hrops worker`) on the test database, with a
queue of its own so that no other process on the same Redis takes its messages. Emails are
written to files by the worker's file backend, where the test reads them.
"""

import os
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail

from delivery.services import delivery_enqueue
from delivery.tasks import delivery_run_task
from hrops.celery import app
from tests.celery_broker import celery_on_broker
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        user = db.get("USER") or "postgres"
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _welcome(user_id: int) -> list[int]:
    """The welcome email's delivery item, as user_create writes it (ids for the task)."""
    item = delivery_enqueue(kind="accounts.email", key=f"accounts.email:welcome:{user_id}:t",
                            payload={"user_id": user_id, "template": "welcome"})
    return [item.pk]


def _wait_for(condition, timeout: float = 90.0) -> None:  # as tests/delivery/processes.py
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.1)


@pytest.fixture
def worker(redis_url, tmp_path, transactional_db):
    """A real worker process; yields (queue name, mail directory)."""
    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("a worker process cannot see the in-memory SQLite test database")
    queue = f"hrops-test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": f"filemail://{mail_dir}",
        "SECRET_KEY": django_settings.SECRET_KEY,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hrops", "worker", "-Q", queue, "-c", "1",
         "--pool", "solo", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        with celery_on_broker(redis_url):
            yield queue, mail_dir
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output.decode(errors="replace"))  # shown by pytest when the test fails


# Django's file backend creates the file first and writes the message into it after, ending it
# with a line of 79 dashes: only a file that ends so holds a whole message.
_END_OF_MESSAGE = b"-" * 79 + b"\n"


def _mails(mail_dir: Path) -> list:
    """The messages the worker has finished writing (a file still being written is left out)."""
    contents = (path.read_bytes() for path in sorted(mail_dir.glob("*.log")))
    return [message_from_bytes(raw) for raw in contents if raw.endswith(_END_OF_MESSAGE)]


def test_welcome_email_is_sent_by_a_real_worker_through_redis(worker):
    queue, mail_dir = worker
    # given
    user = UserFactory(email="new.starter@example.test", full_name="New Starter")
    # when: queued through Redis and run by the worker process
    delivery_run_task.apply_async((_welcome(user.pk),), queue=queue)
    # then
    _wait_for(lambda: len(_mails(mail_dir)) == 1)
    message = _mails(mail_dir)[0]
    assert message["To"] == "new.starter@example.test"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert "/accounts/password/reset/key/" in parts["text/plain"].get_payload(decode=True).decode()


def test_worker_skips_a_deleted_user(worker):
    queue, mail_dir = worker
    user = UserFactory()
    user_id = user.pk
    user.delete()
    other = UserFactory(email="still.here@example.test")
    # when: the task for the deleted user goes first, then one that sends
    delivery_run_task.apply_async((_welcome(user_id),), queue=queue)
    delivery_run_task.apply_async((_welcome(other.pk),), queue=queue)
    # then: one worker, in order: the first was skipped, only the second sent
    _wait_for(lambda: len(_mails(mail_dir)) >= 1)
    time.sleep(0.5)
    assert [m["To"] for m in _mails(mail_dir)] == ["still.here@example.test"]


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process(settings):
    # given the embedded default (no CELERY_BROKER_URL)
    assert settings.CELERY_BROKER_URL == ""
    assert app.conf.task_always_eager is True
    user = UserFactory()
    # when
    result = delivery_run_task.delay(_welcome(user.pk))
    # then
    assert result.get() == 1
    assert len(mail.outbox) == 1


def test_pointing_celery_at_a_broker_for_a_test_is_undone_exactly():
    # A real-worker test once "restored" eager mode to the value it read while its own
    # override was in place, so every later test queued tasks to nowhere.
    assert app.conf.task_always_eager is True
    with celery_on_broker("redis://127.0.0.1:6379/15"):
        assert app.conf.task_always_eager is False
        assert app.conf.broker_url == "redis://127.0.0.1:6379/15"
    assert app.conf.task_always_eager is True
    assert "task_always_eager" not in app.conf.changes and "broker_url" not in app.conf.changes
