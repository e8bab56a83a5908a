"""Every English locale (en-US browsers too) shows the en-GB dates, "1 Dec 2026": unambiguous
day and month for a product whose records and payslips are mostly British, and the same text
on every page whichever browser opens it (see hrops/formats/en_GB/formats.py)."""

from hrops.formats.en_GB.formats import DATE_FORMAT, DATETIME_FORMAT

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT"]
