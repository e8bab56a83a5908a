from django.utils import timezone

from accounts.roles import is_hr
from compliance.selectors_stored import status_counts
from compliance.services.summary import compliance_figures
from compliance.status import Status


def home_cards(user) -> list[dict]:
    """HR home's compliance card: the summary's figures (two queries whatever the headcount;
    counted and stored again after a change, see compliance.services.summary)."""
    if not is_hr(user):
        return []
    data = compliance_figures(timezone.localdate())
    counts = status_counts(data)
    return [{
        "template": "compliance/cards/overview.html",
        "by_status": [(s, counts[s]) for s in Status],
        "expiring_30": data["expiring"]["30"],
    }]
