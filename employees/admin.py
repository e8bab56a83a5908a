"""Django admin for every employees model. Encrypted values are never shown or edited here (only
their last 4); bank details change through the validated Bank tab. Every admin save or delete is
audited with source "admin" (set by audit.middleware for /admin/ paths)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_audited import AuditedModelAdmin
from employees.access import NotOwnRecordAdminMixin
from employees.models import (
    BankAccount,
    BankChangeRequest,
    CompensationRecord,
    Department,
    Document,
    EmergencyContact,
    Employee,
    Employment,
    JobRecord,
    JobTitle,
    Location,
)


class AuditedAdmin(AuditedModelAdmin):
    """Audited, and an admin edit of an Employee bumps its version (optimistic locking)."""

    def audit_employee_id(self, obj) -> int | None:
        return obj.pk if isinstance(obj, Employee) else super().audit_employee_id(obj)

    def before_save(self, obj, change: bool) -> None:
        if isinstance(obj, Employee) and change:
            obj.version += 1


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "code", "parent", "cost_centre"]
    search_fields = ["name", "code", "cost_centre"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = ["name", "city", "country", "timezone"]
    list_filter = ["country"]
    search_fields = ["name", "city"]


@admin.register(JobTitle)
class JobTitleAdmin(AuditedAdmin):
    list_display = ["name", "job_family"]
    list_filter = ["job_family"]
    search_fields = ["name", "job_family"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    can_delete = False
    readonly_fields = ["start_date", "end_date", "termination_reason", "rehire_eligible"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # periods open and close through hire/terminate/rehire services


@admin.register(Employee)
class EmployeeAdmin(NotOwnRecordAdminMixin, AuditedAdmin):
    list_display = ["employee_number", "legal_last_name", "legal_first_name", "preferred_name",
                    "status", "department", "location", "job_title", "manager", "masked_id"]
    list_filter = ["status", "employment_type", "department", "location", "work_country"]
    search_fields = ["employee_number", "legal_first_name", "legal_last_name", "preferred_name",
                     "work_email"]
    list_select_related = ["department", "location", "job_title", "manager"]
    autocomplete_fields = ["manager", "department", "location", "job_title"]
    raw_id_fields = ["user"]
    # The encrypted national ID is neither shown nor editable here; status, job and pay change
    # through their services (state machine, effective-dated records), the work email on the
    # Personal tab (checked, and announced to webhook subscribers as employee.updated).
    exclude = ["national_id"]
    readonly_fields = ["masked_id", "national_id_country", "work_email", "status", "hire_date",
                       "termination_date", "job_title", "department", "location", "manager",
                       "employment_type", "fte", "version", "created_at", "updated_at"]
    inlines = [EmploymentInline]

    def has_add_permission(self, request) -> bool:
        return False  # hiring creates the employment period and first job record: HR's forms

    @admin.display(description=_("national ID"))
    def masked_id(self, obj: Employee) -> str:
        return f"•••• {obj.national_id_last4}" if obj.national_id_last4 else "—"

    def get_autocomplete_fields(self, request):
        return [f for f in super().get_autocomplete_fields(request)
                if f not in self.get_readonly_fields(request)]


class EffectiveDatedAdmin(AuditedAdmin):
    """Job and pay history: readable, searchable; changed only through the profile's forms so
    the employee's current fields stay in step."""

    list_filter = ["reason"]
    search_fields = ["employee__employee_number", "employee__legal_last_name"]
    list_select_related = ["employee"]
    date_hierarchy = "effective_date"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Employment)
class EmploymentAdmin(AuditedAdmin):
    list_display = ["employee", "start_date", "end_date", "termination_reason"]
    list_filter = ["termination_reason"]
    search_fields = ["employee__employee_number", "employee__legal_last_name"]
    list_select_related = ["employee"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JobRecord)
class JobRecordAdmin(EffectiveDatedAdmin):
    list_display = ["employee", "effective_date", "job_title", "department", "location",
                    "fte", "weekly_hours", "reason"]
    list_select_related = ["employee", "job_title", "department", "location"]


@admin.register(CompensationRecord)
class CompensationRecordAdmin(EffectiveDatedAdmin):
    list_display = ["employee", "effective_date", "basis", "annual_salary", "hourly_rate",
                    "currency", "reason"]
    list_filter = ["reason", "basis", "currency"]


class MaskedBankAdmin(NotOwnRecordAdminMixin, AuditedAdmin):
    """Bank numbers are encrypted: only the last 4 are shown; new numbers go through the
    validated Bank tab, which also emails the employee."""

    exclude = ["iban", "account_number"]
    search_fields = ["employee__employee_number", "employee__legal_last_name", "holder_name",
                     "last4"]
    list_select_related = ["employee"]

    @admin.display(description=_("account"))
    def masked_number(self, obj) -> str:
        return obj.masked or "—"

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(BankAccount)
class BankAccountAdmin(MaskedBankAdmin):
    list_display = ["employee", "holder_name", "country", "scheme", "masked_number",
                    "is_primary", "is_active", "updated_at"]
    list_filter = ["is_primary", "is_active", "scheme", "country"]
    readonly_fields = ["employee", "masked_number", "country", "scheme", "bic",
                       "routing_number", "sort_code", "last4", "is_primary", "is_active",
                       "created_by", "created_at", "updated_at"]


@admin.register(BankChangeRequest)
class BankChangeRequestAdmin(MaskedBankAdmin):
    list_display = ["employee", "status", "masked_number", "requested_at", "decided_by",
                    "decided_at"]
    list_filter = ["status", "scheme", "country"]
    list_select_related = ["employee", "decided_by"]
    readonly_fields = [f.name for f in BankChangeRequest._meta.fields
                       if f.name not in {"iban", "account_number"}] + ["masked_number"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # decided in the HR queue, which locks, switches accounts and emails


@admin.register(EmergencyContact)
class EmergencyContactAdmin(AuditedAdmin):
    list_display = ["employee", "name", "relationship", "phone", "is_primary"]
    list_filter = ["is_primary", "relationship"]
    search_fields = ["name", "employee__employee_number", "employee__legal_last_name"]
    list_select_related = ["employee"]
    autocomplete_fields = ["employee"]


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    """Metadata only: the file itself is downloaded through the profile's permission-checked
    view, never through a storage URL."""

    list_display = ["employee", "title", "doc_type", "original_name", "size", "uploaded_at"]
    list_filter = ["doc_type"]
    search_fields = ["title", "original_name", "employee__employee_number",
                     "employee__legal_last_name"]
    list_select_related = ["employee"]
    fields = ["employee", "doc_type", "title", "original_name", "content_type", "size",
              "uploaded_by", "uploaded_at"]
    readonly_fields = ["employee", "original_name", "content_type", "size", "uploaded_by",
                       "uploaded_at"]

    def has_add_permission(self, request) -> bool:
        return False
