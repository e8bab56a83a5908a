"""Uploads refuse PDFs with JavaScript or launch actions and archives that expand too much
(issue 12; ASVS 5.0 V5.2)."""

import io
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hrops.uploads import validate_upload

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pdf(body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + body + b"\n%%EOF\n")


def _zip(members: dict[str, bytes], name: str = "letter.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("body", [
    b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
    b"1 0 obj<</S/Launch/F(cmd.exe)>>endobj",
    b"1 0 obj<</S/J#61vaScript/JS (x)>>endobj",  # a name escape hiding the word
    b"1 0 obj<</Length 40/Filter/FlateDecode>>stream\n"
    + zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>") + b"\nendstream endobj",
])
def test_pdf_with_javascript_or_launch_action_is_refused(body):
    with pytest.raises(ValidationError) as exc:
        validate_upload(_pdf(body))
    assert exc.value.code == "file_active_content"


def test_plain_pdf_with_a_compressed_page_is_accepted():
    body = (b"1 0 obj<</Length 20/Filter/FlateDecode>>stream\n"
            + zlib.compress(b"BT /F1 12 Tf (Hello) Tj ET") + b"\nendstream endobj")
    assert validate_upload(_pdf(body)) == "application/pdf"


def test_a_name_that_only_starts_like_js_is_not_active():
    assert validate_upload(_pdf(b"1 0 obj<</JSONish 1/JSX 2>>endobj")) == "application/pdf"


def test_archive_expanding_too_many_times_its_size_is_refused(settings):
    # given: 20 MB of zeros compress to ~20 KB (ratio ~1000)
    settings.HROPS_MAX_ARCHIVE_RATIO = 100
    upload = _zip({"word/document.xml": b"\0" * (20 * 1024 * 1024)})
    # when / then
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload, kinds=("docx",))
    assert exc.value.code == "file_archive_bomb"


def test_archive_expanding_past_the_total_limit_is_refused(settings):
    settings.HROPS_MAX_ARCHIVE_RATIO = 10_000
    settings.HROPS_MAX_ARCHIVE_EXPANDED_BYTES = 1024 * 1024
    upload = _zip({"a.xml": b"x" * (600 * 1024), "b.xml": b"y" * (600 * 1024)})
    with pytest.raises(ValidationError, match="expands"):
        validate_upload(upload, kinds=("docx",))


def test_archive_with_too_many_entries_is_refused(settings):
    settings.HROPS_MAX_ARCHIVE_ENTRIES = 50
    upload = _zip({f"f{n}.xml": b"<x/>" for n in range(51)})
    with pytest.raises(ValidationError, match="expands"):
        validate_upload(upload, kinds=("docx",))


def test_ordinary_docx_is_accepted_and_rewound():
    upload = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:body/>" * 50})
    assert validate_upload(upload, kinds=("docx",)) == DOCX_TYPE
    assert upload.tell() == 0


def test_fake_zip_is_refused():
    upload = SimpleUploadedFile("letter.docx", b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(ValidationError, match="not a readable archive"):
        validate_upload(upload, kinds=("docx",))
