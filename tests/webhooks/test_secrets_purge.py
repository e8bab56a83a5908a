"""Issue 17 leftovers: signing secrets encrypted at rest (the national IDs' field encryption),
existing rows encrypted by the migration, rotation with its 24 h overlap still signing with
both; and the daily purge of finished deliveries older than WEBHOOK_DELIVERY_KEEP_DAYS."""

from datetime import timedelta
from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from delivery.models import DeliveryItem
from employees.crypto import configured_keys, decrypt, derived_key
from webhooks.events import emit
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import (
    ROTATION_OVERLAP,
    subscription_create,
    subscription_rotate_secret,
    webhook_deliveries_purge,
)
from webhooks.tasks import webhook_deliveries_purge_task

pytestmark = pytest.mark.django_db
URL = "https://93.184.216.34/hook"  # a global address literal: no DNS, allowed
MIGRATION = import_module("webhooks.migrations.0002_encrypt_secrets")


def _stored(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret, previous_secret FROM webhooks_webhooksubscription "
                       "WHERE id = %s", [pk])
        return cursor.fetchone()


def _subscribe(hr_admin):
    return subscription_create(acting_user=hr_admin, name="IdP", url=URL,
                               events=["employee.hired"])


def test_the_secret_is_stored_encrypted_and_read_in_the_clear(hr_admin):
    # when a subscription is made (the secret is shown once, to its maker)
    subscription, secret = _subscribe(hr_admin)
    # then the column holds a Fernet token, not the secret, and the model reads the secret
    stored, previous = _stored(subscription.pk)
    assert secret.startswith("whsec_") and secret not in stored
    assert stored.startswith("gAAAAA") and decrypt(stored) == secret
    assert previous == ""
    assert WebhookSubscription.objects.get().secrets() == [secret]


def test_rotation_keeps_the_old_secret_encrypted_for_the_overlap(hr_admin):
    subscription, old = _subscribe(hr_admin)
    subscription, new = subscription_rotate_secret(acting_user=hr_admin,
                                                   subscription=subscription)
    stored, previous = _stored(subscription.pk)
    assert decrypt(stored) == new and decrypt(previous) == old
    assert old not in previous and new not in stored
    fresh = WebhookSubscription.objects.get()
    assert fresh.secrets() == [new, old]  # both sign for 24 hours
    later = timezone.now() + ROTATION_OVERLAP + timedelta(seconds=1)
    assert fresh.secrets(now=later) == [new]  # then only the new one


def test_the_migration_encrypts_existing_plaintext_rows_once(hr_admin):
    # given a row as the previous schema stored it: secrets in the clear
    subscription, _ = _subscribe(hr_admin)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE webhooks_webhooksubscription SET secret = %s, "
                       "previous_secret = %s WHERE id = %s",
                       ["whsec_plain", "whsec_older", subscription.pk])
    editor = SimpleNamespace(connection=connection)
    # when the migration's step runs (twice: a re-run changes nothing)
    MIGRATION.encrypt_existing(None, editor)
    once = _stored(subscription.pk)
    MIGRATION.encrypt_existing(None, editor)
    # then both are tokens of the same secrets, and the model reads them
    assert _stored(subscription.pk) == once
    assert [decrypt(v) for v in once] == ["whsec_plain", "whsec_older"]
    assert WebhookSubscription.objects.get().secret == "whsec_plain"
    # and reversing gives the plaintext back
    MIGRATION.decrypt_existing(None, editor)
    assert _stored(subscription.pk) == ("whsec_plain", "whsec_older")


def test_key_rotation_re_encrypts_the_secrets(hr_admin, settings):
    # given a secret written with the test key (derived from SECRET_KEY, no keys configured)
    subscription, secret = _subscribe(hr_admin)
    before, _ = _stored(subscription.pk)
    # when a new key is put in front of the old one and the rotation command runs
    old_keys = configured_keys() or [derived_key(settings.SECRET_KEY).decode()]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    call_command("rotate_field_encryption", stdout=StringIO())
    # then the secret is re-encrypted (new token, the new key alone reads it)
    after, _ = _stored(subscription.pk)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert decrypt(after) == secret
    assert WebhookSubscription.objects.get().secret == secret


def _deliveries(hr_admin, n: int) -> list[WebhookDelivery]:
    _subscribe(hr_admin)
    for i in range(n):
        emit("employee.hired", {"id": i})
    return list(WebhookDelivery.objects.order_by("pk"))


def _age(delivery, days: int, status: str, attempted: bool = True) -> None:
    at = timezone.now() - timedelta(days=days)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, created_at=at, last_attempt_at=at if attempted else None)
    item_status = {"delivered": "done", "failed": "failed"}.get(status, "queued")
    DeliveryItem.objects.filter(key=delivery.item_key).update(status=item_status)


def test_finished_deliveries_older_than_the_setting_are_purged_with_their_items(hr_admin,
                                                                                settings):
    settings.WEBHOOK_DELIVERY_KEEP_DAYS = 30
    old_ok, old_failed, recent, retrying, resent = _deliveries(hr_admin, 5)
    _age(old_ok, 31, "delivered")
    _age(old_failed, 40, "failed", attempted=False)
    _age(recent, 29, "delivered")
    _age(retrying, 45, "retrying")  # still being worked on: kept
    _age(resent, 50, "failed")
    WebhookDelivery.objects.filter(pk=resent.pk).update(  # sent again 2 days ago: kept
        last_attempt_at=timezone.now() - timedelta(days=2))
    # when the daily job runs
    assert webhook_deliveries_purge_task() == 2
    # then the two old finished ones are gone with their items, the rest stay
    kept = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, retrying.pk, resent.pk}
    assert not DeliveryItem.objects.filter(key__in=[old_ok.item_key, old_failed.item_key])
    assert DeliveryItem.objects.filter(key__in=[d.item_key for d in (recent, retrying, resent)]
                                       ).count() == 3
    # and a second run finds nothing (idempotent)
    assert webhook_deliveries_purge() == 0


def test_the_purge_works_in_batches_with_a_fixed_number_of_queries(hr_admin,
                                                                   django_assert_num_queries):
    deliveries = _deliveries(hr_admin, 5)
    for d in deliveries:
        _age(d, 60, "delivered")
    # 3 batches of 2, 2 and 1: each a SELECT of ids, then (in a savepoint/transaction) the
    # items' DELETE and the deliveries' DELETE (+ SAVEPOINT and RELEASE inside the test's
    # transaction); the last batch is short, so no empty SELECT after it.
    with django_assert_num_queries(3 * 5):
        assert webhook_deliveries_purge(batch=2) == 5
    assert not WebhookDelivery.objects.exists()


def test_the_page_shows_the_secret_once_and_says_how_long_the_log_is_kept(client, hr_admin,
                                                                           settings):
    from django.urls import reverse

    from tests.mfa import enrol_totp

    settings.WEBHOOK_DELIVERY_KEEP_DAYS = 45
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    subscription, secret = _subscribe(hr_admin)
    page = client.get(reverse("webhooks:subscription", args=[subscription.pk])).content.decode()
    assert secret not in page and _stored(subscription.pk)[0] not in page
    assert "kept 45 days after their last attempt" in page
