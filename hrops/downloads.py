"""Serving a stored file after the view's permission check, wherever the file lives.

Every download of a document, evidence file, policy, payslip PDF, evidence pack or
subject-access export goes through `stored_file_response`, called by a view that has already
checked who is asking. There is never a public URL for a file:

- local disk (the embedded default): the file is streamed from MEDIA_ROOT;
- object storage (HROPS_S3_BUCKET), HROPS_S3_DOWNLOADS=stream (the default): the object is
  streamed from the bucket through the app, in chunks, so the bucket need not be reachable by
  browsers;
- HROPS_S3_DOWNLOADS=signed: a redirect to a URL signed for HROPS_S3_SIGNED_URL_SECONDS (60 s)
  that names the file and its type, for buckets the browser can reach (no bytes through the
  web worker). The URL is issued only here, after the check, and expires quickly.
"""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


def _is_local(storage) -> bool:
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def _s3_object(storage, name: str) -> dict:
    """The object's GET response (its Body streams); FileNotFoundError when it is not there."""
    from botocore.exceptions import ClientError
    from storages.utils import clean_name

    try:
        return storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=storage._normalize_name(clean_name(name)))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            raise FileNotFoundError(name) from exc
        raise


def _signed_redirect(storage, name: str, *, filename: str, as_attachment: bool,
                     content_type: str | None) -> HttpResponse:
    if not storage.exists(name):
        raise FileNotFoundError(name)
    parameters = {"ResponseContentDisposition":
                  content_disposition_header(as_attachment, filename)}
    if content_type:
        parameters["ResponseContentType"] = content_type
    url = storage.url(name, parameters=parameters, expire=settings.HROPS_S3_SIGNED_URL_SECONDS)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(file: FieldFile, *, filename: str, as_attachment: bool = True,
                         content_type: str | None = None) -> HttpResponse:
    """The response that hands `file` to the (already authorised) user; Http404 when the
    stored file is missing."""
    storage, name = file.storage, file.name
    try:
        if _is_local(storage) or not hasattr(storage, "bucket_name"):
            response = FileResponse(file.open("rb"), as_attachment=as_attachment,
                                    filename=filename, content_type=content_type)
        elif settings.HROPS_S3_DOWNLOADS == "signed":
            return _signed_redirect(storage, name, filename=filename,
                                    as_attachment=as_attachment, content_type=content_type)
        else:
            obj = _s3_object(storage, name)
            response = FileResponse(obj["Body"], as_attachment=as_attachment, filename=filename,
                                    content_type=content_type)
            response["Content-Length"] = str(obj["ContentLength"])
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    response["Cache-Control"] = "private, no-store"
    return response
