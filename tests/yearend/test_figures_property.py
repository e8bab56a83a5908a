"""Property test (issue 16 item 4): over a generated year of finalised payslips for a few people
(a leaver, a correction and an off-cycle payment among them), P60 totals are the sums of the
year's payslips, the P45 is the to-date at leaving, W-2 boxes are sums (social security wages
capped), the W-3 is the sum of the W-2s and the EFW2 RT record is the sum of the RW records.
Pure figures (no database), so a hundred examples take well under a second each."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yearend import efw2
from yearend.figures import SlipFacts, p45_figures, p60_figures, w2_figures, w3_figures

THRESHOLDS = {"LEL": Decimal("559"), "PT": Decimal("1048"), "UEL": Decimal("4189")}
WAGE_BASE = Decimal("184500")
money = st.decimals(min_value=Decimal("0"), max_value=Decimal("30000"), places=2,
                    allow_nan=False, allow_infinity=False)


@st.composite
def uk_year(draw):
    """(slips per person, leaver id, leaving period): 12 monthly periods, person 3 leaves."""
    people = {}
    leave_after = draw(st.integers(min_value=1, max_value=11))
    for person in (1, 2, 3):
        slips, pid = [], person * 1000
        last = leave_after if person == 3 else 12
        pays = draw(st.lists(st.integers(0, 1_000_000), min_size=last, max_size=last))
        for month, amount in enumerate(pays, start=1):
            pay = Decimal(amount) / 100
            pid += 1
            slips.append(SlipFacts(pid, person, date(2026, 4, 25) + timedelta(days=30 * month),
                                   month, "regular", {
                                       "uk_taxable_pay": pay, "uk_ni_pay": pay,
                                       "uk_tax_paid": (pay / 5).quantize(Decimal("0.01")),
                                       "uk_employee_ni": (pay / 12).quantize(Decimal("0.01")),
                                       "uk_student_loan": Decimal(int(pay / 20))},
                                   tax_code="1257L", tax_period=f"Month {month}"))
        if person == 1:  # an off-cycle bonus in month 3 and a correction of month 2
            bonus = draw(money)
            slips.append(SlipFacts(pid + 1, person, slips[2].pay_date, 3, "off_cycle",
                                   {"uk_taxable_pay": bonus, "uk_ni_pay": bonus,
                                    "uk_tax_paid": bonus / 4}, tax_code="1257L"))
            delta = draw(st.decimals(min_value=Decimal("-100"), max_value=Decimal("100"),
                                     places=2))
            slips.append(SlipFacts(pid + 2, person, slips[5].pay_date, 2, "correction",
                                   {"uk_taxable_pay": delta, "uk_ni_pay": delta,
                                    "uk_tax_paid": Decimal("0")}, tax_code="OLD"))
        people[person] = slips
    return people, leave_after


def _sum(slips, key):
    return sum((s.increments.get(key, Decimal("0")) for s in slips), Decimal("0"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uk_year())
def test_p60_and_p45_are_sums_of_the_finalised_payslips(year):
    people, leave_after = year
    for slips in people.values():
        p60 = p60_figures(slips, tax_year="2026-27", thresholds=THRESHOLDS)
        assert p60.pay == _sum(slips, "uk_taxable_pay")
        assert p60.tax == _sum(slips, "uk_tax_paid")
        assert sum(r.employee_ni for r in p60.ni_rows) == _sum(slips, "uk_employee_ni")
        assert p60.student_loan == _sum(slips, "uk_student_loan")
        assert p60.final_tax_code == "1257L"  # a correction never sets the final code
        # Earnings at the LEL: the LEL once for each earnings period whose total reached it.
        periods = {}
        for s in slips:
            periods[s.period_id] = periods.get(s.period_id, Decimal("0")) + s.increments[
                "uk_ni_pay"]
        reached = sum(1 for pay in periods.values() if pay >= THRESHOLDS["LEL"])
        assert p60.ni_rows[0].at_lel == THRESHOLDS["LEL"] * reached
    leaver = people[3]
    p45 = p45_figures(leaver, tax_year="2026-27", leaving_date=leaver[-1].pay_date,
                      student_loan_continue=True)
    assert p45.total_pay_to_date == _sum(leaver, "uk_taxable_pay")
    assert p45.total_tax_to_date == _sum(leaver, "uk_tax_paid")
    assert p45.last_period == f"Month {leave_after}"


@st.composite
def us_year(draw):
    people = {}
    for person in (1, 2, 3, 4):
        slips, pid = [], person * 1000
        rich = person == 4  # over the social security wage base
        periods = 26 if person != 3 else draw(st.integers(2, 25))  # person 3 leaves
        cents = draw(st.lists(st.integers(0, 3_000_000), min_size=periods, max_size=periods))
        for period, amount in enumerate(cents, start=1):
            wages = Decimal(amount) / 100 + (Decimal("9000") if rich else 0)
            deferral = min(wages, Decimal(amount % 50_000) / 100)
            pid += 1
            slips.append(SlipFacts(pid, person, date(2026, 1, 9) + timedelta(days=14 * period),
                                   period, "regular", {
                                       "us_income_tax_wages": wages - deferral,
                                       "us_fica_wages": wages,
                                       "us_federal_income_tax": wages / 10,
                                       "us_social_security_tax": wages * Decimal("0.062"),
                                       "us_medicare_tax": wages * Decimal("0.0145")},
                                   lines=(("401K", deferral), ("HEALTH_ER", Decimal("100")))))
        if person == 1:  # a correction reverses part of the first deferral, an off-cycle bonus
            slips.append(SlipFacts(pid + 1, person, slips[3].pay_date, 1, "correction",
                                   {"us_income_tax_wages": Decimal("10"),
                                    "us_fica_wages": Decimal("0")},
                                   lines=(("401K", -min(slips[0].lines[0][1],
                                                        Decimal("10"))),)))
            slips.append(SlipFacts(pid + 2, person, slips[4].pay_date, 5, "off_cycle",
                                   {"us_income_tax_wages": Decimal("1000"),
                                    "us_fica_wages": Decimal("1000"),
                                    "us_federal_income_tax": Decimal("220")}))
        people[person] = slips
    return people


def _w2(slips):
    return w2_figures(slips, tax_year="2026", wage_base=WAGE_BASE,
                      box12_codes={"401K": "D", "HEALTH_ER": "DD"}, box14_labels={})


def _quantized(w2):
    """EFW2 money is whole cents: the generated taxes have more places."""
    from dataclasses import replace

    q = {b: getattr(w2, b).quantize(Decimal("0.01")) for b in
         ("box1", "box2", "box3", "box4", "box5", "box6")}
    return replace(w2, **q, box12=tuple((c, a.quantize(Decimal("0.01"))) for c, a in w2.box12))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(us_year())
def test_w2_w3_and_efw2_totals_are_sums(people):
    w2s = []
    for slips in people.values():
        w2 = _w2(slips)
        assert w2.box1 == _sum(slips, "us_income_tax_wages")
        assert w2.box2 == _sum(slips, "us_federal_income_tax")
        assert w2.box5 == _sum(slips, "us_fica_wages")
        assert w2.box3 == min(_sum(slips, "us_fica_wages"), WAGE_BASE)
        assert w2.box6 == _sum(slips, "us_medicare_tax")
        assert w2.box12_amount("D") == sum(a for s in slips for c, a in s.lines if c == "401K")
        w2s.append(_quantized(w2))
    assert w2s[3].box3 == WAGE_BASE  # 26 paychecks of 9,000 or more exceed the wage base
    w3 = w3_figures(w2s, tax_year="2026")
    assert w3.count == 4
    for box in ("box1", "box2", "box3", "box4", "box5", "box6"):
        assert getattr(w3, box) == sum(getattr(w, box) for w in w2s)
    assert w3.box12a == sum(w.box12_amount("D") for w in w2s)  # DD is not deferred pay
    records = efw2.efw2_records(
        submitter=efw2.Submitter("123456789", "ABCD1234", "Acme", efw2.Address(), "Pat",
                                 "5551234567", "pat@example.com"),
        employer=efw2.Employer("123456789", "Acme", efw2.Address()), tax_year="2026",
        employees=[efw2.Employee("", f"P{i}", "Person", efw2.Address(), w)
                   for i, w in enumerate(w2s)])
    assert all(len(r) == 512 for r in records)
    rw = [r for r in records if r.startswith("RW")]
    rt = next(r for r in records if r.startswith("RT"))
    for rw_start, rt_start in ((188, 10), (199, 25), (210, 40), (221, 55), (232, 70),
                               (243, 85), (287, 145), (463, 295)):
        assert int(rt[rt_start - 1:rt_start + 14]) == sum(
            int(r[rw_start - 1:rw_start + 10]) for r in rw)
