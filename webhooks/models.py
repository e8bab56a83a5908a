"""Outbound webhooks: an HR Admin's subscription (a URL, the events it wants, a signing secret)
and one delivery row per event x subscription, the log the subscription page shows. The work
itself is a `delivery.DeliveryItem` (kind "webhook.send", key "webhook:<delivery pk>"), written in
the transaction of the change that raised the event, so its retries, leases and "send again" are
the delivery mechanism's."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employees.crypto import EncryptedTextField


class Event:
    """Every event a subscription may ask for (the value is the `type` in the payload)."""
    EMPLOYEE_HIRED = "employee.hired"
    EMPLOYEE_UPDATED = "employee.updated"
    EMPLOYEE_TERMINATED = "employee.terminated"
    JOB_CHANGED = "job.changed"
    COMPENSATION_CHANGED = "compensation.changed"
    LEAVE_APPROVED = "leave.approved"
    PAYROLL_RUN_FINALISED = "payroll.run.finalised"
    COMPLIANCE_RECORD_EXPIRING = "compliance.record.expiring"

    CHOICES = [
        (EMPLOYEE_HIRED, _("Employee hired")),
        (EMPLOYEE_UPDATED, _("Employee updated")),
        (EMPLOYEE_TERMINATED, _("Employee terminated (on the effective date)")),
        (JOB_CHANGED, _("Job changed")),
        (COMPENSATION_CHANGED, _("Compensation changed (needs the compensation scope)")),
        (LEAVE_APPROVED, _("Leave approved")),
        (PAYROLL_RUN_FINALISED, _("Payroll run finalised")),
        (COMPLIANCE_RECORD_EXPIRING, _("Compliance record expiring")),
    ]
    ALL = frozenset(value for value, _label in CHOICES)


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("target URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Compensation events and pay fields go only to subscriptions granted this scope.
    sees_compensation = models.BooleanField(_("compensation scope"), default=False)
    # HMAC needs the secret itself (it cannot be hashed like an API token), so it is encrypted
    # at rest with the national IDs' and bank accounts' keys (employees.crypto,
    # FIELD_ENCRYPTION_KEYS; `manage.py rotate_field_encryption` re-encrypts it too).
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def secrets(self, now=None) -> list[str]:
        """The secrets to sign with: the current one, and the previous one during its overlap."""
        now = now or timezone.now()
        keep = self.previous_secret and self.previous_secret_until and \
            self.previous_secret_until > now
        return [self.secret, self.previous_secret] if keep else [self.secret]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    event_type = models.CharField(max_length=60)
    body = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
                   # the daily purge (webhooks.services.webhook_deliveries_purge)
                   models.Index(fields=["created_at"], name="webhook_delivery_created")]

    def __str__(self) -> str:
        return f"{self.event_type} -> {self.subscription_id} ({self.status})"

    @property
    def item_key(self) -> str:
        return f"webhook:{self.pk}"
