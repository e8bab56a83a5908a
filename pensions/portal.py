from pensions.selectors import my_memberships


def portal_cards(user, employee) -> list[dict]:
    """The portal: the employee's workplace pension status and a link to the letters."""
    memberships = list(my_memberships(employee))
    return [{"template": "pensions/portal_card.html", "memberships": memberships}] if (
        memberships) else []
