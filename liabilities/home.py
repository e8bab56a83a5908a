from django.utils import timezone

from liabilities.access import sees_liabilities
from liabilities.selectors import overdue_liabilities


def home_cards(user) -> list[dict]:
    """Overdue tax payments (HMRC, IRS) on the staff home, for those who see liabilities."""
    if not sees_liabilities(user):
        return []
    overdue = overdue_liabilities(timezone.localdate())
    if not overdue:
        return []
    return [{"template": "liabilities/cards/overdue.html", "rows": overdue}]
