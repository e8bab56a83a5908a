from django.contrib import admin

from audit.admin_audited import AuditedModelAdmin
from lifecycle.models import (
    Checklist,
    ChecklistTemplate,
    DigestSent,
    LeaverNotice,
    Task,
    TaskDocument,
    TaskEvent,
    TemplateTask,
)


class TemplateTaskInline(admin.StackedInline):
    model = TemplateTask
    extra = 0
    raw_id_fields = ["assignee_user"]
    fields = [("title", "position"), "instructions", ("assignee_rule", "assignee_user"),
              ("anchor", "offset_days", "business_days", "roll_weekend"),
              ("requirement", "form_fields"), "acknowledge_text",
              ("departments", "locations", "employment_types", "countries")]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "version", "is_current", "is_active", "created_at"]
    list_filter = ["kind", "is_current", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["family", "created_by", "created_at"]
    inlines = [TemplateTaskInline]

    def has_change_permission(self, request, obj=None) -> bool:
        # A version that has started checklists is history: it is never edited in place. Edit it
        # on the Lifecycle > Templates page, which saves a new version.
        if obj is not None and obj.checklists.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.checklists.exists():
            return False
        return super().has_delete_permission(request, obj)


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["title", "assignee_rule", "assignee_user", "due_date", "status", "closed_by",
              "closed_at"]
    readonly_fields = ["closed_by", "closed_at"]
    raw_id_fields = ["assignee_user"]
    show_change_link = True


@admin.register(Checklist)
class ChecklistAdmin(AuditedModelAdmin):
    list_display = ["name", "employee", "kind", "status", "anchor_date", "started_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "employee__legal_last_name", "employee__employee_number"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee", "employment", "template"]
    readonly_fields = ["family", "started_by", "started_at", "completed_at", "cancelled_at",
                       "cancelled_by"]
    inlines = [TaskInline]


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    readonly_fields = ["action", "actor", "at", "note"]
    can_delete = False


@admin.register(Task)
class TaskAdmin(AuditedModelAdmin):
    list_display = ["title", "checklist", "assignee_rule", "assignee_user", "due_date", "status"]
    list_filter = ["status", "assignee_rule", "checklist__kind"]
    search_fields = ["title", "checklist__employee__legal_last_name"]
    list_select_related = ["checklist__employee", "assignee_user"]
    raw_id_fields = ["checklist", "template_task", "assignee_user"]
    readonly_fields = ["closed_by", "closed_at", "acknowledged_at"]
    inlines = [TaskEventInline]

    def audit_employee_id(self, obj) -> int | None:
        return obj.checklist.employee_id


@admin.register(LeaverNotice)
class LeaverNoticeAdmin(AuditedModelAdmin):
    list_display = ["employee", "last_day", "reason", "status", "final_pay_flag"]
    list_filter = ["status", "reason", "final_pay_flag"]
    raw_id_fields = ["employee", "employment"]
    readonly_fields = ["created_by", "created_at", "cancelled_by", "cancelled_at"]


@admin.register(TaskDocument)
class TaskDocumentAdmin(AuditedModelAdmin):
    list_display = ["original_name", "task", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["task"]
    readonly_fields = ["file", "uploaded_by", "uploaded_at"]

    def audit_employee_id(self, obj) -> int | None:
        return obj.task.checklist.employee_id


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "task_count", "sent_at"]
    list_filter = ["day"]
