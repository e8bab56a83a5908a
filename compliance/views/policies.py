"""HR: publish policies and versions, see who has acknowledged, nudge. Retention pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.forms import PolicyForm, PolicyVersionForm
from compliance.models import Policy, PolicyVersion, PurgeRun, RetentionRule
from compliance.selectors import policy_acknowledgement_status
from compliance.services import policies, retention
from compliance.views.common import export_response, require_hr, require_hr_admin, wants_export
from compliance.views.employee import _add_errors
from hrops.downloads import stored_file_response


def policy_list(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = policies.policy_create(
                acting_user=request.user, title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"], rule_data=form.rule_data(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Policy created. Publish its first version."))
            return redirect("compliance:policy", policy.pk)
    items = Policy.objects.prefetch_related("versions").order_by("title")
    return render(request, "compliance/policies.html", {"form": form, "policies": items},
                  status=400 if request.method == "POST" else 200)


def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    policy = get_object_or_404(Policy, pk=pk)
    status = policy_acknowledgement_status(policy)
    fmt = wants_export(request)
    if fmt and status["version"]:
        return export_response(
            fmt, "policy-acknowledgements",
            ["Employee number", "Name", "Department", "Version", "Acknowledged at", "Hash"],
            ([r["employee"].employee_number, r["employee"].display_name,
              r["employee"].department or "", status["version"].label,
              r["ack"].acknowledged_at if r["ack"] else "",
              r["ack"].version_hash if r["ack"] else ""] for r in status["rows"]),
        )
    return render(request, "compliance/policy_detail.html", {
        "policy": policy, "status": status, "form": PolicyVersionForm(),
        "versions": policy.versions.select_related("published_by"),
        "rtype": getattr(policy, "requirement_type", None),
    })


@require_POST
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    policy = get_object_or_404(Policy, pk=pk)
    form = PolicyVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            policies.policy_version_publish(
                acting_user=request.user, policy=policy, label=form.cleaned_data["label"],
                body=form.cleaned_data.get("body") or "",
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Version published: everyone in scope is asked to "
                                        "acknowledge it."))
            return redirect("compliance:policy", policy.pk)
    return render(request, "compliance/policy_detail.html", {
        "policy": policy, "status": policy_acknowledgement_status(policy), "form": form,
        "versions": policy.versions.select_related("published_by"),
        "rtype": getattr(policy, "requirement_type", None),
    }, status=400)


@require_POST
def policy_nudge(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    policy = get_object_or_404(Policy, pk=pk)
    status = policy_acknowledgement_status(policy)
    if status["version"] is None:
        messages.error(request, _("Publish a version first."))
        return redirect("compliance:policy", policy.pk)
    wanted = set(request.POST.getlist("employee"))
    pending = [r["employee"] for r in status["rows"] if r["ack"] is None
               and (not wanted or str(r["employee"].pk) in wanted)]
    sent = policies.policy_nudge(acting_user=request.user, version=status["version"],
                                 employees=pending)
    messages.success(request, _("%(n)s reminder(s) sent (at most one a day per person).")
                     % {"n": sent})
    return redirect("compliance:policy", policy.pk)


def policy_document(request: HttpRequest, pk: int) -> HttpResponse:
    """HR download of a version's document (employees use the portal view, which records the
    open)."""
    require_hr(request)
    version = get_object_or_404(PolicyVersion, pk=pk)
    if not version.document:
        raise Http404(_("This version has no document."))
    return stored_file_response(version.document, as_attachment=False,
                                filename=version.document_name or "policy.pdf")


def retention_home(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    return render(request, "compliance/retention.html", {
        "rules": RetentionRule.objects.select_related("requirement_type").order_by("kind",
                                                                                    "name"),
        "runs": PurgeRun.objects.select_related("created_by", "approved_by")[:20],
    })


@require_POST
def retention_dry_run(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    run = retention.purge_propose(acting_user=request.user, today=timezone.localdate())
    return redirect("compliance:purge_run", run.pk)


# A dry run at 20,000 leavers can list tens of thousands of payroll items: the page shows the
# first rows of each list with its total; the CSV/XLSX export always has every row.
PURGE_PAGE_ROWS = 500


def purge_run(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr(request)
    run = get_object_or_404(PurgeRun, pk=pk)
    fmt = wants_export(request)
    if fmt:
        rows = [[i["record_id"], i["employee"], i["requirement"], i["rule"], i["action"],
                 i["due_on"], i["file"], state]
                for state in ("due", "held") for i in run.report.get(state, [])]
        # Former employees whose personal data the purge anonymises (or a legal hold keeps).
        rows += [["", i["employee"], _("Employee record (personal data)"), i["rule"],
                  i["action"], i["due_on"], "", state]
                 for key, state in (("employees", "due"), ("employees_held", "held"))
                 for i in run.report.get(key, [])]
        # Other apps' items (payroll records): listed for action outside this purge.
        rows += [["", i.get("employee", i["employee_id"]), i["label"], "", "outside purge",
                  i["due_on"], "", "external (held)" if i.get("held") else "external"]
                 for i in run.report.get("external", [])]
        return export_response(fmt, f"retention-run-{run.pk}", [
            "Record", "Employee", "Requirement", "Rule", "Action", "Due on", "File", "State"],
            rows)
    lists = {key: run.report.get(key, [])
             for key in ("due", "held", "employees", "employees_held", "external")}
    return render(request, "compliance/purge_run.html", {
        "run": run, "page_rows": PURGE_PAGE_ROWS,
        "lists": {key: {"rows": items[:PURGE_PAGE_ROWS], "total": len(items)}
                  for key, items in lists.items()},
        "truncated": any(len(items) > PURGE_PAGE_ROWS for items in lists.values()),
    })


@require_POST
def purge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr_admin(request)
    run = get_object_or_404(PurgeRun, pk=pk)
    try:
        retention.purge_execute(acting_user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Purge executed."))
    return redirect("compliance:purge_run", run.pk)


@require_POST
def purge_discard(request: HttpRequest, pk: int) -> HttpResponse:
    require_hr_admin(request)
    run = get_object_or_404(PurgeRun, pk=pk)
    try:
        retention.purge_discard(acting_user=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("compliance:purge_run", run.pk)
