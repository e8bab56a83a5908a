"""BACS Standard 18 payment file (Bacstel-IP) for a UK run: one credit per employee and one
contra debiting the company's account for the total.

Layout from the published descriptions of the format (HSBC "Message Implementation Guide: BACS
Standard 18", August 2012, and the Bacs Standard 18 layout banks publish for Bacstel-IP; Bacs'
own specification is issued to service users only):
- labels of 80 characters: VOL1, HDR1, HDR2, UHL1 (the processing day as " YYDDD"), then after
  the records EOF1, EOF2 and UTL1 (debit and credit value totals in pence, 13 digits, and their
  counts, 7 digits);
- records of 100 characters: destination sort code 1-6, account number 7-14, account type 15
  ("0"), transaction code 16-17 ("99" bank giro credit; "17" the contra debit), originating sort
  code 18-23 and account 24-31, free format 32-35, amount in pence 36-46 (11 digits, zero
  padded), service user's name 47-64, service user's reference 65-82, destination account name
  83-100. The contra has the originating account as its destination, the total as amount, a
  narrative at 47-64, "CONTRA" at 65-82 and the originator's name at 83-100.
Text is upper case in the Bacs character set (A-Z 0-9 . & / - and space); accented names are
transliterated first ("Zoë Ó Briain" -> "ZOE O BRIAIN").
"""

import re
from datetime import date
from decimal import Decimal

from payroll.outputs.text import transliterate
from payroll.outputs.types import Originator, OutputError, Payee, PaymentBatch

LABEL_LENGTH = 80
RECORD_LENGTH = 100
CREDIT, CONTRA_DEBIT = "99", "17"
_NOT_ALLOWED = re.compile(r"[^A-Z0-9.&/\- ]")
MAX_AMOUNT = Decimal("999999999.99")  # 11 digits of pence


def _text(value: str, width: int) -> str:
    cleaned = _NOT_ALLOWED.sub(" ", transliterate(value).upper())
    return re.sub(r" +", " ", cleaned).strip()[:width].ljust(width)


def _digits(value: str, width: int, what: str) -> str:
    compact = re.sub(r"[\s-]", "", value or "")
    if not compact.isdigit() or len(compact) != width:
        raise OutputError(f"{what}: {width} digits are needed")
    return compact


def _pence(amount: Decimal, width: int) -> str:
    # Net pay is stored to the penny: pence are exact, no rounding.
    return f"{int(amount * 100):0{width}d}"


def _julian(day: date) -> str:
    return f" {day:%y}{day.timetuple().tm_yday:03d}"


def _record(dest_sort: str, dest_account: str, code: str, orig_sort: str, orig_account: str,
            amount: Decimal, name: str, reference: str, dest_name: str) -> str:
    line = (f"{dest_sort}{dest_account}0{code}{orig_sort}{orig_account}{'':4}"
            f"{_pence(amount, 11)}{_text(name, 18)}{_text(reference, 18)}{_text(dest_name, 18)}")
    assert len(line) == RECORD_LENGTH
    return line


def _check(payee: Payee) -> tuple[str, str]:
    who = f"{payee.employee_number} {payee.name}"
    if payee.amount <= 0 or payee.amount > MAX_AMOUNT:
        raise OutputError(f"{who}: the amount must be positive and below 1,000,000,000")
    return (_digits(payee.sort_code, 6, f"{who}: sort code"),
            _digits(payee.account_number, 8, f"{who}: UK account number"))


def labels(sun: str, day: date, created: date, serial: str) -> tuple[list[str], list[str]]:
    """(VOL1, HDR1, HDR2, UHL1) and the matching (EOF1, EOF2) without UTL1."""
    file_id = f"A{sun}S  1{sun}"
    hdr1 = (f"{file_id:17}{sun:6}0001" f"0001{'':6}{_julian(created)}{_julian(created)}"
            f" 000000{'':13}{'':7}")
    hdr2 = f"F0200000100{'':35}00{'':28}"
    vol = f"VOL1{serial:6} {'':26}{'':4}{sun:6}{'':4}{'':28}1"
    uhl = (f"UHL1{_julian(day)}999999    000000001 DAILY  001{'':10}{'':30}")
    head = [vol, "HDR1" + hdr1, "HDR2" + hdr2, uhl]
    tail = ["EOF1" + hdr1, "EOF2" + hdr2]
    return [x[:LABEL_LENGTH].ljust(LABEL_LENGTH) for x in head], [
        x[:LABEL_LENGTH].ljust(LABEL_LENGTH) for x in tail]


def build(batch: PaymentBatch, originator: Originator, *, processing_day: date | None = None
          ) -> str:
    if batch.currency != "GBP":
        raise OutputError("A BACS file pays pounds sterling only")
    sun = _digits(originator.bacs_sun, 6, "The company's BACS service user number (SUN)")
    orig_sort = _digits(originator.bacs_sort_code, 6, "The company's sort code")
    orig_account = _digits(originator.bacs_account_number, 8, "The company's account number")
    payees = [p for p in batch.payees if p.amount != 0]
    if not payees:
        raise OutputError("Nobody is paid in this run")
    records = []
    for payee in payees:
        sort_code, account = _check(payee)
        records.append(_record(sort_code, account, CREDIT, orig_sort, orig_account,
                               payee.amount, originator.company_name,
                               payee.reference or batch.description,
                               payee.holder_name or payee.name))
    total = sum((p.amount for p in payees), Decimal("0"))
    records.append(_record(orig_sort, orig_account, CONTRA_DEBIT, orig_sort, orig_account,
                           total, batch.description, "CONTRA", originator.company_name))
    day = processing_day or batch.pay_date
    head, tail = labels(sun, day, batch.created_at.date(), f"{day.timetuple().tm_yday:03d}001")
    utl = (f"UTL1{_pence(total, 13)}{_pence(total, 13)}{1:07d}{len(payees):07d}"
           ).ljust(LABEL_LENGTH)
    return "\r\n".join([*head, *records, *tail, utl]) + "\r\n"
