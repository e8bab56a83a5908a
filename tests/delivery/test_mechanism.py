"""The delivery mechanism on its own: intent in the same transaction, publishing that never fails
the caller, claims, leases, backoff, the relay and "send again"."""

import smtplib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from delivery.models import DeliveryItem
from delivery.registry import PermanentError, is_transient
from delivery.services import (
    MAX_ATTEMPTS,
    delivery_enqueue,
    delivery_enqueue_many,
    delivery_relay,
    delivery_retry,
    delivery_retry_group,
    delivery_run,
)

pytestmark = pytest.mark.django_db
S = DeliveryItem.Status


def _item(key: str) -> DeliveryItem:
    return DeliveryItem.objects.get(key=key)


def test_the_intent_exists_only_if_the_change_commits(calls):
    # given a change that rolls back after enqueueing its work
    with pytest.raises(RuntimeError), transaction.atomic():
        delivery_enqueue(kind="test.record", key="t:1", payload={"n": 1})
        raise RuntimeError("the change failed")
    # then there is no work and nothing ran
    assert not DeliveryItem.objects.exists()
    assert calls == []


def test_work_runs_after_commit_in_process_without_a_broker(
        calls, django_capture_on_commit_callbacks):
    # given the embedded default (no broker: eager)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery_enqueue(kind="test.record", key="t:1", payload={"n": 1})
        # when: not before commit
        assert calls == []
    # then once, and the item is done
    assert calls == [("t:1", {"n": 1})]
    item = _item("t:1")
    assert item.status == S.DONE and item.attempts == 1 and item.done_at is not None


def test_enqueueing_the_same_key_twice_makes_one_item(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery_enqueue(kind="test.record", key="t:1")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_enqueue(kind="test.record", key="t:1")
    assert DeliveryItem.objects.count() == 1
    assert calls == [("t:1", {})]


def test_an_unknown_kind_fails_in_the_callers_transaction():
    with pytest.raises(PermanentError):
        delivery_enqueue(kind="nobody.handles.this", key="x:1")


def test_broker_down_leaves_the_item_queued_and_the_relay_publishes_it_later(
        calls, broker_down, django_capture_on_commit_callbacks):
    # when the change commits while the broker is down
    with django_capture_on_commit_callbacks(execute=True):
        delivery_enqueue_many(kind="test.record", items=[(f"t:{i}", {}) for i in range(5)])
    # then the caller got no error, and the work waits, not marked as handed over
    assert calls == []
    assert set(DeliveryItem.objects.values_list("status", "published_at")) == {(S.QUEUED, None)}
    # and the relay, still with the broker down, publishes nothing and raises nothing
    assert delivery_relay() == 0


def test_the_relay_publishes_what_an_outage_left_and_each_item_runs_once(calls):
    # given items a broker outage left unpublished
    with transaction.atomic():
        rows = [DeliveryItem(kind="test.record", key=f"t:{i}") for i in range(7)]
        DeliveryItem.objects.bulk_create(rows)
    # when the relay runs (the broker is back: eager here)
    assert delivery_relay() == 7
    # then each ran once; a second relay run finds nothing to do
    assert sorted(key for key, _ in calls) == sorted(f"t:{i}" for i in range(7))
    assert delivery_relay() == 0
    assert len(calls) == 7


def test_a_transient_error_is_retried_with_backoff_then_done(calls, behaviour):
    # given an item whose first attempt times out
    item = DeliveryItem.objects.create(kind="test.record", key="t:1")
    behaviour["t:1"] = [TimeoutError("timed out"), None]
    # when it runs
    assert delivery_run(item_id=item.pk) == S.QUEUED
    # then it waits with the reason, not before its backoff
    item.refresh_from_db()
    assert item.attempts == 1 and "TimeoutError" in item.last_error
    assert item.available_at > timezone.now() + timedelta(seconds=20)
    assert delivery_relay() == 0
    assert delivery_run(item_id=item.pk) is None
    # and once the backoff has passed the relay publishes it and it is done, once
    DeliveryItem.objects.filter(pk=item.pk).update(available_at=timezone.now())
    assert delivery_relay() == 1
    item.refresh_from_db()
    assert item.status == S.DONE and item.attempts == 2 and item.last_error == ""
    assert calls == [("t:1", {})]


@pytest.mark.parametrize("error", [
    TimeoutError("timed out"), ConnectionRefusedError(111, "refused"),
    smtplib.SMTPServerDisconnected("gone"), smtplib.SMTPResponseException(421, b"busy"),
    smtplib.SMTPRecipientsRefused({"a@example.test": (450, b"mailbox busy")}),
])
def test_timeouts_refusals_and_smtp_4xx_are_transient(error):
    assert is_transient(error)


@pytest.mark.parametrize("error", [
    smtplib.SMTPResponseException(554, b"rejected"),
    smtplib.SMTPRecipientsRefused({"a@example.test": (550, b"no such user")}),
    PermanentError("no address"), ValueError("a bug"),
])
def test_smtp_5xx_bad_input_and_bugs_are_permanent(error):
    assert not is_transient(error)


def test_a_permanent_error_fails_with_the_reason_at_once(calls, behaviour):
    item = DeliveryItem.objects.create(kind="test.record", key="t:1")
    behaviour["t:1"] = [smtplib.SMTPResponseException(550, b"no such user")]
    assert delivery_run(item_id=item.pk) == S.FAILED
    item.refresh_from_db()
    assert item.status == S.FAILED and "550" in item.last_error and item.attempts == 1


def test_transient_errors_give_up_after_the_last_attempt(calls, behaviour):
    item = DeliveryItem.objects.create(kind="test.record", key="t:1")
    behaviour["t:1"] = [ConnectionRefusedError(111, "refused")]
    now = timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        now += timedelta(hours=1)
        delivery_run(item_id=item.pk, now=now)
    item.refresh_from_db()
    assert item.status == S.FAILED and item.attempts == MAX_ATTEMPTS
    assert "ConnectionRefusedError" in item.last_error


def test_a_dead_workers_item_is_taken_back_once_its_lease_runs_out(calls, settings):
    # given an item claimed by a worker that then died (sending, with a lease)
    now = timezone.now()
    item = DeliveryItem.objects.create(
        kind="test.record", key="t:1", status=S.SENDING, attempts=1,
        lease_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS))
    # when the relay runs while the lease holds: the worker may be alive, so nothing happens
    assert delivery_relay(now=now + timedelta(seconds=60)) == 0
    assert calls == []
    # then after the lease it is queued again and done, once
    later = now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    assert delivery_relay(now=later) == 1
    item.refresh_from_db()
    assert item.status == S.DONE and item.attempts == 2
    assert calls == [("t:1", {})]


def test_dead_worker_lease_plus_relay_interval_is_under_five_minutes(settings):
    # The promise on the page and in the README: a killed worker's work is done again within 5
    # minutes. Lease (> every hard time limit) + one relay interval must leave time to do it.
    assert settings.DELIVERY_LEASE_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    assert settings.DELIVERY_LEASE_SECONDS > settings.DELIVERY_TASK_TIME_LIMIT
    assert settings.DELIVERY_LEASE_SECONDS + settings.DELIVERY_RELAY_SECONDS <= 270
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < visibility < 300
    assert settings.DELIVERY_REPUBLISH_SECONDS + settings.DELIVERY_RELAY_SECONDS <= 270


def test_a_late_worker_cannot_overwrite_the_outcome_of_the_one_that_took_over(calls):
    # given worker A claimed the item, then lost its lease; worker B claimed it again
    item = DeliveryItem.objects.create(kind="test.record", key="t:1", status=S.SENDING,
                                       attempts=1, lease_until=timezone.now())
    assert delivery_run(item_id=item.pk, now=timezone.now() + timedelta(seconds=1)) == S.DONE
    # when A finally reports a failure for its (old) attempt
    from delivery.services import _record_failure

    stale = DeliveryItem(pk=item.pk, key="t:1", attempts=1)
    _record_failure(stale, TimeoutError("late"))
    # then B's outcome stands
    item.refresh_from_db()
    assert item.status == S.DONE and item.attempts == 2


def test_the_relay_does_not_republish_what_it_handed_over_a_moment_ago(settings, broker_down):
    # given an item handed to the broker (its message may still be waiting in the queue)
    now = timezone.now()
    DeliveryItem.objects.create(kind="test.record", key="t:1", published_at=now)
    # then the relay leaves it alone for DELIVERY_REPUBLISH_SECONDS, then hands it over again
    from unittest import mock

    with mock.patch("delivery.services.delivery_publish", return_value=1) as publish:
        delivery_relay(now=now + timedelta(seconds=60))
        assert publish.call_args.args[0] == []
        delivery_relay(now=now + timedelta(seconds=settings.DELIVERY_REPUBLISH_SECONDS + 1))
        assert publish.call_args.args[0] == [_item("t:1").pk]


def test_send_again_puts_a_failed_item_back_with_fresh_attempts_and_is_audited(
        calls, hr_admin, django_capture_on_commit_callbacks):
    item = DeliveryItem.objects.create(kind="test.record", key="t:1", status=S.FAILED,
                                       attempts=MAX_ATTEMPTS, last_error="SMTP 554 rejected")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(item=item, acting_user=hr_admin)
    item.refresh_from_db()
    assert item.status == S.DONE and item.attempts == 1
    assert calls == [("t:1", {})]
    event = AuditEvent.objects.get(object_type="delivery.deliveryitem", object_id=str(item.pk))
    assert "SMTP 554" in event.note


def test_send_again_refuses_a_done_item_and_people_without_the_role(hr_admin, payroll_admin):
    done = DeliveryItem.objects.create(kind="test.record", key="t:1", status=S.DONE)
    with pytest.raises(ValidationError):
        delivery_retry(item=done, acting_user=hr_admin)
    failed = DeliveryItem.objects.create(kind="test.record", key="t:2", status=S.FAILED)
    with pytest.raises(PermissionDenied):
        delivery_retry(item=failed, acting_user=payroll_admin)  # not a pay-run item


def test_send_again_for_a_group_is_one_update_and_one_audit_event(
        calls, payroll_admin, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    DeliveryItem.objects.bulk_create(
        DeliveryItem(kind="test.record", key=f"t:{i}", group="payrun:9", status=S.FAILED)
        for i in range(30))
    # when: select ids, update, audit (+ savepoint/roles); the publishing after commit is eager
    with (django_capture_on_commit_callbacks(execute=False) as callbacks,
          django_assert_max_num_queries(8)):
        count = delivery_retry_group(group="payrun:9", kind="test.record", status=S.FAILED,
                                     acting_user=payroll_admin)
    assert count == 30 and len(callbacks) == 1
    assert AuditEvent.objects.filter(object_type="delivery.deliveryitem").count() == 1
    callbacks[0]()
    assert len(calls) == 30
    assert set(DeliveryItem.objects.values_list("status", flat=True)) == {S.DONE}


def test_enqueueing_a_big_run_is_a_fixed_number_of_queries(django_assert_max_num_queries,
                                                           broker_down):
    # 2,000 items: a handful of INSERTs (batches of 1,000) and one read back
    with django_assert_max_num_queries(6), transaction.atomic():
        delivery_enqueue_many(kind="test.record", items=[(f"t:{i}", {}) for i in range(2000)])
    assert DeliveryItem.objects.count() == 2000


def test_two_relays_at_once_publish_each_item_once(postgres_db, calls):
    """Two beats (or a beat and an operator's `manage.py delivery_relay`) run the relay at the
    same moment: the advisory lock lets one through; the other publishes nothing."""
    import threading

    from django.db import connection

    from delivery.services import RELAY_LOCK_ID

    DeliveryItem.objects.bulk_create(DeliveryItem(kind="test.record", key=f"t:{i}")
                                     for i in range(3))
    holding, release = threading.Event(), threading.Event()

    def other_relay():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELAY_LOCK_ID])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_relay)
    thread.start()
    assert holding.wait(10)
    try:
        # when this relay runs while the other holds the lock
        assert delivery_relay() == 0
    finally:
        release.set()
        thread.join()
    # then nothing was published twice; the next run does the work, once
    assert calls == []
    assert delivery_relay() == 3
    assert len(calls) == 3


def test_admin_lists_items_and_sends_a_failed_one_again(client, calls,
                                                        django_capture_on_commit_callbacks):
    from django.urls import reverse

    from accounts.roles import Role
    from tests.factories import UserFactory
    from tests.mfa import enrol_totp

    admin = UserFactory(is_superuser=True, is_staff=True, roles=[Role.HR_ADMIN])
    enrol_totp(admin)
    client.force_login(admin)
    admin_client = client
    item = DeliveryItem.objects.create(kind="test.record", key="t:1", status=S.FAILED,
                                       last_error="554 rejected")
    url = reverse("admin:delivery_deliveryitem_changelist")
    assert b"554 rejected" in admin_client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "send_again", "_selected_action": [item.pk]})
    assert DeliveryItem.objects.get(pk=item.pk).status == S.DONE
