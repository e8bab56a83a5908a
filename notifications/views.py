"""The bell (its count, fetched by htmx after the page loads so no page pays for it), the list,
and marking read. Everyone signed in has their own notifications and nobody else's."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrops.sessions import session_not_extended
from notifications.selectors import notifications_for, unread_count
from notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 50


@require_GET
@session_not_extended
def bell(request: HttpRequest) -> HttpResponse:
    # Without the request context: the navigation's context processor is for whole pages.
    response = HttpResponse(render_to_string("notifications/bell.html",
                                             {"unread": unread_count(request.user)}))
    # static/js/app.js swaps the bell only with this answer, never with a page the request was
    # redirected to (sign-in, second-factor setup), which would hold a new bell and loop.
    response["X-HROps-Bell"] = "1"
    return response


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread": unread_count(request.user)})


def _safe(request: HttpRequest, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return url if ok else "/"


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    found = notification_mark_read(user=request.user, notification_id=pk)
    if found is None:
        raise Http404(_("No such notification."))
    return redirect(_safe(request, found.url))


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    found = notification_mark_read(user=request.user, notification_id=pk)
    if found is None:
        raise Http404(_("No such notification."))
    if request.headers.get("HX-Request"):
        # The row, and the bell out of band with the count after this change: the bell's own
        # fetch after the page loaded may still be in flight with the count from before, and a
        # refresh triggered while it is would be lost when its answer replaces the bell.
        bell = render_to_string("notifications/bell.html",
                                {"unread": unread_count(request.user), "oob": True})
        response = render(request, "notifications/list.html#item", {"n": found})
        response.content += bell.encode()
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_all_read(user=request.user)
    return redirect("notifications:list")
