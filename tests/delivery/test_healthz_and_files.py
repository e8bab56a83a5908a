import os
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.files import store_atomically, tmp_files_clean
from delivery.models import DeliveryItem


@pytest.mark.django_db
def test_healthz_reports_how_long_the_oldest_undelivered_item_has_waited(client):
    # given one item done long ago and two waiting, the older for ten minutes
    now = timezone.now()
    DeliveryItem.objects.create(kind="k", key="a", status="done",
                                created_at=now - timedelta(days=3))
    DeliveryItem.objects.create(kind="k", key="b", created_at=now - timedelta(minutes=10))
    DeliveryItem.objects.create(kind="k", key="c", status="sending",
                                created_at=now - timedelta(minutes=2))
    # when
    body = client.get(reverse("healthz")).json()
    # then: the waiting one, not the done one; healthy (a backlog is reported, not fatal)
    assert body["status"] == "ok"
    assert 595 <= body["delivery"]["oldest_undelivered_seconds"] <= 610


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def test_a_stray_temp_file_is_removed_once_it_is_old_but_a_fresh_one_is_kept(media):
    # given a temp file a killed worker left an hour and a half ago, one being written now,
    # and a finished PDF
    store_atomically("payslips/1/payslip-1.pdf", b"%PDF-1.7 ...")
    folder = media / "payslips" / "1"
    stale, fresh = folder / "tmpabc.tmp", folder / "tmpdef.tmp"
    stale.write_bytes(b"half a pdf")
    fresh.write_bytes(b"being written")
    old = time.time() - 5400
    os.utime(stale, (old, old))
    # when
    removed = tmp_files_clean()
    # then
    assert removed == 1
    assert sorted(p.name for p in folder.iterdir()) == ["payslip-1.pdf", "tmpdef.tmp"]


def test_an_atomic_write_leaves_no_temp_file_when_it_fails(media, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        store_atomically("exports/x.zip", b"data")
    assert list((media / "exports").iterdir()) == []
