from django.contrib import admin

from pensions.models import Assessment, Letter, Membership, PensionScheme


@admin.register(PensionScheme)
class PensionSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "provider_name", "basis", "relief", "employee_percent",
                    "employer_percent")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("employee", "scheme", "status", "category", "enrolled_on", "opt_out_deadline")
    list_filter = ("status", "category")
    readonly_fields = [f.name for f in Membership._meta.fields]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "period", "category", "earnings", "age", "action")
    readonly_fields = [f.name for f in Assessment._meta.fields]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("membership", "kind", "reference_date", "emailed_at")
    readonly_fields = [f.name for f in Letter._meta.fields]
