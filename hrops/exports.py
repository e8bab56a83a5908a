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


def _xlsx_value(value: object) -> tuple[object, bool]:
    """(value, is_text) for one XLSX cell."""
    if value is None:
        return "", True
    if isinstance(value, bool):
        return str(value), True
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), False  # XLSX has no time zones
    if isinstance(value, int | float | Decimal | date):
        return value, False
    return safe_text(value), True


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
    """An XLSX workbook with one sheet, written to `handle` in openpyxl's write-only mode (one
    row in memory at a time, whatever the size). `bold_rows` are 0-based row indexes (the
    header); `number_format=(first_column, format)` applies to numeric cells from that 1-based
    column."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((title or "Export")[:31])
    if freeze:
        sheet.freeze_panes = freeze
    bold = Font(bold=True)
    for index, (row, last) in enumerate(_with_last_flag(rows)):
        if max_rows is not None and index > max_rows:
            break
        cells = []
        for column, raw in enumerate(row, start=1):
            value, is_text = _xlsx_value(raw)
            cell = WriteOnlyCell(sheet, value=value)
            if is_text:
                cell.data_type = "s"  # text, never a formula
            elif number_format and column >= number_format[0]:
                cell.number_format = number_format[1]
            if index in bold_rows or (bold_last and last):
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    workbook.save(handle)


def to_xlsx(rows: Iterable[Sequence[object]], **options) -> bytes:
    """`write_xlsx` into memory (small files; big ones are built by a worker into a file)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, **options)
    return buffer.getvalue()
