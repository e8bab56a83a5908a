import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_staff_member

log = logging.getLogger(__name__)

# Each app may add cards to the staff home in `<app>/home.py` as
# `def home_cards(user) -> list[dict]`, each {"template": ..., **context}.
HOME_PROVIDERS = ["employees", "lifecycle", "payroll", "liabilities", "compliance"]


def home(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        return redirect("portal:home")
    cards: list[dict] = []
    for app in HOME_PROVIDERS:
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError:
            continue
        cards.extend(module.home_cards(request.user))
    return render(request, "home.html", {"cards": cards})


def _broker_ok() -> bool:
    from hrops.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness/readiness for load balancers: the database always, the broker when configured."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure means "not ready"; details go to the log, not the caller
        log.exception("healthz: database check failed")
        checks["database"] = "error"
        healthy = False
    if settings.CELERY_BROKER_URL:
        try:
            _broker_ok()
            checks["broker"] = "ok"
        except Exception:
            log.exception("healthz: broker check failed")
            checks["broker"] = "error"
            healthy = False
    body: dict[str, object] = {"status": "ok" if healthy else "error", "checks": checks}
    if checks["database"] == "ok":
        # How long the oldest undelivered item (PDF, email, export...) has waited: a number
        # that grows means the workers or the broker are not keeping up. Reported, not fatal.
        from delivery.selectors import delivery_oldest_undelivered

        oldest = delivery_oldest_undelivered()
        body["delivery"] = {"oldest_undelivered_seconds": None if oldest is None
                            else round(oldest)}
    return JsonResponse(
        body,
        status=200 if healthy else 503,
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    return redirect(static("favicon.svg"), permanent=True)


def scheduled_jobs(request: HttpRequest) -> HttpResponse:
    """HR Admin: each scheduled job with its last run, result and next run."""
    from accounts.roles import is_hr_admin
    from hrops import scheduler

    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only HR Admin may see the scheduled jobs."))
    return render(request, "scheduled_jobs.html", {
        "rows": scheduler.job_statuses(), "embedded": scheduler.embedded_mode()})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)
