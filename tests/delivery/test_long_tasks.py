"""A handler that needs more than the delivery default (an import of 20,000 people) declares
its own time limit: the task carries it, and the item's lease outlasts it, so the work is never
run twice at once and a killed worker's item is still taken back."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.registry import handler, handler_for
from delivery.services import LONG_TASK_LEASE_MARGIN, delivery_publish, delivery_run

pytestmark = pytest.mark.django_db
LEASES: list[timedelta] = []


@handler("test.long", time_limit=600)
def long_work(item) -> None:
    row = DeliveryItem.objects.get(pk=item.pk)
    LEASES.append(row.lease_until - timezone.now())


def test_a_long_task_is_published_with_its_own_time_limits():
    item = DeliveryItem.objects.create(kind="test.long", key="long:1")
    with mock.patch("delivery.tasks.delivery_run_task.apply_async") as publish:
        assert delivery_publish([item.pk]) == 1
    assert publish.call_args.kwargs["time_limit"] == 600
    assert publish.call_args.kwargs["soft_time_limit"] == 580


def test_other_tasks_keep_the_delivery_defaults():
    item = DeliveryItem.objects.create(kind="test.record", key="short:1")
    with mock.patch("delivery.tasks.delivery_run_task.apply_async") as publish:
        delivery_publish([item.pk])
    assert "time_limit" not in publish.call_args.kwargs


def test_a_long_tasks_lease_outlasts_its_hard_time_limit():
    LEASES.clear()
    item = DeliveryItem.objects.create(kind="test.long", key="long:2")
    assert delivery_run(item_id=item.pk) == "done"
    [lease] = LEASES
    assert lease.total_seconds() > handler_for("test.long").time_limit
    assert lease.total_seconds() <= 600 + LONG_TASK_LEASE_MARGIN


def test_import_handlers_have_a_time_limit_their_lease_outlasts():
    for kind in ("employees.import.check", "employees.import.apply"):
        limit = handler_for(kind).time_limit
        assert limit > settings.DELIVERY_TASK_TIME_LIMIT
        assert limit - 20 > 0
