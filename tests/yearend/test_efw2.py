"""The EFW2 file (SSA Publication 42-007): every record exactly 512 characters, required fields at
their positions, money in cents right-justified and zero-filled, names upper case and
transliterated, RT totals equal to the sum of the RW records, RF counting them."""

from decimal import Decimal

import pytest

from yearend import efw2
from yearend.figures import W2Figures

D = Decimal


def _file():
    w2a = W2Figures("2026", D("50000.00"), D("6000.50"), D("52000.00"), D("3224.00"),
                    D("52000.00"), D("754.00"), box12=(("D", D("2000.00")), ("DD", D("7200"))))
    w2b = W2Figures("2026", D("190000.00"), D("40000.00"), D("184500.00"), D("11439.00"),
                    D("200500.00"), D("2911.75"), box12=(("W", D("1000.00")),))
    return efw2.efw2_records(
        submitter=efw2.Submitter("12-3456789", "AB12CD34", "Acme Payroll Inc",
                                 efw2.Address(delivery="1 Main St", city="Springfield",
                                              state="IL", zip="62701"),
                                 "Pat Jones", "(555) 123-4567", "pat@example.com"),
        employer=efw2.Employer("123456789", "Acme Inc", efw2.Address(delivery="1 Main St",
                                                                     city="Springfield",
                                                                     state="IL", zip="62701")),
        tax_year="2026",
        employees=[efw2.Employee("123-45-6789", "José", "Muñoz", efw2.Address(
                       delivery="2 Elm St", city="Chicago", state="IL", zip="60601"), w2a),
                   efw2.Employee("987654321", "Zoë", "Ångström", efw2.Address(), w2b)])


def test_every_record_is_512_characters_in_the_required_order():
    records = _file()
    assert [r[:2] for r in records] == ["RA", "RE", "RW", "RW", "RT", "RF"]
    assert all(len(r) == 512 for r in records)
    data = efw2.efw2_file(records)
    assert data.count(b"\r\n") == 6 and len(data) == 6 * 514


def test_required_fields_are_in_their_positions():
    ra, re_, rw, rw2, rt, rf = _file()
    assert ra[2:11] == "123456789" and ra[11:19] == "AB12CD34"  # EIN 3-11, BSO user id 12-19
    assert ra[35:37] == "98"  # software code 36-37
    assert ra[37:94].rstrip() == "ACME PAYROLL INC"  # company name 38-94
    assert ra[395:422].rstrip() == "PAT JONES" and ra[422:437].rstrip() == "5551234567"
    assert re_[2:6] == "2026" and re_[7:16] == "123456789"  # tax year 3-6, EIN 8-16
    assert re_[39:96].rstrip() == "ACME INC" and re_[173] == "N" and re_[218] == "R"
    assert rw[2:11] == "123456789"  # SSN 3-11
    assert rw[11:26].rstrip() == "JOSE" and rw[41:61].rstrip() == "MUNOZ"  # unidecode, upper
    assert rw2[11:26].rstrip() == "ZOE" and rw2[41:61].rstrip() == "ANGSTROM"
    assert rw[87:109].rstrip() == "2 ELM ST" and rw[131:133] == "IL" and rw[133:138] == "60601"
    assert rw[187:198] == "00005000000"  # box 1 in cents, 188-198
    assert rw[198:209] == "00000600050"  # box 2, 199-209
    assert rw2[209:220] == "00018450000"  # box 3 capped, 210-220
    assert rw2[231:242] == "00020050000"  # box 5 uncapped, 232-242
    assert rw[286:297] == "00000200000"  # code D, 287-297
    assert rw[462:473] == "00000720000"  # code DD, 463-473
    assert rw2[363:374] == "00000100000"  # code W, 364-374
    assert rw[487] == "1" and rw2[487] == "0"  # retirement plan indicator 488
    assert rt[2:9] == "0000002" and rf[7:16] == "000000002"


def test_rt_totals_equal_the_sum_of_the_rw_records():
    records = _file()
    rws = [r for r in records if r.startswith("RW")]
    rt = next(r for r in records if r.startswith("RT"))
    for rw_start, rt_start in ((188, 10), (199, 25), (210, 40), (221, 55), (232, 70), (243, 85),
                               *((efw2.RW_BOX12[c], efw2.RT_BOX12[c]) for c in efw2.RW_BOX12)):
        assert int(rt[rt_start - 1:rt_start + 14]) == sum(
            int(r[rw_start - 1:rw_start + 10]) for r in rws), (rw_start, rt_start)


def test_refuses_what_cannot_be_filed():
    w2 = W2Figures("2026", D("-1"), D("0"), D("0"), D("0"), D("0"), D("0"))
    with pytest.raises(efw2.Efw2Error, match="negative"):
        efw2.rw_record(efw2.Employee("", "A", "B", efw2.Address(), w2))
    with pytest.raises(efw2.Efw2Error, match="EIN"):
        efw2.efw2_records(submitter=efw2.Submitter("", "X", "A", efw2.Address(), "", "", ""),
                          employer=efw2.Employer("", "A", efw2.Address()), tax_year="2026",
                          employees=[])
