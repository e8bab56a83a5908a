from django.utils import timezone

from timeoff.selectors import my_balances


def portal_cards(user, employee) -> list[dict]:
    """The portal: the employee's balances and a link to book time off."""
    return [{"template": "timeoff/cards/portal_balances.html",
             "balances": my_balances(employee, timezone.localdate())}]
