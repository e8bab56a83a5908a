from django.utils import timezone

from accounts.roles import is_hr
from compliance.selectors_stored import expiring_count, status_counts
from compliance.status import Status


def home_cards(user) -> list[dict]:
    """HR home's compliance card: two queries on the stored statuses (one GROUP BY, one count),
    whatever the headcount."""
    if not is_hr(user):
        return []
    counts = status_counts()
    return [{
        "template": "compliance/cards/overview.html",
        "by_status": [(s, counts[s]) for s in Status],
        "expiring_30": expiring_count(timezone.localdate(), 30),
    }]
