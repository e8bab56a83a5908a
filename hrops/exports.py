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


# XLSX is written with XlsxWriter (a maintained library) in its constant-memory mode: one row
# in memory at a time, text as inline strings. openpyxl's write-only mode, used before, spent ~6 s
# of CPU on 20,000 rows of 17 columns building a cell object and an lxml element per cell.
# Text is written with `write_string` (never a formula, a number or a URL, whatever it contains).
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")  # Excel refuses these in a sheet name
_FIXED_CREATED = datetime(2000, 1, 1)  # docProps: identical rows give identical bytes
_XLSX_OPTIONS = {
    "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
    "strings_to_urls": False, "remove_timezone": True,
}


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


def write_xlsx(handle: IO[bytes], rows: Iterable[Sequence[object]], *, title: str = "Export",
               bold_rows: Sequence[int] = (0,), bold_last: bool = False,
               number_format: tuple[int, str] | None = None, freeze: str | None = None,
               max_rows: int | None = None) -> None:
    """An XLSX workbook with one sheet, streamed into `handle` (one row in memory at a time,
    whatever the size). `bold_rows` are 0-based row indexes (the header);
    `number_format=(first_column, format)` applies to numeric cells from that 1-based column;
    `freeze` is the top-left cell of the scrolling pane ("E2"). Identical rows give identical
    bytes."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(handle, _XLSX_OPTIONS)
    workbook.set_properties({"created": _FIXED_CREATED})
    sheet = workbook.add_worksheet(
        _SHEET_NAME_ILLEGAL.sub("_", title or "Export")[:31] or "Export")
    if freeze:
        sheet.freeze_panes(freeze)
    first_numbered = number_format[0] - 1 if number_format else None
    formats: dict[tuple[bool, str], object] = {}

    def style(bold: bool, kind: str):
        """One format per (bold, kind): plain text, the number format, a date, a date-time."""
        if (bold, kind) not in formats:
            spec = {"bold": True} if bold else {}
            if kind == "number" and number_format:
                spec["num_format"] = number_format[1]
            elif kind == "date":
                spec["num_format"] = "yyyy-mm-dd"
            elif kind == "datetime":
                spec["num_format"] = "yyyy-mm-dd h:mm:ss"
            formats[bold, kind] = workbook.add_format(spec) if spec else None
        return formats[bold, kind]

    bold_set = set(bold_rows)
    for index, (row, last) in enumerate(_with_last_flag(rows)):
        if max_rows is not None and index > max_rows:
            break
        bold = index in bold_set or (bold_last and last)
        for column, value in enumerate(row):
            if value is None or value == "":
                if bold:
                    sheet.write_blank(index, column, None, style(True, "text"))
            elif isinstance(value, bool):
                sheet.write_string(index, column, str(value), style(bold, "text"))
            elif isinstance(value, datetime):
                sheet.write_datetime(index, column, value.replace(tzinfo=None),
                                     style(bold, "datetime"))  # XLSX has no time zones
            elif isinstance(value, date):
                sheet.write_datetime(index, column, value, style(bold, "date"))
            elif isinstance(value, int | float | Decimal):
                numbered = first_numbered is not None and column >= first_numbered
                sheet.write_number(index, column, value, style(bold, "number" if numbered
                                                                else "text"))
            else:
                sheet.write_string(index, column, safe_text(value), style(bold, "text"))
    workbook.close()


def to_xlsx(rows: Iterable[Sequence[object]], **options) -> bytes:
    """`write_xlsx` into memory (small files; big ones are built by a worker into a file)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, **options)
    return buffer.getvalue()
