"""Small everyday fixes: a favicon, 403s logged once without a stack trace."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_favicon_is_linked_and_served(client):
    # given the sign-in page (any page uses the base layout)
    page = client.get(reverse("account_login")).content.decode()
    # then it links the icon, the file ships, and /favicon.ico leads to it
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().startswith("<svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_403_is_logged_once_without_a_stack_trace(client):
    # given an employee, and a handler where the site's own console handler is (the root)
    employee = UserFactory(roles=[Role.EMPLOYEE])
    client.force_login(employee)
    collect = _Collect()
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        # when they open an HR-only page
        response = client.get(reverse("lifecycle:hire"))
    finally:
        root.removeHandler(collect)
    # then one line says so, with no traceback, and Django's logger has no second handler
    assert response.status_code == 403
    forbidden = [r for r in collect.records if r.getMessage().startswith("Forbidden")]
    assert len(forbidden) == 1
    assert forbidden[0].exc_info is None and forbidden[0].exc_text is None
    assert logging.getLogger("django").handlers == []
