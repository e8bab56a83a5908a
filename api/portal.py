def portal_cards(user, employee) -> list[dict]:
    """A link to the employee's own API tokens (no query)."""
    return [{"template": "api/cards/portal_tokens.html"}]
