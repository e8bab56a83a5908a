"""One row per piece of work that must happen after a state change (a PDF, an email, a
calculation chunk, an export). The row is written in the same transaction as the change, so the
work exists exactly when the change does; the broker only carries ids. A relay re-publishes any
row that is not done and whose lease has run out, so no broker outage or dead worker loses it.

Status: queued -> sending (claimed, with a lease) -> done | failed (with the reason). A
transient error puts it back to queued with a later `available_at` (backoff)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryItem(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNDELIVERED = (Status.QUEUED, Status.SENDING)

    kind = models.CharField(_("kind"), max_length=60)
    # One item per intent (e.g. "payslip.email:42"): enqueueing twice never makes two.
    key = models.CharField(_("key"), max_length=200, unique=True)
    # What the item belongs to, for pages (e.g. "payrun:12").
    group = models.CharField(_("group"), max_length=60, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("not before"), default=timezone.now)
    published_at = models.DateTimeField(_("last handed to the broker"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["group", "kind", "status"], name="delivery_group_kind_status"),
            # The relay and /healthz read only what is not delivered yet: a small index.
            models.Index(fields=["status", "available_at"], name="delivery_undelivered",
                         condition=Q(status__in=["queued", "sending"])),
            # A page's pace of the last minutes (delivery.selectors.delivery_counts): the
            # items done recently, without reading the thousands done before them.
            models.Index(fields=["group", "kind", "done_at"], name="delivery_group_done",
                         condition=Q(status="done")),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"

    @property
    def message_id(self) -> str:
        """A stable Message-ID per item: a re-send after a crash carries the same one, so mail
        systems that deduplicate by Message-ID show it once."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "hrops.local"
        return f"<hrops-delivery-{self.pk}@{domain}>"


class Download(models.Model):
    """A big file (a 20,000-row XLSX) built by a worker for one person: its status, progress and
    the stored file (default_storage). Served only to whoever asked, and only while they may
    still see what it holds; removed after DOWNLOADS_KEEP_HOURS (delivery.downloads)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="download_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
