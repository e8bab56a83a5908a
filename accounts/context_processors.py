from django.conf import settings
from django.http import HttpRequest

from accounts.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": navigation_for(request),
        "nav_section": (match.namespace or match.url_name) if match else "",
        "company_name": settings.COMPANY_NAME,
    }
