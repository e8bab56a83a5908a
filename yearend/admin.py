from django.contrib import admin

from audit.admin_audited import AuditedModelAdmin
from yearend.models import DocumentBundle, FilingSettings, YearEndClose, YearEndDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued documents and closes are records: seen here, changed only by the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(YearEndDocument)
class YearEndDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "tax_year", "employee", "schedule", "pdf_status", "issued_at"]
    list_filter = ["kind", "tax_year", "pdf_status"]
    exclude = ["figures"]


@admin.register(YearEndClose)
class YearEndCloseAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "tax_year", "closed_by", "closed_at", "codes_rolled", "documents"]


@admin.register(DocumentBundle)
class DocumentBundleAdmin(ReadOnlyAdmin):
    list_display = ["kind", "tax_year", "schedule", "status", "requested_at"]


@admin.register(FilingSettings)
class FilingSettingsAdmin(AuditedModelAdmin):
    list_display = ["schedule", "bso_user_id", "contact_name"]
