"""The one writer for every CSV and XLSX export (directory, compliance lists and audit, pay
register, GL journal, import templates, ...). tests/access/test_exports.py fails the suite if any
module outside this one writes CSV or XLSX itself.

Two defences against spreadsheet formula injection (OWASP "CSV Injection"; ASVS 5.0 V1.2.10):
- text starting with = + - @ TAB or CR is prefixed with an apostrophe, so Excel, LibreOffice and
  Google Sheets show it as text instead of running it (e.g. `=HYPERLINK(...)`, `=cmd|...`);
- XLSX text cells are written with the string type, never as formulas, whatever they contain.
Numbers (int, Decimal) and dates stay typed values, so a negative amount is still a number.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # makes Excel read a CSV file as UTF-8
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: object) -> str:
    """A text cell that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_cell(value: object, decimal_places: int | None) -> object:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:.{decimal_places}f}" if decimal_places is not None else str(value)
    if isinstance(value, int | float | date | datetime):
        return value
    return safe_text(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[object]], *, bom: bool = True,
              lineterminator: str = "\r\n", decimal_places: int | None = None) -> Iterator[str]:
    """CSV text line by line (for a StreamingHttpResponse of a large export)."""
    writer = csv.writer(_Echo(), lineterminator=lineterminator)
    if bom:
        yield BOM
    for row in rows:
        yield writer.writerow([_csv_cell(v, decimal_places) for v in row])


def to_csv(rows: Iterable[Sequence[object]], *, bom: bool = True, lineterminator: str = "\r\n",
           decimal_places: int | None = None) -> bytes:
    return "".join(csv_lines(rows, bom=bom, lineterminator=lineterminator,
                             decimal_places=decimal_places)).encode("utf-8")


# XLSX is written directly as SpreadsheetML (ECMA-376 Part 1: §18.3 worksheets, §18.8 styles),
# streamed into the zip one chunk of rows at a time: openpyxl's write-only mode, which this
# replaced, spent ~6 s of CPU on 20,000 rows of 17 columns building a cell object and an lxml
# element per cell; this writes the same sheet in a fraction of that (bench/xlsx_writer.py).
# Text is an inline string (t="inlineStr"), never a formula, whatever it contains.
_EPOCH = date(1899, 12, 30)  # the 1900 date system's day 0 (ECMA-376 §18.17.4.1)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")  # Excel refuses these in a sheet name
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries without a clock time: same rows, same bytes
_ROWS_PER_CHUNK = 500
# Cell formats (cellXfs), indexed by (bold, kind): kind 0 text/general, 1 the number format,
# 2 a date, 3 a date and time.
_XF = {(False, 0): 0, (True, 0): 1, (False, 1): 2, (True, 1): 3, (False, 2): 4, (True, 2): 5,
       (False, 3): 6, (True, 3): 7}
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _xml_text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;")


def _styles(number_format: str) -> str:
    fmt = _xml_text(number_format).replace('"', "&quot;")
    ordered = sorted(_XF.items(), key=lambda kv: kv[1])
    xfs = "".join(
        f'<xf numFmtId="{(0, 164, 165, 166)[kind]}" fontId="{int(bold)}" fillId="0" '
        f'borderId="0" xfId="0"{" applyNumberFormat=\"1\"" if kind else ""}'
        f'{" applyFont=\"1\"" if bold else ""}/>'
        for (bold, kind), _index in ordered)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{fmt}"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="166" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(_XF)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>')


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split(cell: str) -> tuple[int, int]:
    """"E2" -> (column 5, row 2)."""
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", cell.upper())
    if not match:
        raise ValueError(f"not a cell reference: {cell!r}")
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return column, int(match.group(2))


def _sheet_view(freeze: str | None) -> str:
    if not freeze:
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    column, row = _split(freeze)
    x, y = column - 1, row - 1
    pane = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
    split = (f'{f" xSplit=\"{x}\"" if x else ""}{f" ySplit=\"{y}\"" if y else ""}')
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{freeze}"'
            f' sqref="{freeze}"/></sheetView></sheetViews>')


def _cell(ref: str, value: object, bold: bool, numbered: bool) -> str:
    """One <c> element. Text is an inline string (never a formula); numbers and dates are
    typed values, so a negative amount is still a number."""
    if value is None or value == "":
        # An empty cell is still written (a row keeps its width for readers that count cells).
        return f'<c r="{ref}" s="{_XF[bold, 0]}"/>'
    if isinstance(value, bool):
        value = str(value)
    elif isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # XLSX has no time zones
        delta = value - datetime(1899, 12, 30)
        serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        return f'<c r="{ref}" s="{_XF[bold, 3]}"><v>{serial!r}</v></c>'
    elif isinstance(value, date):
        return f'<c r="{ref}" s="{_XF[bold, 2]}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = safe_text(value)
        return (f'<c r="{ref}" t="inlineStr" s="{_XF[bold, 0]}"><is><t xml:space="preserve">'
                f'{_xml_text(text)}</t></is></c>')
    return f'<c r="{ref}" s="{_XF[bold, 1 if numbered else 0]}"><v>{text}</v></c>'


def _with_last_flag(rows: Iterable[Sequence[object]]) -> Iterator[tuple[Sequence[object], bool]]:
    """(row, is_last) with one row of lookahead, so a totals row can be styled while streaming."""
    iterator = iter(rows)
    try:
        previous = next(iterator)
    except StopIteration:
        return
    for row in iterator:
        yield previous, False
        previous = row
    yield previous, True


def _sheet_rows(rows: Iterable[Sequence[object]], *, bold_rows: Sequence[int], bold_last: bool,
                number_format: tuple[int, str] | None, max_rows: int | None) -> Iterator[str]:
    first_numbered = number_format[0] if number_format else None
    letters: list[str] = []
    bold_set = set(bold_rows)
    for index, (row, last) in enumerate(_with_last_flag(rows)):
        if max_rows is not None and index > max_rows:
            break
        number = index + 1
        bold = index in bold_set or (bold_last and last)
        while len(letters) < len(row):
            letters.append(_column_letter(len(letters) + 1))
        cells = "".join(
            _cell(f"{letters[column]}{number}", value, bold,
                  first_numbered is not None and column + 1 >= first_numbered)
            for column, value in enumerate(row))
        yield f'<row r="{number}">{cells}</row>'


def write_xlsx(handle: IO[bytes], rows: Iterable[Sequence[object]], *, title: str = "Export",
               bold_rows: Sequence[int] = (0,), bold_last: bool = False,
               number_format: tuple[int, str] | None = None, freeze: str | None = None,
               max_rows: int | None = None) -> None:
    """An XLSX workbook with one sheet, streamed into `handle` (a chunk of rows in memory at a
    time, whatever the size). `bold_rows` are 0-based row indexes (the header);
    `number_format=(first_column, format)` applies to numeric cells from that 1-based column;
    `freeze` is the top-left cell of the scrolling pane ("E2"). Identical rows give identical
    bytes (no timestamps in the file)."""
    name = _SHEET_NAME_ILLEGAL.sub("_", (title or "Export"))[:31] or "Export"
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook {_NS}><sheets><sheet name="{_xml_text(name).replace(chr(34), "&quot;")}" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>')
    parts = (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
             ("xl/styles.xml", _styles(number_format[1] if number_format else "General")))
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts:
            archive.writestr(_entry(part), text)
        with archive.open(_entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as sheet:
            sheet.write((
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet {_NS}>{_sheet_view(freeze)}<sheetData>').encode())
            chunk: list[str] = []
            for line in _sheet_rows(rows, bold_rows=bold_rows, bold_last=bold_last,
                                    number_format=number_format, max_rows=max_rows):
                chunk.append(line)
                if len(chunk) >= _ROWS_PER_CHUNK:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def to_xlsx(rows: Iterable[Sequence[object]], **options) -> bytes:
    """`write_xlsx` into memory (small files; big ones are built by a worker into a file)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, **options)
    return buffer.getvalue()
