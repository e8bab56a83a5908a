from django.db.models import QuerySet

from notifications.models import Notification


def unread_count(user) -> int:
    """One COUNT served by the partial index of unread rows."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
