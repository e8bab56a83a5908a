from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change (or sensitive read) of people, pay or compliance data.

    `changes` holds field-level before/after: {"field": [before, after]}, secrets already masked.
    `employee_id` is the person the event is about (a plain integer: audit depends on no app), so a
    profile's History tab is one indexed query.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        REVEAL = "reveal", _("Revealed a secret")
        DOWNLOAD = "download", _("Downloaded")
        STATUS = "status", _("Status changed")
        EXPORT = "export", _("Exported")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        FORM = "form", _("Web form")
        ADMIN = "admin", _("Django admin")
        IMPORT = "import", _("Bulk import")
        PORTAL = "portal", _("Employee portal")
        SYSTEM = "system", _("System / scheduled job")
        API = "api", _("API / command")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SYSTEM)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)  # "employees.employee"
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=255, blank=True)
    employee_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["employee_id", "-at"], name="audit_employee_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
