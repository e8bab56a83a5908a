"""Portal home card: the employee's latest year-end document and a link to all of them."""

from yearend.selectors import documents_of


def portal_cards(user, employee) -> list[dict]:
    return [{"template": "yearend/cards/documents.html",
             "latest": documents_of(employee.pk).first()}]
