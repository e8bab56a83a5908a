"""Admin: setup is editable; runs and their results become read-only once finalised."""

from django.contrib import admin

from payroll.models import (
    EmployeePayItem,
    PayComponent,
    PayPeriod,
    PayRun,
    PaySchedule,
    Payslip,
    PayslipLine,
    RunInput,
    TaxProfile,
)


def _frozen(run: PayRun | None) -> bool:
    return run is not None and run.is_frozen


@admin.register(PaySchedule)
class PayScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "frequency", "country", "currency", "is_active"]


@admin.register(PayPeriod)
class PayPeriodAdmin(admin.ModelAdmin):
    list_display = ["schedule", "number", "start_date", "end_date", "pay_date"]
    list_filter = ["schedule"]


@admin.register(PayComponent)
class PayComponentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "calculation", "is_active"]


@admin.register(EmployeePayItem)
class EmployeePayItemAdmin(admin.ModelAdmin):
    list_display = ["employee", "component", "amount", "percent", "effective_from",
                    "effective_to"]
    raw_id_fields = ["employee"]


@admin.register(TaxProfile)
class TaxProfileAdmin(admin.ModelAdmin):
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
class PayRunAdmin(FrozenRunMixin, admin.ModelAdmin):
    list_display = ["pk", "schedule", "period", "kind", "status", "pay_date"]
    list_filter = ["status", "kind", "schedule"]
    raw_id_fields = ["employees", "corrects"]
    readonly_fields = ["status", "calculated_by", "calculated_at", "approved_by", "approved_at",
                       "finalised_by", "finalised_at", "paid_at", "progress_total",
                       "progress_done", "calc_generation"]


@admin.register(Payslip)
class PayslipAdmin(FrozenRunMixin, admin.ModelAdmin):
    list_display = ["pk", "number", "run", "employee", "gross", "net", "pdf_status"]
    list_filter = ["run__status"]
    list_select_related = ["run", "employee"]
    raw_id_fields = ["run", "employee"]
    inlines = [PayslipLineInline]

    def _run_of(self, obj):
        return obj.run


@admin.register(PayslipLine)
class PayslipLineAdmin(FrozenRunMixin, admin.ModelAdmin):
    list_display = ["payslip", "code", "category", "amount"]
    raw_id_fields = ["payslip"]

    def _run_of(self, obj):
        return obj.payslip.run


@admin.register(RunInput)
class RunInputAdmin(FrozenRunMixin, admin.ModelAdmin):
    list_display = ["run", "employee", "component", "quantity", "amount"]
    raw_id_fields = ["run", "employee"]

    def _run_of(self, obj):
        return obj.run
