"""Issue 13 item 13: the payslip's fonts ship with the project (Noto Sans, OFL, under
static/fonts/noto-sans), so a PDF does not depend on the fonts a machine has installed."""

import re
import zlib

import pytest

from payroll.pdf import _fetcher, _font_file, font_dir, render_pdf

HTML = ("<html><body><h1>Payslip</h1><p>Net pay £1,234.50 – Łukasz Żółć • 1 × 3,000.00</p>"
        "</body></html>")


def _pdf_objects(pdf: bytes) -> list[bytes]:
    """The PDF's bytes and each inflated stream (fonts sit in compressed object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return parts


def _embedded_fonts(pdf: bytes) -> tuple[set[bytes], list[bytes]]:
    names: set[bytes] = set()
    programs: list[bytes] = []
    for part in _pdf_objects(pdf):
        names |= set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", part))
        if part[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):  # a TrueType/OpenType program
            programs.append(part)
    return names, programs


def test_the_shipped_font_and_its_licence_are_in_static():
    folder = font_dir()
    assert sorted(p.name for p in folder.glob("*.woff")) == [
        "noto-sans-latin-400-normal.woff", "noto-sans-latin-700-normal.woff",
        "noto-sans-latin-ext-400-normal.woff", "noto-sans-latin-ext-700-normal.woff"]
    assert "SIL Open Font License" in (folder / "OFL.txt").read_text()


def test_rendering_twice_embeds_the_same_shipped_fonts_and_no_system_font():
    # when
    first, second = render_pdf(HTML), render_pdf(HTML)
    # then: byte-identical, and the fonts embedded are the shipped ones, identical in both
    assert first == second
    names, programs = _embedded_fonts(first)
    assert names and all(b"Payslip-Sans" in name for name in names)
    assert not any(b"DejaVu" in part for part in _pdf_objects(first))
    assert _embedded_fonts(second) == (names, programs)


def test_the_fetcher_serves_only_the_shipped_font_files(tmp_path):
    font = font_dir() / "noto-sans-latin-400-normal.woff"
    assert _font_file(font.as_uri()) == font.resolve()
    assert _fetcher().fetch(font.as_uri()).status == 200
    stranger = tmp_path / "evil.woff"
    stranger.write_bytes(b"wOFF")
    for url in (stranger.as_uri(), (font_dir() / "OFL.txt").as_uri(),
                (font_dir() / ".." / "css" / "app.css").as_uri(), "https://example.com/f.woff"):
        assert _font_file(url) is None
        with pytest.raises(ValueError):
            _fetcher().fetch(url)
