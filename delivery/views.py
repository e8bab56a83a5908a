"""A built download: its progress (polled by htmx until ready) and the file, for whoever asked,
checked again against what they may see now."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from delivery.downloads import download_for, download_served, keep_hours
from delivery.models import Download


def _get(request: HttpRequest, pk: int) -> Download:
    download = download_for(user=request.user, pk=pk)
    if download is None:
        raise Http404
    return download


@require_GET
def download_page(request: HttpRequest, pk: int) -> HttpResponse:
    download = _get(request, pk)
    template = "delivery/download.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(request, template, {"download": download, "keep_hours": keep_hours()})


@require_GET
def download_file(request: HttpRequest, pk: int) -> FileResponse:
    download = _get(request, pk)
    if download.status != Download.Status.READY or not download.file.name:
        raise Http404
    download_served(user=request.user, download=download)
    response = FileResponse(default_storage.open(download.file.name, "rb"), as_attachment=True,
                            filename=download.filename)
    response["Cache-Control"] = "no-store"
    return response
