"""Payslip PDFs with WeasyPrint: one small stylesheet, the project's own Noto Sans (OFL, shipped
under static/fonts/noto-sans, never the system's fonts), no other external resources, and no
timestamps or random ids in the file, so the same payslip renders to the same bytes (and the same
SHA-256) on every machine."""

import functools
import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint logs every rendering step at INFO: a thousand payslips would flood the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Lines are shown in this order, under these headings; totals come from the stored payslip.
SECTIONS = (
    ("earning", "Earnings"),
    ("reimbursement", "Reimbursements"),
    ("pre_tax_deduction", "Pre-tax deductions"),
    ("employee_tax", "Taxes"),
    ("post_tax_deduction", "Post-tax deductions"),
    ("employer_contribution", "Paid by your employer: contributions"),
    ("employer_tax", "Paid by your employer: taxes"),
)


@dataclass(frozen=True, slots=True)
class PdfLine:
    code: str
    description: str
    category: str
    quantity: Decimal | None
    rate: Decimal | None
    amount: Decimal
    ytd: Decimal | None = None  # this line's year to date, this payslip included


@dataclass(frozen=True, slots=True)
class PayslipDocument:
    """Everything printed on a payslip, as plain values (the template never queries)."""

    company_name: str  # the payer: the schedule's payer name (payment_details.payer_name)
    number: str
    employee_name: str
    employee_number: str
    department: str
    currency: str
    period_start: date
    period_end: date
    pay_date: date
    tax_year: str
    lines: tuple[PdfLine, ...]
    gross: Decimal
    total_pre_tax: Decimal
    total_employee_tax: Decimal
    total_post_tax: Decimal
    net: Decimal
    employer_cost: Decimal
    ytd: tuple[tuple[str, Decimal], ...]
    bank_masked: str  # "•••• 1234" or "" — never the full account number
    employer_legal_name: str = ""
    employer_address: str = ""  # one line, parts separated by commas
    # ("Employer PAYE reference", "123/AB456") or ("EIN", "12-3456789"); empty when not set
    employer_reference: tuple[str, str] | tuple[()] = ()
    # UK: tax code, basis, NI number (masked), NI category, tax period; US: the Form W-4
    tax_details: tuple[tuple[str, str], ...] = ()


def sections(lines: tuple[PdfLine, ...]) -> list[dict]:
    grouped: dict[str, list[PdfLine]] = {}
    for line in lines:
        grouped.setdefault(line.category, []).append(line)
    result: list[dict] = []
    for category, heading in SECTIONS:
        if grouped.get(category):
            result.append({"category": category, "heading": heading,
                           "lines": grouped[category],
                           "total": sum((x.amount for x in grouped[category]), Decimal("0"))})
    return result


def payslip_html(document: PayslipDocument) -> str:
    return render_to_string(
        "payroll/pdf/payslip.html",
        # The first five YTD figures sit beside the summary; any more follow below it.
        {"doc": document, "sections": sections(document.lines), "ytd_rest": document.ytd[5:]},
    )


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"Payslips load no external resources (refused {url[:80]!r})")


def font_dir() -> Path:
    """The payslip's fonts: shipped with the project (issue 13), so PDFs do not depend on what
    fonts a machine has installed."""
    return Path(settings.BASE_DIR) / "static" / "fonts" / "noto-sans"


def _font_file(url: str) -> Path | None:
    """The shipped font a file:// URL names, or None for anything else."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path)).resolve()
    folder = font_dir().resolve()
    if path.parent != folder or path.suffix != ".woff" or not path.is_file():
        return None
    return path


class _PerThread(threading.local):
    """Fetcher, fonts and stylesheet are reused between payslips but never shared between
    threads (Pango/fontconfig objects are not thread-safe; a threads-pool worker has several)."""

    def __init__(self) -> None:
        self.cache: dict[str, object] = {}


_local = _PerThread()


def _fetcher():
    """One fetcher per process: building a URLFetcher sets up an SSL context (~20 ms)."""
    if "fetcher" not in _local.cache:
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class NoNetwork(URLFetcher):
            """Refuses every URL but the shipped font files: the payslip is self-contained."""

            def fetch(self, url, headers=None):
                path = _font_file(url)
                if path is None:
                    return _refuse_fetch(url)
                return URLFetcherResponse(url, body=path.read_bytes(),
                                          headers={"Content-Type": "font/woff"})

        _local.cache["fetcher"] = NoNetwork()
    return _local.cache["fetcher"]


def _font_config():
    """Fonts are looked up once per worker process, not once per payslip."""
    if "fonts" not in _local.cache:
        from weasyprint.text.fonts import FontConfiguration

        _local.cache["fonts"] = FontConfiguration()
    return _local.cache["fonts"]


def _stylesheet():
    """The payslip's one small stylesheet, parsed once per worker process."""
    if "css" not in _local.cache:
        from weasyprint import CSS

        path = Path(__file__).parent / "templates" / "payroll" / "pdf" / "payslip.css"
        # Relative url()s in the stylesheet (the @font-face files) resolve in the font folder.
        _local.cache["css"] = CSS(string=path.read_text(), font_config=_font_config(),
                                  url_fetcher=_fetcher(),
                                  base_url=font_dir().as_uri() + "/")
    return _local.cache["css"]


# The payslip template uses only these elements. WeasyPrint's own HTML5 user-agent stylesheet
# (~250 rules, most for elements a payslip never has) is matched against every element and was
# about a fifth of the CPU per payslip; this is the part of it a payslip needs. If WeasyPrint ever
# stops consulting `_ua_stylesheets`, its default sheet is used: slower, same look.
PAYSLIP_UA_CSS = """
html, body, div, h1, p { display: block }
head, title, meta, style { display: none }
span { display: inline }
body { margin: 8px }
h1 { font-size: 2em; font-weight: bold; margin: .67em 0; bookmark-level: 1;
     bookmark-label: content(text); break-after: avoid; break-inside: avoid }
table { display: table; box-sizing: border-box; border-spacing: 2px; border-collapse: separate;
        text-indent: initial }
colgroup { display: table-column-group } col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px }
th { font-weight: bold }
table, td, th { border-color: gray }
"""


def _ua_stylesheet():
    if "ua" not in _local.cache:
        from weasyprint import CSS

        _local.cache["ua"] = CSS(string=PAYSLIP_UA_CSS, font_config=_font_config(),
                                 url_fetcher=_fetcher())
    return _local.cache["ua"]


@functools.cache
def _html_class():
    """WeasyPrint's HTML with the payslip's user-agent sheet (imported lazily, like the rest)."""
    from weasyprint import HTML

    class PayslipHTML(HTML):
        @classmethod
        def from_xhtml(cls, text: str, url_fetcher) -> "PayslipHTML":
            """The payslip template is well-formed XHTML, so the C XML parser reads it; it
            replaces tinyhtml5's pure-Python HTML5 parser (about 8% of a render)."""
            import xml.etree.ElementTree as ET

            import cssselect2

            document = cls.__new__(cls)
            document.base_url, document.url_fetcher, document.media_type = (
                None, url_fetcher, "print")
            # Our own template's output: user text is autoescaped (no markup, no entities), the
            # doctype is ours (no entity declarations) and expat never fetches external ones.
            root = ET.fromstring(text)  # noqa: S314
            document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None)
            document.etree_element = document.wrapper_element.etree_element
            return document

        def _ua_stylesheets(self, forms=False):
            return [_ua_stylesheet()]

    return PayslipHTML


def _document(html: str):
    """The parsed payslip: as XML when it is well formed (always, from the template), else
    through WeasyPrint's HTML5 parser (text with a character XML forbids, say)."""
    import xml.etree.ElementTree as ET

    HTML = _html_class()
    try:
        return HTML.from_xhtml(html, _fetcher())
    except ET.ParseError:
        return HTML(string=html, base_url=None, url_fetcher=_fetcher())


def render_pdf(html: str) -> bytes:
    # No <meta name=dcterms.created/modified> in the template and pdf_identifier=False, so the
    # PDF carries no creation/modification date and no random /ID: identical input, identical
    # bytes. Font subsets get names derived from their content, not random tags.
    return _document(html).write_pdf(
        pdf_identifier=False, uncompressed_pdf=False, font_config=_font_config(),
        stylesheets=[_stylesheet()],
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
