"""RTI pages: the FPS of a run, an employer's RTI year (FPS per run, EPS per tax month), the EPS
of a month, the download, the send and HMRC's answer, and the gender HMRC has on record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import is_payroll_admin
from employees.access import Section, employee_get_for_viewer
from liabilities import hmrc
from liabilities.employers import legal_employer_get
from payroll.models import PayRun
from rti import messages as M
from rti.access import require_files_rti, require_sees_rti
from rti.forms import AnswerForm, EpsPrepareForm, FpsPrepareForm, PersonForm
from rti.models import RtiPerson, RtiSubmission
from rti.selectors import (
    employees_for_run,
    fps_refusal,
    submission_for_month,
    submission_for_run,
    submissions_for_employer,
)
from rti.services import (
    eps_prepare,
    fps_prepare,
    rti_people_set,
    rti_person_set,
    submission_answer,
    submission_download,
    submission_send,
)
from rti.transport import transport


def _run(pk: int) -> PayRun:
    return get_object_or_404(PayRun.objects.select_related("schedule", "period"), pk=pk)


def _errors(exc: ValidationError) -> list[str]:
    return [m for messages in exc.message_dict.values() for m in messages] if hasattr(
        exc, "error_dict") else exc.messages


def _common(request: HttpRequest, submission: RtiSubmission | None, **extra) -> dict:
    return {"submission": submission, "can_file": is_payroll_admin(request.user),
            "can_send": transport().can_send, "answer_form": AnswerForm(initial={
                "correlation_id": submission.correlation_id if submission else ""}), **extra}


def fps_page(request: HttpRequest, pk: int, *, problems=None, errors=None, form=None,
             status: int = 200) -> HttpResponse:
    require_sees_rti(request.user)
    run = _run(pk)
    submission = submission_for_run(run)
    form = form or FpsPrepareForm(initial={"late_reason": submission.late_reason
                                           if submission else ""})
    missing = [(p.employee_id, p.employee_name) for p in problems or [] if p.code == "gender"]
    context = _common(request, submission, run=run, refusal=fps_refusal(run),
                      problems=problems or [], errors=errors or [], missing_gender=missing,
                      gender_choices=RtiPerson.Gender.choices, form=form,
                      late=run.pay_date < timezone.localdate(),
                      employer_slug=run.schedule.employer_paye_reference.replace("/", "_"))
    return render(request, "rti/fps.html", context, status=status)


@require_POST
def fps_prepare_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_files_rti(request.user)
    run = _run(pk)
    form = FpsPrepareForm(request.POST)
    if not form.is_valid():
        return fps_page(request, pk, form=form, status=422)
    try:
        _submission, problems = fps_prepare(run=run, acting_user=request.user,
                                            late_reason=form.cleaned_data["late_reason"])
    except ValidationError as exc:
        return fps_page(request, pk, errors=_errors(exc), status=422)
    if problems:
        return fps_page(request, pk, problems=problems, status=422)
    return redirect("rti:fps", pk)


@require_POST
def genders(request: HttpRequest, pk: int) -> HttpResponse:
    """The FPS page's "gender for HMRC" form for everyone it was missing for (gender_<id>)."""
    require_files_rti(request.user)
    run = _run(pk)
    chosen = {int(k[7:]): v for k, v in request.POST.items()
              if k.startswith("gender_") and k[7:].isdigit() and v}
    people = {e.pk: e for e in employees_for_run(run, list(chosen))}
    try:
        rti_people_set(genders={people[k]: v for k, v in chosen.items() if k in people},
                       acting_user=request.user)
    except ValidationError as exc:
        return fps_page(request, pk, errors=_errors(exc), status=422)
    return redirect("rti:fps", pk)


def employer_page(request: HttpRequest, slug: str) -> HttpResponse:
    require_sees_rti(request.user)
    employer = legal_employer_get("GB", slug)
    submissions = submissions_for_employer(employer.reference, M.TAX_YEAR)
    eps = {s.tax_month: s for s in submissions if s.kind == RtiSubmission.Kind.EPS}
    months = [(m, *hmrc.period_bounds(M.TAX_YEAR, m), eps.get(m)) for m in range(1, 13)]
    year = (months[0][1], months[-1][2])  # 6 April - 5 April
    runs = PayRun.objects.filter(schedule_id__in=employer.schedule_ids, pay_date__range=year
                                 ).select_related("schedule").order_by("pay_date", "pk")
    fps = {s.run_id: s for s in submissions if s.kind == RtiSubmission.Kind.FPS}
    return render(request, "rti/employer.html", {
        "employer": employer, "tax_year": M.TAX_YEAR, "months": months,
        "runs": [(r, fps.get(r.pk), fps_refusal(r)) for r in runs]})


def _month(month: int) -> int:
    if not 1 <= month <= 12:
        from django.http import Http404

        raise Http404("No such tax month")
    return month


def eps_page(request: HttpRequest, slug: str, month: int, *, problems=None, errors=None,
             form=None, status: int = 200) -> HttpResponse:
    require_sees_rti(request.user)
    employer = legal_employer_get("GB", slug)
    submission = submission_for_month(employer.reference, M.TAX_YEAR, _month(month))
    start, end = hmrc.period_bounds(M.TAX_YEAR, month)
    context = _common(request, submission, employer=employer, month=month, start=start,
                      end=end, tax_year=M.TAX_YEAR, problems=problems or [],
                      errors=errors or [], form=form or EpsPrepareForm(initial={
                          "final_for_year": bool(submission and submission.final_for_year)}))
    return render(request, "rti/eps.html", context, status=status)


@require_POST
def eps_prepare_view(request: HttpRequest, slug: str, month: int) -> HttpResponse:
    require_files_rti(request.user)
    employer = legal_employer_get("GB", slug)
    form = EpsPrepareForm(request.POST)
    if not form.is_valid():
        return eps_page(request, slug, month, form=form, status=422)
    try:
        _submission, problems = eps_prepare(
            employer=employer, tax_year=M.TAX_YEAR, month=_month(month),
            final_for_year=form.cleaned_data["final_for_year"], acting_user=request.user)
    except ValidationError as exc:
        return eps_page(request, slug, month, errors=_errors(exc), status=422)
    if problems:
        return eps_page(request, slug, month, problems=problems, status=422)
    return redirect("rti:eps", slug, month)


def _back(submission: RtiSubmission, request: HttpRequest, **kwargs) -> HttpResponse:
    if submission.kind == RtiSubmission.Kind.FPS:
        return fps_page(request, submission.run_id, **kwargs)
    return eps_page(request, submission.paye_reference.replace("/", "_"), submission.tax_month,
                    **kwargs)


@require_POST
def download(request: HttpRequest, pk: int) -> HttpResponse:
    require_files_rti(request.user)
    submission = get_object_or_404(RtiSubmission, pk=pk)
    try:
        submission = submission_download(submission=submission, acting_user=request.user)
    except ValidationError as exc:
        return _back(submission, request, errors=_errors(exc), status=422)
    response = HttpResponse(submission.message.encode("utf-8"),
                            content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{submission.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    require_files_rti(request.user)
    submission = get_object_or_404(RtiSubmission, pk=pk)
    try:
        submission_send(submission=submission, acting_user=request.user)
    except ValidationError as exc:
        return _back(submission, request, errors=_errors(exc), status=422)
    return _back_redirect(submission)


def _back_redirect(submission: RtiSubmission) -> HttpResponse:
    if submission.kind == RtiSubmission.Kind.FPS:
        return redirect("rti:fps", submission.run_id)
    return redirect("rti:eps", submission.paye_reference.replace("/", "_"), submission.tax_month)


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    require_files_rti(request.user)
    submission = get_object_or_404(RtiSubmission, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            submission_answer(submission=submission, acting_user=request.user,
                              **form.cleaned_data)
        except ValidationError as exc:
            return _back(submission, request, errors=_errors(exc), status=422)
        return _back_redirect(submission)
    return _back(submission, request, errors=[e for errs in form.errors.values() for e in errs],
                 status=422)


def person(request: HttpRequest, pk: int) -> HttpResponse:
    require_files_rti(request.user)
    employee = employee_get_for_viewer(request.user, pk, section=Section.PAY_SETUP,
                                       for_write=request.method == "POST")
    current = RtiPerson.objects.filter(employee=employee).values_list("gender", flat=True).first()
    form = PersonForm(request.POST or None, initial={"gender": current})
    if request.method == "POST" and form.is_valid():
        rti_person_set(employee=employee, gender=form.cleaned_data["gender"],
                       acting_user=request.user)
        run = request.GET.get("run", "")
        return redirect("rti:fps", int(run)) if run.isdigit() else redirect("rti:person", pk)
    return render(request, "rti/person.html", {"employee": employee, "form": form},
                  status=422 if form.errors else 200)
