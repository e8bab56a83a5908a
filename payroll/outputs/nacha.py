"""NACHA (US ACH) file of PPD credits, one batch, one entry per employee.

Layout from the NACHA Operating Rules, Appendix Three: 94-character records; file header (1),
batch header (5), entry detail (6), batch control (8), file control (9); the file is padded with
records of 9s to a multiple of the blocking factor (10).
"""

from decimal import Decimal

from payroll.outputs.text import transliterate
from payroll.outputs.types import Originator, OutputError, Payee, PaymentBatch

RECORD_SIZE = 94
BLOCKING_FACTOR = 10
SERVICE_CLASS_CREDITS_ONLY = "220"
# Transaction codes for credits (automated deposit).
TRANSACTION_CODES = {"checking": "22", "savings": "32"}


def routing_check_digit(first8: str) -> str:
    """ABA check digit: weights 3, 7, 1 over the first eight digits; the total (with the check
    digit) must be a multiple of 10."""
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(first8, weights, strict=True))
    return str((10 - total % 10) % 10)


def routing_is_valid(routing: str) -> bool:
    return (
        len(routing) == 9 and routing.isdigit() and routing_check_digit(routing[:8]) == routing[8]
    )


def _alpha(value: str, width: int) -> str:
    """Alphanumeric field: upper case, left-justified, space-padded, ASCII only. Other letters
    are transliterated ("Éamonn Ó Briain" -> "EAMONN O BRIAIN"), never blanked; what has no
    ASCII form becomes a space."""
    text = "".join(ch if " " <= ch <= "~" else " " for ch in transliterate(value)).upper()
    return text[:width].ljust(width)


def _num(value: int | str, width: int) -> str:
    """Numeric field: right-justified, zero-padded."""
    text = str(value)
    if not text.isdigit() or len(text) > width:
        raise OutputError(f"{text!r} does not fit a {width}-digit NACHA field")
    return text.rjust(width, "0")


def cents(amount: Decimal) -> int:
    """Amount in cents. Net pay is already quantized to the cent when the payslip is stored, so
    anything finer is an error, not something to round away."""
    value = amount * 100
    if value != value.to_integral_value():
        raise OutputError(f"{amount} is not a whole number of cents")
    return int(value)


def _check_payee(payee: Payee) -> None:
    if not routing_is_valid(payee.routing_number):
        raise OutputError(
            f"{payee.employee_number} {payee.name}: routing number is missing or invalid"
        )
    if not payee.account_number or len(payee.account_number) > 17:
        raise OutputError(f"{payee.employee_number} {payee.name}: account number is missing")
    if payee.account_type not in TRANSACTION_CODES:
        raise OutputError(f"{payee.employee_number} {payee.name}: unknown account type")
    if payee.amount <= 0:
        raise OutputError(f"{payee.employee_number} {payee.name}: amount must be positive")


def build(batch: PaymentBatch, originator: Originator) -> str:
    """The whole file as text: records separated by CRLF-free "\\n" line ends."""
    if batch.currency != "USD":
        raise OutputError("A NACHA file pays US dollars only; this run is in " + batch.currency)
    if not routing_is_valid(originator.odfi_routing):
        raise OutputError("The company's bank routing number is missing or invalid: set it under "
                          "Payment file details on the pay schedule's page")
    payees = [p for p in batch.payees if p.amount != 0]
    if not payees:
        raise OutputError("Nobody is paid in this run")
    for payee in payees:
        _check_payee(payee)

    created = batch.created_at
    odfi8 = originator.odfi_routing[:8]
    destination = originator.destination_routing or originator.odfi_routing
    records = [
        "1" + "01" + " " + destination + _alpha(originator.company_id, 10)
        + created.strftime("%y%m%d") + created.strftime("%H%M") + "A" + "094"
        + _num(BLOCKING_FACTOR, 2) + "1" + _alpha(originator.destination_name, 23)
        + _alpha(originator.origin_name or originator.company_name, 23)
        + _alpha(batch.run_reference, 8),
        "5" + SERVICE_CLASS_CREDITS_ONLY + _alpha(originator.company_name, 16) + " " * 20
        + _alpha(originator.company_id, 10) + "PPD" + _alpha(batch.description, 10)
        + batch.pay_date.strftime("%y%m%d") + batch.pay_date.strftime("%y%m%d") + "   "
        + "1" + odfi8 + _num(1, 7),
    ]
    entry_hash = 0
    total_credit = 0
    for sequence, payee in enumerate(payees, start=1):
        amount = cents(payee.amount)
        total_credit += amount
        entry_hash += int(payee.routing_number[:8])
        records.append(
            "6" + TRANSACTION_CODES[payee.account_type] + payee.routing_number
            + _alpha(payee.account_number, 17) + _num(amount, 10)
            + _alpha(payee.reference or payee.employee_number, 15)
            + _alpha(payee.holder_name or payee.name, 22) + "  " + "0"
            + odfi8 + _num(sequence, 7)
        )
    # Entry hash: sum of the receiving banks' 8-digit ids, keeping the rightmost 10 digits.
    hash10 = _num(entry_hash % 10**10, 10)
    count = len(payees)
    records.append(
        "8" + SERVICE_CLASS_CREDITS_ONLY + _num(count, 6) + hash10 + _num(0, 12)
        + _num(total_credit, 12) + _alpha(originator.company_id, 10) + " " * 19 + " " * 6
        + odfi8 + _num(1, 7)
    )
    total_records = len(records) + 1
    blocks = -(-total_records // BLOCKING_FACTOR)
    records.append(
        "9" + _num(1, 6) + _num(blocks, 6) + _num(count, 8) + hash10 + _num(0, 12)
        + _num(total_credit, 12) + " " * 39
    )
    records.extend("9" * RECORD_SIZE for _ in range(blocks * BLOCKING_FACTOR - total_records))
    for record in records:
        if len(record) != RECORD_SIZE:  # a bug here would make the bank reject the whole file
            raise AssertionError(f"NACHA record of {len(record)} characters: {record!r}")
    return "\n".join(records) + "\n"
