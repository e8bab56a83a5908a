"""ISO 20022 customer credit transfer initiation, pain.001.001.09: one PmtInf, one CdtTrfTxInf
per employee. For a EUR run it is a SEPA credit transfer (service level SEPA, charges SLEV);
for other currencies the same message without the SEPA service level (as UK banks accept it)."""

from decimal import Decimal

from lxml import etree

from payroll.outputs.text import transliterate
from payroll.outputs.types import Originator, OutputError, Payee, PaymentBatch

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
# The SEPA character set (EPC guidance): anything else is replaced, banks reject it otherwise.
_SEPA_CHARS = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)


def _text(value: str, limit: int) -> str:
    """Transliterated to ASCII first ("Éamonn Ó Briain" -> "Eamonn O Briain"), then anything
    outside the SEPA set becomes a space."""
    cleaned = "".join(ch if ch in _SEPA_CHARS else " " for ch in transliterate(value)).strip()
    return (cleaned or "-")[:limit]


def _amount(value: Decimal) -> str:
    # Net pay is stored to the cent; two places is what the schema's 2-decimal SEPA rule wants.
    return f"{value:.2f}"


def _el(parent, tag: str, text: str | None = None, **attrs: str):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _check(payee: Payee) -> None:
    iban = payee.iban.replace(" ", "")
    if not iban or len(iban) > 34 or not iban[:2].isalpha() or not iban[2:4].isdigit():
        raise OutputError(f"{payee.employee_number} {payee.name}: IBAN is missing or invalid")
    if payee.amount <= 0:
        raise OutputError(f"{payee.employee_number} {payee.name}: amount must be positive")


def _agent(parent, tag: str, bic: str) -> None:
    fin = _el(_el(parent, tag), "FinInstnId")
    if bic:
        _el(fin, "BICFI", bic.replace(" ", "").upper())
    else:
        # IBAN-only payments (allowed in SEPA since 2016): the agent is "not provided".
        _el(_el(fin, "Othr"), "Id", "NOTPROVIDED")


def build(batch: PaymentBatch, originator: Originator) -> bytes:
    if not originator.iban:
        raise OutputError("The company's IBAN is not set: add it under Payment file details on "
                          "the pay schedule's page")
    payees = [p for p in batch.payees if p.amount != 0]
    if not payees:
        raise OutputError("Nobody is paid in this run")
    for payee in payees:
        _check(payee)
    total = sum((p.amount for p in payees), Decimal("0"))
    created = batch.created_at.replace(microsecond=0, tzinfo=None).isoformat()

    document = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    root = _el(document, "CstmrCdtTrfInitn")
    header = _el(root, "GrpHdr")
    _el(header, "MsgId", _text(batch.run_reference, 35))
    _el(header, "CreDtTm", created)
    _el(header, "NbOfTxs", str(len(payees)))
    _el(header, "CtrlSum", _amount(total))
    _el(_el(header, "InitgPty"), "Nm", _text(originator.company_name, 70))

    info = _el(root, "PmtInf")
    _el(info, "PmtInfId", _text(f"{batch.run_reference}-1", 35))
    _el(info, "PmtMtd", "TRF")
    _el(info, "BtchBookg", "true")
    _el(info, "NbOfTxs", str(len(payees)))
    _el(info, "CtrlSum", _amount(total))
    payment_type = _el(info, "PmtTpInf")
    if batch.currency == "EUR":
        _el(_el(payment_type, "SvcLvl"), "Cd", "SEPA")
    _el(_el(payment_type, "CtgyPurp"), "Cd", "SALA")
    _el(_el(info, "ReqdExctnDt"), "Dt", batch.pay_date.isoformat())
    _el(_el(info, "Dbtr"), "Nm", _text(originator.company_name, 70))
    _el(_el(_el(info, "DbtrAcct"), "Id"), "IBAN", originator.iban.replace(" ", "").upper())
    _agent(info, "DbtrAgt", originator.bic)
    _el(info, "ChrgBr", "SLEV" if batch.currency == "EUR" else "SHAR")

    for payee in payees:
        tx = _el(info, "CdtTrfTxInf")
        _el(_el(tx, "PmtId"), "EndToEndId", _text(payee.reference or payee.employee_number, 35))
        _el(_el(tx, "Amt"), "InstdAmt", _amount(payee.amount), Ccy=batch.currency)
        _agent(tx, "CdtrAgt", payee.bic)
        _el(_el(tx, "Cdtr"), "Nm", _text(payee.holder_name or payee.name, 70))
        _el(_el(_el(tx, "CdtrAcct"), "Id"), "IBAN", payee.iban.replace(" ", "").upper())
        _el(_el(tx, "Purp"), "Cd", "SALA")
        _el(_el(tx, "RmtInf"), "Ustrd", _text(f"{batch.description} {batch.pay_date}", 140))
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
