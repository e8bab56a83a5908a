from django.contrib import admin

from accounts.roles import is_hr_admin
from audit.models import AuditEvent
from audit.services import audit_record
from compliance import models


class HRAdminAccess(admin.ModelAdmin):
    """HR Admin manages compliance configuration here (no per-model Django permissions are
    granted to the role groups); every admin write is audited like a service write.
    Evidence, acknowledgements and reminder claims are read-only: they change only through
    the compliance services."""

    read_only = False

    def has_module_permission(self, request) -> bool:
        return is_hr_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_hr_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_hr_admin(request.user) and not self.read_only

    def has_change_permission(self, request, obj=None) -> bool:
        return is_hr_admin(request.user) and not self.read_only

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_hr_admin(request.user) and not self.read_only

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        changes = {name: [form.initial.get(name), str(form.cleaned_data.get(name))]
                   for name in form.changed_data}
        audit_record(actor=request.user, obj=obj, changes=changes, source="admin",
                     action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                     employee_id=getattr(obj, "employee_id", None))

    def delete_model(self, request, obj) -> None:
        audit_record(actor=request.user, obj=obj, action=AuditEvent.Action.DELETE,
                     source="admin", employee_id=getattr(obj, "employee_id", None))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class RuleInline(admin.TabularInline):
    def has_view_permission(self, request, obj=None) -> bool:
        return is_hr_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    model = models.RequirementRule
    extra = 0
    raw_id_fields = ["department", "location", "job_title"]


@admin.register(models.RequirementType)
class RequirementTypeAdmin(HRAdminAccess):
    list_display = ["name", "kind", "validity_months", "country", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    inlines = [RuleInline]


@admin.register(models.RequirementRule)
class RequirementRuleAdmin(HRAdminAccess):
    list_display = ["requirement_type", "scope", "department", "location", "job_title",
                    "employment_type", "country", "active"]
    list_filter = ["scope", "active"]
    list_select_related = ["requirement_type", "department", "location", "job_title"]


@admin.register(models.ComplianceRecord)
class ComplianceRecordAdmin(HRAdminAccess):
    read_only = True
    list_display = ["employee", "requirement_type", "completed_on", "expires_on", "reverify_on",
                    "verification", "created_at"]
    list_filter = ["verification", "requirement_type"]
    list_select_related = ["employee", "requirement_type"]
    search_fields = ["employee__legal_last_name", "employee__employee_number"]
    raw_id_fields = ["employee", "verified_by", "submitted_by"]
    date_hierarchy = "created_at"


class VersionInline(admin.TabularInline):
    def has_view_permission(self, request, obj=None) -> bool:
        return is_hr_admin(request.user)

    model = models.PolicyVersion
    extra = 0
    fields = ["number", "label", "content_hash", "published_at", "published_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Policy)
class PolicyAdmin(HRAdminAccess):
    list_display = ["title", "created_at"]
    search_fields = ["title"]
    inlines = [VersionInline]


@admin.register(models.PolicyVersion)
class PolicyVersionAdmin(HRAdminAccess):
    read_only = True
    list_display = ["policy", "number", "label", "published_at"]
    readonly_fields = ["content_hash"]


@admin.register(models.PolicyOpen)
class PolicyOpenAdmin(HRAdminAccess):
    read_only = True
    list_display = ["version", "employee", "opened_at"]
    raw_id_fields = ["employee"]


@admin.register(models.Acknowledgement)
class AcknowledgementAdmin(HRAdminAccess):
    read_only = True
    list_display = ["version", "employee", "acknowledged_at", "version_hash"]
    list_select_related = ["version__policy", "employee"]
    raw_id_fields = ["employee", "user"]
    readonly_fields = ["version_hash", "opened_at", "acknowledged_at"]


@admin.register(models.PolicyNudge)
class PolicyNudgeAdmin(HRAdminAccess):
    read_only = True
    list_display = ["version", "employee", "day", "sent_by"]
    raw_id_fields = ["employee"]


@admin.register(models.ReminderSent)
class ReminderSentAdmin(HRAdminAccess):
    read_only = True
    list_display = ["record", "stage", "escalated", "sent_at"]
    list_filter = ["stage", "escalated"]
    raw_id_fields = ["record"]


@admin.register(models.EvidencePack)
class EvidencePackAdmin(HRAdminAccess):
    read_only = True
    list_display = ["employee", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["employee"]


@admin.register(models.SubjectAccessExport)
class SubjectAccessExportAdmin(HRAdminAccess):
    read_only = True
    list_display = ["employee", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["employee"]


@admin.register(models.RetentionRule)
class RetentionRuleAdmin(HRAdminAccess):
    list_display = ["name", "kind", "requirement_type", "years_after_hire", "years_after_end",
                    "action", "active"]
    list_filter = ["kind", "active"]


@admin.register(models.LegalHold)
class LegalHoldAdmin(HRAdminAccess):
    list_display = ["employee", "record", "reason", "placed_at", "released_at"]
    raw_id_fields = ["employee", "record"]


@admin.register(models.PurgeRun)
class PurgeRunAdmin(HRAdminAccess):
    read_only = True
    list_display = ["pk", "as_of", "status", "created_at", "executed_at"]
    list_filter = ["status"]
    readonly_fields = ["report", "result"]
