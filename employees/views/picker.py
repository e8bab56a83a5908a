"""The employee picker's suggestions (htmx; see employees/picker.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from employees.picker import picker_matches


@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    # The input sends its own name (manager=..., employee=...): take what was typed.
    typed = next((v for k, v in request.GET.items() if k != "leavers" and v.strip()), "")
    found = picker_matches(request.user, typed[:100],
                           include_leavers=request.GET.get("leavers") == "1")
    return render(request, "employees/picker_options.html", {"found": found})
