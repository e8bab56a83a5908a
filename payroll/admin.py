"""Admin: setup is editable; runs and their results become read-only once finalised. Every admin
save or delete is audited (audit.admin_audited); unpaid leave goes through its services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from audit.admin_audited import AuditedModelAdmin
from employees.access import NotOwnRecordAdminMixin
from payroll.models import (
    SUPPORTED_COUNTRIES,
    EmployeePayItem,
    PayComponent,
    PayPeriod,
    PayRun,
    PaySchedule,
    Payslip,
    PayslipLine,
    RetroRecovery,
    RunInput,
    TaxProfile,
    UnpaidLeave,
)
from payroll.services import leave as leave_services


def _frozen(run: PayRun | None) -> bool:
    return run is not None and run.is_frozen


@admin.register(PaySchedule)
class PayScheduleAdmin(AuditedModelAdmin):
    list_display = ["name", "frequency", "country", "currency", "supplemental_method",
                    "is_active"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The country is picked from the ones the engine supports; the model's validator
        # refuses anything else (a stored legacy value, say) with the reason.
        if db_field.name == "country":
            kwargs["widget"] = forms.Select(choices=[("", "---------"),
                                                     *SUPPORTED_COUNTRIES.items()])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(PayPeriod)
class PayPeriodAdmin(AuditedModelAdmin):
    list_display = ["schedule", "number", "start_date", "end_date", "pay_date"]
    list_filter = ["schedule"]


@admin.register(PayComponent)
class PayComponentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "calculation", "gender_pay_class", "allows_negative",
                    "is_active"]


@admin.register(EmployeePayItem)
class EmployeePayItemAdmin(NotOwnRecordAdminMixin, AuditedModelAdmin):
    list_display = ["employee", "component", "amount", "percent", "effective_from",
                    "effective_to"]
    raw_id_fields = ["employee"]


@admin.register(TaxProfile)
class TaxProfileAdmin(NotOwnRecordAdminMixin, AuditedModelAdmin):
    list_display = ["employee", "jurisdiction", "tax_code", "filing_status"]
    raw_id_fields = ["employee"]


class FrozenRunMixin:
    """Read-only (no change, no delete) once the run is finalised or paid."""

    def _run_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and _frozen(self._run_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _frozen(self._run_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


class PayslipLineInline(admin.TabularInline):
    model = PayslipLine
    extra = 0
    can_delete = False
    fields = ["sort_order", "code", "description", "category", "quantity", "rate", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PayRun)
class PayRunAdmin(FrozenRunMixin, AuditedModelAdmin):
    list_display = ["pk", "schedule", "period", "kind", "status", "pay_date"]
    list_filter = ["status", "kind", "schedule"]
    raw_id_fields = ["employees", "corrects"]
    readonly_fields = ["status", "calculated_by", "calculated_at", "approved_by", "approved_at",
                       "finalised_by", "finalised_at", "paid_at", "progress_total",
                       "progress_done", "calc_generation"]


@admin.register(Payslip)
class PayslipAdmin(NotOwnRecordAdminMixin, FrozenRunMixin, AuditedModelAdmin):
    list_display = ["pk", "number", "run", "employee", "gross", "net", "pdf_status"]
    list_filter = ["run__status"]
    list_select_related = ["run", "employee"]
    raw_id_fields = ["run", "employee"]
    inlines = [PayslipLineInline]

    def _run_of(self, obj):
        return obj.run


@admin.register(PayslipLine)
class PayslipLineAdmin(NotOwnRecordAdminMixin, FrozenRunMixin, AuditedModelAdmin):
    list_display = ["payslip", "code", "category", "amount"]
    raw_id_fields = ["payslip"]

    def employee_of(self, obj):
        return obj.payslip.employee

    def _run_of(self, obj):
        return obj.payslip.run


@admin.register(RunInput)
class RunInputAdmin(NotOwnRecordAdminMixin, FrozenRunMixin, AuditedModelAdmin):
    list_display = ["run", "employee", "component", "quantity", "amount"]
    raw_id_fields = ["run", "employee"]

    def _run_of(self, obj):
        return obj.run


class UnpaidLeaveAdminForm(forms.ModelForm):
    class Meta:
        model = UnpaidLeave
        fields = ["employee", "first_day", "last_day", "reason"]

    def clean(self):
        data = super().clean()
        employee = data.get("employee") or (self.instance.employee if self.instance.pk else None)
        first, last = data.get("first_day"), data.get("last_day")
        if employee and first and last:
            try:
                leave_services.unpaid_leave_validate(
                    employee=employee, first_day=first, last_day=last,
                    leave=self.instance if self.instance.pk else None)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(UnpaidLeave)
class UnpaidLeaveAdmin(NotOwnRecordAdminMixin, admin.ModelAdmin):
    """Writes go through the leave services: same checks, locks, audit and stale-run handling
    as the pay setup page."""

    form = UnpaidLeaveAdminForm
    list_display = ["employee", "first_day", "last_day", "reason", "created_by", "created_at"]
    list_select_related = ["employee", "created_by"]
    raw_id_fields = ["employee"]
    date_hierarchy = "first_day"
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # The person never changes: delete and record again.
        return [*self.readonly_fields, "employee"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        d = form.cleaned_data
        if change:
            leave_services.unpaid_leave_update(
                leave=obj, first_day=d["first_day"], last_day=d["last_day"],
                reason=d["reason"], acting_user=request.user)
        else:
            saved = leave_services.unpaid_leave_create(
                employee=d["employee"], first_day=d["first_day"], last_day=d["last_day"],
                reason=d["reason"], acting_user=request.user)
            obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        leave_services.unpaid_leave_delete(leave=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset.order_by("pk"):
            leave_services.unpaid_leave_delete(leave=obj, acting_user=request.user)


@admin.register(RetroRecovery)
class RetroRecoveryAdmin(admin.ModelAdmin):
    """Read-only: a recovery is confirmed on the run (payroll.services.retro), audited there."""

    list_display = ("employee", "period", "amount", "confirmed_by", "confirmed_at")
    list_select_related = ("employee", "period__schedule", "confirmed_by")
    raw_id_fields = ("employee",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
