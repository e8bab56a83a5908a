"""Done items are purged after DELIVERY_PURGE_DONE_DAYS by a daily job, in batches; anything
someone may still need (failed, waiting, in progress, recently done) stays."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from delivery.models import DeliveryItem
from delivery.services import delivery_purge_done
from delivery.tasks import delivery_purge_done_task

pytestmark = pytest.mark.django_db
S = DeliveryItem.Status


def _item(key: str, status: str, done_days_ago: int | None = None) -> DeliveryItem:
    now = timezone.now()
    done_at = None if done_days_ago is None else now - timedelta(days=done_days_ago)
    return DeliveryItem.objects.create(kind="k", key=key, status=status, done_at=done_at,
                                       created_at=now - timedelta(days=90))


def test_only_items_done_longer_ago_than_the_setting_are_purged(settings):
    settings.DELIVERY_PURGE_DONE_DAYS = 30
    # given old and recent done items, and old items in every other state
    for i in range(5):
        _item(f"old-done-{i}", S.DONE, done_days_ago=31)
    _item("recent-done", S.DONE, done_days_ago=29)
    _item("failed", S.FAILED)
    _item("queued", S.QUEUED)
    _item("sending", S.SENDING)
    # when the daily job runs
    assert delivery_purge_done_task() == 5
    # then only the old done ones are gone, and a second run finds nothing
    assert sorted(DeliveryItem.objects.values_list("key", flat=True)) == [
        "failed", "queued", "recent-done", "sending"]
    assert delivery_purge_done() == 0


def test_the_purge_deletes_in_batches_of_a_fixed_number_of_queries(
        django_assert_num_queries):
    for i in range(7):
        _item(f"d{i}", S.DONE, done_days_ago=40)
    # batches of 3: (select ids + delete) x 3, the last one short, so no fourth select
    with django_assert_num_queries(6):
        assert delivery_purge_done(older_than_days=30, batch=3) == 7
    assert not DeliveryItem.objects.exists()


def test_the_purge_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["delivery-purge-done"]
    assert entry["task"] == "delivery.tasks.delivery_purge_done_task"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {45}


def test_the_eta_is_the_work_left_at_the_pace_of_the_last_minutes():
    from delivery.selectors import delivery_counts

    now = timezone.now()
    # given 60 PDFs done in the last two minutes (0.5 a second), 30 waiting, 10 in progress,
    # and 100 done an hour ago (not the current pace)
    for i in range(60):
        DeliveryItem.objects.create(kind="k", key=f"r{i}", group="g", status=S.DONE,
                                    done_at=now - timedelta(seconds=120 - 2 * i))
    for i in range(100):
        DeliveryItem.objects.create(kind="k", key=f"o{i}", group="g", status=S.DONE,
                                    done_at=now - timedelta(hours=1))
    for i in range(40):
        DeliveryItem.objects.create(kind="k", key=f"w{i}", group="g",
                                    status=S.QUEUED if i < 30 else S.SENDING)
    # when
    entry = delivery_counts(group="g", kinds=["k", "other"], now=now)
    # then 40 left at 0.5/s: 80 seconds; nothing known for a kind without recent work
    assert entry["k"]["per_second"] == pytest.approx(0.5)
    assert entry["k"]["eta_seconds"] == pytest.approx(80)
    assert entry["other"]["eta_seconds"] is None and entry["other"]["per_second"] is None


def test_the_eta_reads_like_a_time_left():
    from payroll.templatetags.payroll_tags import seconds_short

    assert [seconds_short(v) for v in (None, 40, 89.4, 420, 3900, 5700)] == [
        "", "40 s", "89 s", "7 min", "65 min", "1 h 35 min"]


def test_the_pace_is_read_from_the_newest_items_only():
    from delivery.selectors import ETA_SAMPLE, delivery_counts

    now = timezone.now()
    # given a fast kind: the newest ETA_SAMPLE items done one a second up to now, and many
    # more done slowly before them, all inside the window; 10 waiting
    for i in range(ETA_SAMPLE):
        DeliveryItem.objects.create(kind="k", key=f"n{i}", group="g", status=S.DONE,
                                    done_at=now - timedelta(seconds=i))
    for i in range(50):
        DeliveryItem.objects.create(kind="k", key=f"s{i}", group="g", status=S.DONE,
                                    done_at=now - timedelta(seconds=ETA_SAMPLE + 1 + i))
    for i in range(10):
        DeliveryItem.objects.create(kind="k", key=f"w{i}", group="g", status=S.QUEUED)
    # when
    entry = delivery_counts(group="g", kinds=["k"], now=now)["k"]
    # then the pace is that of the newest ETA_SAMPLE: one a second (over ETA_SAMPLE - 1 s)
    assert entry["per_second"] == pytest.approx(ETA_SAMPLE / (ETA_SAMPLE - 1))
    assert entry["eta_seconds"] == pytest.approx(10 * (ETA_SAMPLE - 1) / ETA_SAMPLE)
    assert entry["counts"]["done"] == ETA_SAMPLE + 50
