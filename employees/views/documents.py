from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employees.access import Section, can_change
from employees.models import Document
from employees.record_forms import DocumentForm
from employees.services.documents import (
    document_delete,
    document_download_audit,
    document_upload,
)
from employees.views.records_common import get_employee, tab_context
from hrops.downloads import stored_file_response


def documents(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee(request, pk, section=Section.DOCUMENTS)
    editable = can_change(request.user, employee, Section.DOCUMENTS)
    form = None
    if editable:
        form = DocumentForm(request.POST or None, request.FILES or None)
    elif request.method == "POST":
        raise PermissionDenied(_("You may not upload documents here."))
    if request.method == "POST" and form.is_valid():
        document = document_upload(
            acting_user=request.user, employee=employee,
            doc_type=form.cleaned_data["doc_type"], title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"])
        messages.success(request, _("Uploaded %(title)s.") % {"title": document.title})
        return redirect("employees:documents", pk=employee.pk)
    docs = employee.documents.select_related("uploaded_by")
    return render(request, "employees/documents.html", tab_context(
        request, employee, "documents", form=form, documents=docs, editable=editable),
        status=400 if form is not None and form.errors else 200)


def _document(request: HttpRequest, pk: int, doc_pk: int, *, for_write: bool = False):
    employee = get_employee(request, pk, section=Section.DOCUMENTS,
                                       for_write=for_write)
    return get_object_or_404(Document, pk=doc_pk, employee=employee)


def download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """The only way to a stored file: access checked, streamed as an attachment, audited."""
    document = _document(request, pk, doc_pk)
    response = stored_file_response(document.file, filename=document.original_name,
                                    content_type=document.content_type)
    document_download_audit(acting_user=request.user, document=document)
    return response


@require_POST
def delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = _document(request, pk, doc_pk, for_write=True)
    document_delete(acting_user=request.user, document=document)
    messages.success(request, _("Deleted %(title)s.") % {"title": document.title})
    return redirect("employees:documents", pk=pk)
