from importlib import import_module

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from employees.selectors import employee_for_user

# Each app adds its own sections to the portal home in `<app>/portal.py` as
# `def portal_cards(user, employee) -> list[dict]`, each {"template": ..., **context}.
PORTAL_PROVIDERS = ["employees", "lifecycle", "payroll", "compliance", "timeoff", "analytics",
                    "yearend", "pensions", "api"]


def home(request: HttpRequest) -> HttpResponse:
    """The employee's own start page: who they are here, and what is theirs to do."""
    me = employee_for_user(request.user)
    cards: list[dict] = []
    if me is not None:
        for app in PORTAL_PROVIDERS:
            try:
                module = import_module(f"{app}.portal")
            except ModuleNotFoundError:
                continue
            cards.extend(module.portal_cards(request.user, me))
    return render(request, "portal/home.html", {"me": me, "cards": cards})
