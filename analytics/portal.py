from analytics.models import SelfIdentification


def portal_cards(user, employee) -> list[dict]:
    """US employees are invited to the voluntary self-identification (EEO-1)."""
    if employee.work_country != "US":
        return []
    done = SelfIdentification.objects.filter(employee=employee).exists()
    return [{"template": "analytics/cards/self_identification.html", "done": done}]
