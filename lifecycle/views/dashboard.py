from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_hr, is_hr_admin
from lifecycle import forms, selectors
from lifecycle.services.digest import digest_preference_set


def dashboard(request: HttpRequest) -> HttpResponse:
    """HR's overview: who starts and leaves in the next 30 days, what is late, how long
    onboarding takes."""
    if not is_hr(request.user):
        if request.user.is_authenticated:
            return redirect("lifecycle:my_tasks")
        raise PermissionDenied
    today = timezone.localdate()
    return render(request, "lifecycle/dashboard.html",
                  {"board": selectors.dashboard(today), "today": today,
                   "may_see_jobs": is_hr_admin(request.user)})


def digest_settings(request: HttpRequest) -> HttpResponse:
    # An unticked checkbox posts nothing, so an empty POST is still a submission.
    form = forms.DigestSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"receives_task_digest": request.user.receives_task_digest},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["receives_task_digest"]
        digest_preference_set(acting_user=request.user, user=request.user, enabled=enabled)
        messages.success(request, _("Daily digest turned on.") if enabled
                         else _("Daily digest turned off."))
        return redirect("lifecycle:settings")
    return render(request, "lifecycle/settings.html", {"form": form})
