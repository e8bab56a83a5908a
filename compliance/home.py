from accounts.roles import is_hr
from compliance.selectors import dashboard
from compliance.status import Status


def home_cards(user) -> list[dict]:
    if not is_hr(user):
        return []
    data = dashboard()
    return [{
        "template": "compliance/cards/overview.html",
        "people": data.people,
        "by_status": [(s, data.by_status[s]) for s in Status],
        "expiring_30": len(data.expiring[30]),
    }]
