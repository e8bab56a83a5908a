"""Payslip email against real SMTP on 127.0.0.1: a relay that never answers, one that says
"try later" (4xx), one that refuses for good (5xx), and one that accepts just before the worker
dies. At least once, deduplicated by a stable Message-ID."""

import socket
import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.services import delivery_relay, delivery_retry, delivery_run
from payroll.models import Payslip
from payroll.services import payslips as service
from tests.factories import EmployeeFactory
from tests.factories.payroll_outputs import finalised_run

pytestmark = pytest.mark.django_db
S = DeliveryItem.Status


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def silent_relay():
    """Accepts TCP connections and never says a word (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


class Relay:
    """aiosmtpd handler: answers each DATA with the next reply in `replies` (then 250)."""

    def __init__(self, replies=()):
        self.replies = list(replies)
        self.accepted: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.accepted.append(envelope.content)
        return "250 2.0.0 OK"


@contextmanager
def smtp_relay(replies=()):
    handler = Relay(replies)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()


def _smtp(settings, port: int) -> None:
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1}}}


def _message_ids(relay: Relay) -> list[str]:
    from email import message_from_bytes

    return [message_from_bytes(raw)["Message-ID"] for raw in relay.accepted]


@pytest.fixture
def email_item(settings, tmp_path) -> DeliveryItem:
    """A ready payslip and its email item, not yet handed to a worker."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    run = finalised_run([EmployeeFactory()])
    payslip = run.payslips.get()
    with mock.patch("delivery.services.delivery_publish"):
        service.payslip_render(payslip.pk)
    return DeliveryItem.objects.get(key=f"payslip.email:{payslip.pk}")


def _backoff_passes(item: DeliveryItem) -> None:
    DeliveryItem.objects.filter(pk=item.pk).update(available_at=timezone.now())


def test_a_relay_that_never_answers_is_retried_then_the_email_is_sent_once(
        settings, email_item):
    # given a mail relay that accepts the connection and never answers
    with silent_relay() as port:
        _smtp(settings, port)
        # when the worker tries
        assert delivery_run(item_id=email_item.pk) == S.QUEUED
    # then the timeout is recorded, the email is not counted as sent, and it waits to retry
    email_item.refresh_from_db()
    assert email_item.attempts == 1 and "timed out" in email_item.last_error.lower()
    assert Payslip.objects.get(pk=email_item.payload["payslip_id"]).emailed_at is None
    # when the relay answers again and the backoff has passed, the relay (beat) publishes it
    with smtp_relay() as (port, relay):
        _smtp(settings, port)
        _backoff_passes(email_item)
        assert delivery_relay() == 1
        # and later runs of the relay, and a redelivered message, send nothing more
        assert delivery_relay(now=timezone.now() + timedelta(hours=1)) == 0
        assert delivery_run(item_id=email_item.pk) is None
    # then it was sent exactly once, with the item's Message-ID
    assert _message_ids(relay) == [email_item.message_id]
    email_item.refresh_from_db()
    assert email_item.status == S.DONE and email_item.attempts == 2
    assert Payslip.objects.get(pk=email_item.payload["payslip_id"]).emailed_at is not None


def test_a_refused_connection_is_retried(settings, email_item):
    _smtp(settings, _free_port())  # nothing listens there
    assert delivery_run(item_id=email_item.pk) == S.QUEUED
    email_item.refresh_from_db()
    assert "ConnectionRefusedError" in email_item.last_error


def test_smtp_try_later_is_retried_then_sent_once(settings, email_item):
    # given a relay that answers "451 try later" once
    with smtp_relay(["451 4.3.0 Try again later"]) as (port, relay):
        _smtp(settings, port)
        assert delivery_run(item_id=email_item.pk) == S.QUEUED
        email_item.refresh_from_db()
        assert "451" in email_item.last_error
        _backoff_passes(email_item)
        assert delivery_relay() == 1
    assert _message_ids(relay) == [email_item.message_id]
    assert DeliveryItem.objects.get(pk=email_item.pk).status == S.DONE


def test_a_permanent_refusal_fails_with_the_reason_and_send_again_sends_it(
        settings, email_item, payroll_admin, django_capture_on_commit_callbacks):
    # given a relay that refuses the message for good
    with smtp_relay(["554 5.7.1 Message rejected"]) as (port, relay):
        _smtp(settings, port)
        # then it fails at once, with the reason for the page
        assert delivery_run(item_id=email_item.pk) == S.FAILED
        email_item.refresh_from_db()
        assert "554" in email_item.last_error and email_item.status == S.FAILED
        # when the cause is fixed and a Payroll Admin presses "send again"
        with django_capture_on_commit_callbacks(execute=True):
            delivery_retry(item=email_item, acting_user=payroll_admin)
    assert _message_ids(relay) == [email_item.message_id]
    assert DeliveryItem.objects.get(pk=email_item.pk).status == S.DONE


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the worker gets to handle it."""


def test_a_worker_dying_after_the_relay_accepted_resends_with_the_same_message_id_only(
        settings, email_item):
    # given the relay accepts the message and the worker dies before recording it as sent
    real_update = Payslip.objects.filter

    def dies_after_sending(*args, **kwargs):
        if "emailed_at__isnull" in kwargs:
            raise WorkerKilled
        return real_update(*args, **kwargs)

    with smtp_relay() as (port, relay):
        _smtp(settings, port)
        with (mock.patch.object(Payslip.objects, "filter", side_effect=dies_after_sending),
              pytest.raises(WorkerKilled)):
            delivery_run(item_id=email_item.pk)
        assert DeliveryItem.objects.get(pk=email_item.pk).status == S.SENDING
        # when the relay runs while the lease holds: nothing (the worker might be alive)
        assert delivery_relay(now=timezone.now() + timedelta(seconds=60)) == 0
        # and after the lease: sent again, the documented duplicate, with the same Message-ID
        later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
        assert delivery_relay(now=later) == 1
        assert delivery_relay(now=later + timedelta(hours=1)) == 0
    assert _message_ids(relay) == [email_item.message_id, email_item.message_id]
    assert DeliveryItem.objects.get(pk=email_item.pk).status == S.DONE


def test_a_worker_dying_after_recording_the_send_sends_nothing_more(settings, email_item):
    # given the email went and was recorded; the worker died before marking the item done
    with smtp_relay() as (port, relay):
        _smtp(settings, port)
        with (mock.patch("delivery.services.DeliveryItem.objects.filter",
                         side_effect=_die_on_done), pytest.raises(WorkerKilled)):
            delivery_run(item_id=email_item.pk)
        later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
        assert delivery_relay(now=later) == 1
    # then the redelivery found it sent: one email
    assert len(relay.accepted) == 1
    assert DeliveryItem.objects.get(pk=email_item.pk).status == S.DONE


_real_filter = DeliveryItem.objects.filter


def _die_on_done(*args, **kwargs):
    if kwargs.get("status") == S.SENDING and "attempts" in kwargs:
        raise WorkerKilled
    return _real_filter(*args, **kwargs)
