"""A saved report's rows, computed with its owner's access (report_export, automation)."""

from datetime import date

from analytics.catalogue import report_rows
from analytics.models import SavedReport


def saved_report_rows(report: SavedReport, *, as_of: date | None = None,
                      table: str = "") -> list[list[object]]:
    """ValueError: no such table; PermissionError: the owner may no longer open the report."""
    return report_rows(report.owner, report.kind, report.params, table=table, as_of=as_of)
