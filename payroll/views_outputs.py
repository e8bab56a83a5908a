"""Downloads of a finalised run's register, payment file and GL journal (Payroll Admin)."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from payroll.models import PayRun
from payroll.outputs.types import OutputError
from payroll.services.outputs import (
    OutputFile,
    RunNotFinalised,
    StreamedFile,
    run_gl_journal,
    run_paid_outside_csv,
    run_payment_file,
    run_register_csv_stream,
    run_register_xlsx_request,
)
from payroll.views_payslips import _require_payroll_admin


def _respond(request: HttpRequest, run: PayRun, make) -> HttpResponse:
    try:
        output: OutputFile | StreamedFile = make()
    except RunNotFinalised as exc:
        # 409: the request is fine, the run is not in a state that can produce this file.
        return render(request, "payroll/output_refused.html",
                      {"run": run, "message": str(exc)}, status=409)
    except OutputError as exc:
        return render(request, "payroll/output_refused.html",
                      {"run": run, "message": str(exc)}, status=422)
    if isinstance(output, StreamedFile):
        response = StreamingHttpResponse(output.chunks, content_type=output.content_type)
    else:
        response = HttpResponse(output.data, content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _run(request: HttpRequest, pk: int) -> PayRun:
    _require_payroll_admin(request.user)
    return get_object_or_404(PayRun.objects.select_related("period"), pk=pk)


def register_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = _run(request, pk)
    if fmt == "csv":
        # Streamed: the first bytes leave at once, memory stays flat (20,000 payslips).
        return _respond(request, run,
                        lambda: run_register_csv_stream(run=run, acting_user=request.user))
    # XLSX is built by a worker (a 20,000-row workbook takes seconds): its progress page.
    try:
        download = run_register_xlsx_request(run=run, acting_user=request.user)
    except OutputError as exc:
        return render(request, "payroll/output_refused.html",
                      {"run": run, "message": str(exc)}, status=409)
    return redirect("delivery:download", download.pk)


def payment_file_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = _run(request, pk)
    return _respond(request, run,
                    lambda: run_payment_file(run=run, fmt=fmt, acting_user=request.user))


def gl_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return _respond(request, run, lambda: run_gl_journal(run=run, acting_user=request.user))


def paid_outside_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return _respond(request, run,
                    lambda: run_paid_outside_csv(run=run, acting_user=request.user))
