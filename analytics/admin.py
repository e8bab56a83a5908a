from django.contrib import admin

from analytics.models import HeadcountPlan


@admin.register(HeadcountPlan)
class HeadcountPlanAdmin(admin.ModelAdmin):
    list_display = ("department", "month", "budget_headcount", "budget_fte", "updated_by")
    list_filter = ("department",)
    readonly_fields = ("updated_by", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False  # through the Plan page, which audits

    def has_change_permission(self, request, obj=None) -> bool:
        return False
