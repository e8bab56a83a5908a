"""A ModelAdmin base that audits every admin save and delete: field-level before/after (secrets
masked), in the same transaction as the change. The source ("admin") comes from
audit.middleware for /admin/ paths."""

from django.contrib import admin
from django.db import transaction

from audit.services import audit_record, diff, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    secret_fields: tuple[str, ...] = ()

    def audit_employee_id(self, obj) -> int | None:
        """Whose record this is, so the change shows in that person's history."""
        return getattr(obj, "employee_id", None)

    def before_save(self, obj, change: bool) -> None:
        """Hook for a subclass (runs inside the transaction, before saving)."""

    def save_model(self, request, obj, form, change) -> None:
        fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.fields}]
        before = {}
        if change and fields:
            stored = type(obj).objects.filter(pk=obj.pk).first()
            before = snapshot(stored, fields) if stored else {}
        with transaction.atomic():
            self.before_save(obj, change)
            super().save_model(request, obj, form, change)
            changes = diff(before, snapshot(obj, fields), secret_fields=self.secret_fields)
            if changes or not change:
                audit_record(actor=request.user, action="update" if change else "create",
                             obj=obj, employee_id=self.audit_employee_id(obj), changes=changes)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action="delete", obj=obj,
                         employee_id=self.audit_employee_id(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action="delete", obj=obj,
                             employee_id=self.audit_employee_id(obj))
            super().delete_queryset(request, queryset)
