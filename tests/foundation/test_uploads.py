"""The one upload check every app uses (hrops.uploads)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hrops.uploads import format_size, validate_upload

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
HTML = b"<!doctype html><script>alert(1)</script>"
ALL = ("pdf", "png", "jpeg", "docx")
MB = 1024 * 1024


def _file(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(("name", "content", "stored"), [
    ("scan.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("letter.docx", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_each_kind_is_accepted_and_gets_our_content_type(name, content, stored):
    # given a genuine file whose browser-sent type says nothing useful
    upload = _file(name, content, "application/octet-stream")
    # when / then the type to store comes from the checked kind
    assert validate_upload(upload, kinds=ALL) == stored


@pytest.mark.parametrize("name", ["SCAN.PDF", "Scan.Pdf", "PHOTO.JPEG"])
def test_extension_is_case_insensitive(name):
    content = PDF if name.lower().endswith(".pdf") else JPEG
    assert validate_upload(_file(name, content)) in ("application/pdf", "image/jpeg")


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "no_extension", "scan.pdf.exe"])
def test_other_extensions_are_refused_naming_the_allowed_kinds(name):
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(name, PDF))
    assert _message(exc) == "Files must be PDF, PNG or JPEG."
    assert exc.value.code == "file_kind"


def test_a_kind_the_caller_did_not_allow_is_refused():
    # DOCX is a known kind, but this caller only takes PDF and images
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file("letter.docx", DOCX), kinds=("pdf", "png", "jpeg"))
    assert _message(exc) == "Files must be PDF, PNG or JPEG."


@pytest.mark.parametrize(("name", "content"), [
    ("scan.pdf", PNG),  # a PNG renamed
    ("scan.pdf", HTML),  # a web page renamed
    ("scan.pdf", b"%PDF"),  # too short to be the real signature
    ("photo.png", JPEG),
    ("photo.jpg", b"MZ\x90\x00 an exe"),
    ("letter.docx", PDF),
])
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    ext = name.rsplit(".", 1)[-1]
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(name, content), kinds=ALL)
    assert _message(exc) == f"The file's content does not match its .{ext} extension."
    assert exc.value.code == "file_content_mismatch"


def test_a_browser_type_naming_another_kind_is_refused():
    # given a real PNG that the browser says is a PDF
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file("photo.png", PNG, "application/pdf"))
    assert _message(exc) == ("The file is marked as application/pdf, which does not match its "
                             ".png extension.")


@pytest.mark.parametrize("content_type", ["", "text/plain", "application/octet-stream",
                                          "image/pjpeg", "IMAGE/JPEG; charset=binary"])
def test_uninformative_or_matching_browser_types_are_left_to_the_content_check(content_type):
    assert validate_upload(_file("photo.jpg", JPEG, content_type)) == "image/jpeg"


def test_oversize_file_is_refused_with_both_sizes(settings):
    settings.HROPS_MAX_UPLOAD_BYTES = 10 * MB
    big = _file("scan.pdf", PDF + b"0" * int(12.25 * MB))
    with pytest.raises(ValidationError) as exc:
        validate_upload(big)
    assert _message(exc) == "This file is 12.3 MB; the limit is 10 MB."
    assert exc.value.code == "file_too_large"


def test_caller_limit_overrides_the_setting(settings):
    settings.HROPS_MAX_UPLOAD_BYTES = 10 * MB
    upload = _file("scan.pdf", PDF + b"0" * MB)
    with pytest.raises(ValidationError, match="the limit is 1 MB"):
        validate_upload(upload, max_bytes=MB)
    assert validate_upload(upload) == "application/pdf"


def test_file_of_exactly_the_limit_is_accepted():
    assert validate_upload(_file("scan.pdf", PDF), max_bytes=len(PDF)) == "application/pdf"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file("scan.pdf", b""))
    assert _message(exc) == "The file is empty."
    assert exc.value.code == "file_empty"


def test_pointer_is_rewound_after_sniffing_even_if_already_read():
    # given a file something has already read part of
    upload = _file("scan.pdf", PDF)
    upload.read(3)
    # when
    validate_upload(upload)
    # then the whole file is there for the storage backend to save
    assert upload.tell() == 0
    assert upload.read() == PDF


def test_pointer_is_rewound_when_the_content_is_refused():
    upload = _file("scan.pdf", HTML)
    with pytest.raises(ValidationError):
        validate_upload(upload)
    assert upload.tell() == 0


@pytest.mark.parametrize(("num_bytes", "text"), [
    (10, "10 bytes"),
    (2048, "2 KB"),
    (10 * MB, "10 MB"),
    (10 * MB + 1, "10.1 MB"),  # rounded up: just over the limit never reads as equal to it
    (int(12.25 * MB), "12.3 MB"),
])
def test_format_size(num_bytes, text):
    assert format_size(num_bytes) == text


@pytest.mark.parametrize(("original", "expected"), [
    ("contract.pdf", "contract.pdf"),
    ("../../etc/my contract.pdf", "my_contract.pdf"),
    ("C:\\Users\\me\\scan 1.PNG", "scan_1.PNG"),
    ("..", "file"),
    ("", "file"),
])
def test_safe_file_name(original, expected):
    from hrops.uploads import safe_file_name

    assert safe_file_name(original) == expected
