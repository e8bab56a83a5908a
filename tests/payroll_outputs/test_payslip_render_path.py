"""The payslip's fast rendering path (issue 11, PDFs at 30/s): the template is well-formed XHTML
read by the C XML parser instead of WeasyPrint's pure-Python HTML5 parser, with a fallback for
text XML forbids; the stylesheet keeps the look (tests/payroll_outputs/test_payslip_pdfs.py
holds byte-identical output and the stored hash)."""

import xml.etree.ElementTree as ET
from unittest import mock

from payroll import pdf
from payroll.models import Payslip
from payroll.services import payslips as service
from tests.factories.payroll_outputs import finalised_run


def _html(paid_people) -> str:
    run = finalised_run(paid_people[:1])
    payslip = Payslip.objects.select_related("run__period", "employee__department").get(run=run)
    return service.payslip_html(service.payslip_document(payslip))


def test_the_payslip_is_well_formed_xml_and_rendered_without_the_html5_parser(paid_people):
    # given a real payslip's HTML
    html = _html(paid_people)
    # then it parses as XML (a template change that breaks this would silently slow every PDF)
    assert ET.fromstring(html).tag  # noqa: S314 (our template) == "html"
    # and rendering never calls WeasyPrint's HTML5 parser
    with mock.patch("tinyhtml5.parse", side_effect=AssertionError("HTML5 parser used")):
        data = pdf.render_pdf(html)
    assert data.startswith(b"%PDF-")


def test_text_that_xml_forbids_still_renders_through_the_html5_parser(paid_people):
    # given a name with a control character (valid in HTML, not in XML 1.0)
    html = _html(paid_people).replace("</h1>", "\x0b</h1>", 1)
    # when / then: the fallback parser renders it, the same bytes every time
    first = pdf.render_pdf(html)
    assert first.startswith(b"%PDF-") and pdf.render_pdf(html) == first


def test_only_free_text_cells_may_wrap(paid_people):
    # Labels and figures are laid out on one line (cheaper); names, the department and line
    # descriptions keep wrapping so a long one never runs into the next column.
    html = _html(paid_people)
    css = (pdf.Path(pdf.__file__).parent / "templates/payroll/pdf/payslip.css").read_text()
    assert "white-space: nowrap" in css
    assert ".w, .lines td:nth-child(2) { white-space: normal; }" in css
    root = ET.fromstring(html)  # noqa: S314 (our template)
    wrapping = [td.text for td in root.iter("td") if td.get("class") == "w"]
    assert len(wrapping) == 2  # the name and the department
    [lines] = [t for t in root.iter("table") if t.get("class") == "lines"]
    descriptions = [row[1].text for row in lines.iter("tr") if len(row) == 6]
    assert "Basic pay" in descriptions  # the second cell of a line: its description
