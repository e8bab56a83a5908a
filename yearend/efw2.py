"""SSA EFW2 wage file: fixed-width 512-character records, pure Python.

Layout: SSA Publication 42-007, "Specifications for Filing Forms W-2 Electronically (EFW2)",
tax year 2026 edition (record layouts unchanged from the tax year 2025 edition it follows):
section 4.5 RA Submitter Record, 4.6 RE Employer Record, 4.7 RW Employee Wage Record, 4.10 RT
Total Record, 4.14 RF Final Record. Optional records: RO/RU are written only for fields HROps does
not produce (allocated tips, territorial wages, codes R, S, T, Z, EE, GG, HH, II) so they are
omitted; RS/RV state records are skipped. Money: cents, no decimal point, right-justified and
zero-filled (11 positions in RW, 15 in RT); alphanumeric fields left-justified, blank-filled, upper
case; names transliterated to ASCII (unidecode), as the specification accepts only A-Z, 0-9 and a
few punctuation marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from unidecode import unidecode

from yearend.figures import W2Figures

RECORD_LENGTH = 512
# RW box 12 fields: code -> (start position, 1-based). Section 4.7 of the EFW2 specification.
RW_BOX12 = {"D": 287, "E": 298, "F": 309, "G": 320, "H": 331, "W": 364, "Q": 386, "C": 408,
            "V": 419, "Y": 430, "AA": 441, "BB": 452, "DD": 463, "FF": 474}
# RT totals of the same codes (section 4.10), 15 positions each.
RT_BOX12 = {"D": 145, "E": 160, "F": 175, "G": 190, "H": 205, "W": 250, "Q": 280, "DD": 295,
            "C": 310, "V": 340, "Y": 355, "AA": 370, "BB": 385, "FF": 400}
_NOT_ALLOWED = re.compile(r"[^A-Z0-9 ,.\-'&/#]")


class Efw2Error(ValueError):
    """Data that cannot be written to an EFW2 file (missing EIN, negative wages...)."""


@dataclass(frozen=True, slots=True)
class Address:
    delivery: str = ""  # street or PO box
    location: str = ""  # suite, attention...
    city: str = ""
    state: str = ""
    zip: str = ""
    zip_ext: str = ""


@dataclass(frozen=True, slots=True)
class Submitter:
    ein: str
    user_id: str  # the BSO User ID (8 characters)
    name: str
    address: Address
    contact_name: str
    contact_phone: str
    contact_email: str
    preparer_code: str = "L"  # L = self-prepared


@dataclass(frozen=True, slots=True)
class Employer:
    ein: str
    name: str
    address: Address
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    kind_of_employer: str = "N"  # N = none of the government / 501(c) kinds
    employment_code: str = "R"  # R = regular (Form 941)


@dataclass(frozen=True, slots=True)
class Employee:
    ssn: str
    first_name: str
    last_name: str
    address: Address
    w2: W2Figures
    middle_name: str = ""
    suffix: str = ""


def text(value: str, length: int) -> str:
    """Left-justified, blank-filled, upper case ASCII (unidecode), cut to the field length."""
    ascii_text = _NOT_ALLOWED.sub("", unidecode(value or "").upper())
    return ascii_text[:length].ljust(length)


def digits(value: str, length: int) -> str:
    only = re.sub(r"\D", "", value or "")
    if only and len(only) != length:
        raise Efw2Error(f"{value!r} is not {length} digits")
    return only.ljust(length)


def cents(amount: Decimal, length: int) -> str:
    """Money in cents, right-justified and zero-filled (EFW2 "money fields")."""
    value = int((amount * 100).to_integral_exact())
    if value < 0:
        raise Efw2Error(f"negative amount {amount} cannot be reported")
    out = str(value)
    if len(out) > length:
        raise Efw2Error(f"amount {amount} does not fit {length} positions")
    return out.zfill(length)


class _Record:
    """A 512-character record filled by 1-based start positions, as the specification lists."""

    def __init__(self, identifier: str) -> None:
        self.chars = [" "] * RECORD_LENGTH
        self.put(1, identifier)

    def put(self, start: int, value: str) -> None:
        end = start - 1 + len(value)
        if end > RECORD_LENGTH:
            raise Efw2Error("field beyond position 512")
        self.chars[start - 1:end] = list(value)

    def __str__(self) -> str:
        return "".join(self.chars)


def _address(record: _Record, start: int, address: Address) -> None:
    """Location (22), delivery (22), city (22), state (2), ZIP (5), ZIP extension (4)."""
    record.put(start, text(address.location, 22))
    record.put(start + 22, text(address.delivery, 22))
    record.put(start + 44, text(address.city, 22))
    record.put(start + 66, text(address.state, 2))
    record.put(start + 68, digits(address.zip, 5) if address.zip else " " * 5)
    record.put(start + 73, digits(address.zip_ext, 4) if address.zip_ext else " " * 4)


def ra_record(submitter: Submitter) -> str:
    r = _Record("RA")
    r.put(3, digits(submitter.ein, 9))
    r.put(12, text(submitter.user_id, 8))
    r.put(29, "0")  # not a resubmission
    r.put(36, "98")  # software code: in-house program
    r.put(38, text(submitter.name, 57))  # company name
    _address(r, 95, submitter.address)
    r.put(217, text(submitter.name, 57))  # submitter name (who receives error notices)
    _address(r, 274, submitter.address)
    r.put(396, text(submitter.contact_name, 27))
    r.put(423, text(re.sub(r"\D", "", submitter.contact_phone), 15))
    r.put(446, (submitter.contact_email or "")[:40].upper().ljust(40))
    r.put(500, text(submitter.preparer_code, 1))
    return str(r)


def re_record(employer: Employer, tax_year: str) -> str:
    r = _Record("RE")
    r.put(3, digits(tax_year, 4))
    r.put(8, digits(employer.ein, 9))
    r.put(40, text(employer.name, 57))
    _address(r, 97, employer.address)
    r.put(174, text(employer.kind_of_employer, 1))
    r.put(219, text(employer.employment_code, 1))
    r.put(222, text(employer.contact_name, 27))
    r.put(249, text(re.sub(r"\D", "", employer.contact_phone), 15))
    r.put(279, (employer.contact_email or "")[:40].upper().ljust(40))
    return str(r)


def rw_record(employee: Employee) -> str:
    w2 = employee.w2
    r = _Record("RW")
    r.put(3, digits(employee.ssn, 9) if employee.ssn else "0" * 9)  # unknown SSN: zeros
    r.put(12, text(employee.first_name, 15))
    r.put(27, text(employee.middle_name, 15))
    r.put(42, text(employee.last_name, 20))
    r.put(62, text(employee.suffix, 4))
    _address(r, 66, employee.address)
    for start, amount in ((188, w2.box1), (199, w2.box2), (210, w2.box3), (221, w2.box4),
                          (232, w2.box5), (243, w2.box6)):
        r.put(start, cents(amount, 11))
    for code, start in RW_BOX12.items():
        r.put(start, cents(w2.box12_amount(code), 11))
    r.put(488, "1" if w2.box12_amount("D") or w2.box12_amount("E") else "0")  # retirement plan
    r.put(486, "0")  # statutory employee indicator
    r.put(489, "0")  # third-party sick pay indicator
    return str(r)


def rt_record(w2s: list[W2Figures]) -> str:
    r = _Record("RT")
    r.put(3, str(len(w2s)).zfill(7))
    for start, name in ((10, "box1"), (25, "box2"), (40, "box3"), (55, "box4"), (70, "box5"),
                        (85, "box6")):
        r.put(start, cents(sum((getattr(w, name) for w in w2s), Decimal("0")), 15))
    for code, start in RT_BOX12.items():
        r.put(start, cents(sum((w.box12_amount(code) for w in w2s), Decimal("0")), 15))
    return str(r)


def rf_record(count: int) -> str:
    r = _Record("RF")
    r.put(8, str(count).zfill(9))
    return str(r)


def efw2_records(*, submitter: Submitter, employer: Employer, tax_year: str,
                 employees: Iterable[Employee]) -> list[str]:
    """RA, RE, an RW per employee, RT, RF: one employer per file."""
    people = list(employees)
    if not re.fullmatch(r"\d{9}", re.sub(r"\D", "", employer.ein or "")):
        raise Efw2Error("The employer has no EIN: set it in the schedule's employer details.")
    if not submitter.user_id.strip():
        raise Efw2Error("No BSO User ID: set the submitter details for the EFW2 file.")
    return [ra_record(submitter), re_record(employer, tax_year),
            *(rw_record(p) for p in people), rt_record([p.w2 for p in people]),
            rf_record(len(people))]


def efw2_file(records: list[str]) -> bytes:
    """The records joined by CR LF (EFW2: each record followed by a carriage return / line
    feed), ASCII."""
    return ("\r\n".join(records) + "\r\n").encode("ascii")
