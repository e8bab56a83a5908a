from compliance.selectors import employee_compliance, policy_versions_for_employee
from compliance.status import Status


def portal_cards(user, employee) -> list[dict]:
    cells = [c for c, _history in employee_compliance(employee)["cells"]]
    to_do = [c for c in cells if c.status in (Status.MISSING, Status.EXPIRED,
                                              Status.EXPIRING_SOON)]
    policies = [p for p in policy_versions_for_employee(employee) if not p["acknowledged"]]
    if not cells and not policies:
        return []
    return [{
        "template": "compliance/cards/portal.html",
        "total": len(cells),
        "to_do": to_do,
        "pending": sum(1 for c in cells if c.status == Status.PENDING),
        "policies": policies,
    }]
