"""In-app notifications: one row per (recipient, thing to look at). Written by other apps'
services through notifications.services.notify, in their own transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        TASK_ASSIGNED = "task_assigned", _("Task assigned")
        TASK_DUE = "task_due", _("Tasks due")
        APPROVAL_WAITING = "approval_waiting", _("Approval waiting")
        REQUEST_DECIDED = "request_decided", _("Request decided")
        POLICY_TO_ACKNOWLEDGE = "policy_to_acknowledge", _("Policy to acknowledge")
        OTHER = "other", _("Other")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=255)
    url = models.CharField(_("link"), max_length=500)
    # Set by callers that may run twice (a beat job, a retried service): one row per key.
    key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="notification_one_per_key"),
        ]
        indexes = [
            # The bell's count on every page: an index holding only the unread rows.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"
