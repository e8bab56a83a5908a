from decimal import Decimal

import pytest

from payroll.outputs import nacha
from payroll.outputs.types import OutputError
from tests.payroll_outputs.builders import US_ORIGINATOR, batch, us_payee


def test_routing_check_digit_matches_published_routing_numbers():
    # given real ABA routing numbers (Federal Reserve, JPMorgan Chase)
    for routing in ("011000015", "021000021", "122000247"):
        # then the computed check digit is their last digit
        assert nacha.routing_check_digit(routing[:8]) == routing[8]
    assert not nacha.routing_is_valid("021000022")


def test_file_layout_is_94_character_records_padded_to_blocks_of_ten():
    # given three employees
    text = nacha.build(batch([us_payee(1, "1000.00"), us_payee(2, "2500.55"),
                              us_payee(3, "10.01", kind="savings")]), US_ORIGINATOR)
    records = text.splitlines()

    # then 1 header + 1 batch header + 3 entries + batch control + file control = 7, padded to 10
    assert len(records) == 10
    assert all(len(r) == 94 for r in records)
    assert [r[0] for r in records[:7]] == ["1", "5", "6", "6", "6", "8", "9"]
    assert records[7:] == ["9" * 94] * 3
    assert records[0][34:37] == "094" and records[0][37:39] == "10"
    assert records[1][50:53] == "PPD" and records[1][1:4] == "220"


def test_entry_detail_fields():
    text = nacha.build(batch([us_payee(1, "1234.56"), us_payee(2, "1.00", kind="savings")]),
                       US_ORIGINATOR)
    first, second = text.splitlines()[2:4]
    # transaction code (checking credit), routing with check digit, account, amount in cents
    assert first[1:3] == "22"
    assert first[3:12] == "011000015"
    assert first[12:29] == "0000000001".ljust(17)
    assert first[29:39] == "0000123456"
    assert first[39:54] == "PS-00000001".ljust(15)
    assert first[78] == "0"
    assert first[79:94] == "02100002" + "0000001"  # trace: ODFI + sequence
    assert second[1:3] == "32"  # savings credit


def test_control_totals_and_entry_hash():
    # given routings whose 8-digit ids sum past 10 digits is not needed: check the arithmetic
    payees = [us_payee(1, "1000.00", routing="011000015"),
              us_payee(2, "2000.50", routing="122000247"),
              us_payee(3, "0.49", routing="021000021")]
    records = nacha.build(batch(payees), US_ORIGINATOR).splitlines()
    batch_control, file_control = records[5], records[6]
    expected_hash = 1100001 + 12200024 + 2100002
    total_cents = 100000 + 200050 + 49
    # batch control: entry count, entry hash, debit total 0, credit total
    assert batch_control[4:10] == "000003"
    assert batch_control[10:20] == f"{expected_hash:010d}"
    assert batch_control[20:32] == "0" * 12
    assert batch_control[32:44] == f"{total_cents:012d}"
    # file control: batch count, block count, entry count, hash, totals
    assert file_control[1:7] == "000001"
    assert file_control[7:13] == "000001"
    assert file_control[13:21] == "00000003"
    assert file_control[21:31] == f"{expected_hash:010d}"
    assert file_control[43:55] == f"{total_cents:012d}"
    assert Decimal(total_cents) / 100 == sum(p.amount for p in payees)


def test_entry_hash_keeps_the_rightmost_ten_digits():
    payees = [us_payee(i, "1.00", routing="122000247") for i in range(1, 1001)]
    records = nacha.build(batch(payees), US_ORIGINATOR).splitlines()
    control = next(r for r in records if r.startswith("8"))
    assert control[10:20] == f"{(12200024 * 1000) % 10**10:010d}"
    assert len(records) % 10 == 0


def test_invalid_routing_or_currency_is_refused_with_a_message():
    with pytest.raises(OutputError, match="routing"):
        nacha.build(batch([us_payee(1, "5.00", routing="123456789")]), US_ORIGINATOR)
    with pytest.raises(OutputError, match="US dollars"):
        nacha.build(batch([us_payee(1, "5.00")], currency="GBP"), US_ORIGINATOR)
    with pytest.raises(OutputError, match="cents"):
        nacha.build(batch([us_payee(1, "5.001")]), US_ORIGINATOR)


def test_zero_net_is_not_paid():
    records = nacha.build(batch([us_payee(1, "5.00"), us_payee(2, "0.00")]),
                          US_ORIGINATOR).splitlines()
    assert sum(1 for r in records if r.startswith("6")) == 1
