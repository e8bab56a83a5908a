from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from delivery.models import DeliveryItem
from delivery.services import delivery_retry


@admin.register(DeliveryItem)
class DeliveryItemAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "group", "status", "attempts", "created_at", "done_at",
                    "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "group"]
    actions = ["send_again"]
    readonly_fields = [f.name for f in DeliveryItem._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # items come from the state changes they follow, never by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send again (failed or waiting items)")
    def send_again(self, request, queryset) -> None:
        done = 0
        for item in queryset:
            try:
                delivery_retry(item=item, acting_user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{item.key}: {exc}", messages.WARNING)
        self.message_user(request, f"{done} item(s) queued again.")
