import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from payroll.outputs import sepa
from payroll.outputs.types import OutputError
from tests.payroll_outputs.builders import EU_ORIGINATOR, batch, eu_payee

XSD_PATH = Path(__file__).parent / "schemas" / "pain.001.001.09.xsd"
XSD_SHA256 = "de038b373e47b0077b1832ddd81f4b2f1eb25d35721f62da1e38b7f5a09fda24"
NS = {"p": sepa.NAMESPACE}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    assert hashlib.sha256(XSD_PATH.read_bytes()).hexdigest() == XSD_SHA256  # unmodified copy
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


def test_sepa_file_validates_against_the_official_xsd(schema):
    # given two employees, one without a BIC (IBAN-only)
    payees = [eu_payee(1, "2100.10"), eu_payee(2, "1999.99", iban="DE89370400440532013000",
                                                bic="")]
    # when
    document = etree.fromstring(sepa.build(batch(payees, currency="EUR"), EU_ORIGINATOR))
    # then
    schema.assertValid(document)
    assert document.findtext(".//p:SvcLvl/p:Cd", namespaces=NS) == "SEPA"


def test_non_euro_run_still_validates_without_the_sepa_service_level(schema):
    payees = [eu_payee(1, "100.00", iban="GB29NWBK60161331926819", bic="NWBKGB2L")]
    document = etree.fromstring(sepa.build(batch(payees, currency="GBP"), EU_ORIGINATOR))
    schema.assertValid(document)
    assert document.find(".//p:SvcLvl", namespaces=NS) is None
    assert document.find(".//p:InstdAmt", namespaces=NS).get("Ccy") == "GBP"


def test_control_sum_and_count_equal_the_net_pay():
    payees = [eu_payee(i, amount) for i, amount in
              enumerate(["1000.01", "2000.02", "0.97", "0.00"], start=1)]
    document = etree.fromstring(sepa.build(batch(payees, currency="EUR"), EU_ORIGINATOR))
    for header in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert document.findtext(f"{header}/p:NbOfTxs", namespaces=NS) == "3"
        assert Decimal(document.findtext(f"{header}/p:CtrlSum", namespaces=NS)) == Decimal(
            "3001.00"
        )
    amounts = [Decimal(x.text) for x in document.iterfind(".//p:InstdAmt", namespaces=NS)]
    assert sum(amounts) == Decimal("3001.00")
    ids = [x.text for x in document.iterfind(".//p:EndToEndId", namespaces=NS)]
    assert ids == ["PS-00000001", "PS-00000002", "PS-00000003"]


def test_names_are_reduced_to_the_sepa_character_set(schema):
    payee = eu_payee(1, "10.00")
    payee = type(payee)(**{**{f: getattr(payee, f) for f in payee.__slots__},
                           "name": "Zoë <O'Brien> & Søn"})
    document = etree.fromstring(sepa.build(batch([payee], currency="EUR"), EU_ORIGINATOR))
    schema.assertValid(document)
    # letters are transliterated (ë -> e, ø -> o), never blanked; < > & are outside the set
    assert document.findtext(".//p:Cdtr/p:Nm", namespaces=NS) == "Zoe  O'Brien    Son"


def test_missing_iban_is_refused_with_a_message():
    with pytest.raises(OutputError, match="IBAN"):
        sepa.build(batch([eu_payee(1, "10.00", iban="")], currency="EUR"), EU_ORIGINATOR)
