from django.utils import timezone

from lifecycle.selectors import board_counts


def home_cards(user) -> list[dict]:
    """Staff home: the user's own task board in numbers."""
    counts = board_counts(user, timezone.localdate())
    return [{"template": "lifecycle/cards/my_tasks.html", **counts}]
