"""The UK gender pay gap arithmetic (analytics.gpg_rules, no database), hand-checked.

SI 2017/172 = the Equality Act 2010 (Gender Pay Gap Information) Regulations 2017.
"""

from decimal import Decimal

from analytics.gpg_rules import (
    NO_HOURS,
    NO_PAYSLIP,
    NOT_MAN_OR_WOMAN,
    ON_LEAVE,
    BonusPaid,
    PayGapPerson,
    band_sizes,
    figures,
    hourly_rate,
    prorated_bonus,
    to_decimal,
)

D = Decimal


def someone(key, gender, hourly="10", *, bonus_year="0", **kw) -> PayGapPerson:
    """A person whose hourly rate is `hourly`: a 7-day pay period paying hourly x 35 for a
    35-hour week (x 7 / 7 / 35 = hourly)."""
    ordinary = kw.pop("ordinary", D(hourly) * 35)
    return PayGapPerson(key=key, label=f"E{key:03d}", gender=gender, ordinary=ordinary,
                        period_days=7, weekly_hours=kw.pop("weekly_hours", D("35")),
                        bonus_12_months=D(bonus_year), **kw)


def test_hourly_rate_of_a_monthly_salary_reg_6():
    # given: April (30 days) pays ordinary pay 2,000.00; the contract says 37.5 hours a week
    # when: reg. 6(1) x 7 / days in the pay period / weekly working hours (reg. 7)
    rate = hourly_rate(D("2000.00"), D("0"), 30, D("37.5"))
    # then: 2,000 x 7 = 14,000; / 30 = 466.666..; / 37.5 = 12.4444..
    assert to_decimal(rate, D("0.0001")) == D("12.4444")


def test_part_time_hourly_rate_is_the_full_time_rate():
    # part-time on 60% of a 37.5-hour week and 60% of the pay: the same hourly rate
    full = hourly_rate(D("2000.00"), D("0"), 30, D("37.5"))
    part = hourly_rate(D("1200.00"), D("0"), 30, D("22.5"))
    assert full == part


def test_bonus_for_a_longer_period_is_pro_rated_reg_6():
    # an annual bonus of 1,200 paid in a 30-day pay period: 1,200 / 365 x 30 = 98.6301..
    annual = BonusPaid(D("1200.00"), period_days=365)
    assert to_decimal(prorated_bonus(annual, 30), D("0.0001")) == D("98.6301")
    # a bonus for the pay period itself (or a shorter one) counts whole
    assert prorated_bonus(BonusPaid(D("100.00")), 30) == D("100.00")
    assert prorated_bonus(BonusPaid(D("100.00"), period_days=7), 30) == D("100.00")
    # and enters the hourly rate: (2,000 + 98.6301..) x 7 / 30 / 37.5 = 13.0581..
    person = PayGapPerson(key=1, label="E1", gender="woman", ordinary=D("2000.00"),
                          period_days=30, weekly_hours=D("37.5"), bonuses=(annual,))
    (row,) = figures([person]).rows
    assert to_decimal(row.hourly, D("0.0001")) == D("13.0581")


def test_mean_and_median_hourly_gaps_regs_8_and_9():
    # men 10, 20, 30 (mean 20, median 20); women 9, 12, 18, 21 (mean 15, median 15)
    people = [someone(1, "man", "10"), someone(2, "man", "20"), someone(3, "man", "30"),
              someone(4, "woman", "9"), someone(5, "woman", "12"), someone(6, "woman", "18"),
              someone(7, "woman", "21")]
    f = figures(people)
    # (A - B) / A x 100 = (20 - 15) / 20 x 100 = 25.0 for both
    assert (f.mean_gap, f.median_gap) == (D("25.0"), D("25.0"))
    assert (f.full_pay_men, f.full_pay_women) == (3, 4)


def test_a_negative_gap_when_women_are_paid_more_and_rounding_to_one_place():
    # men 12 and 15 (mean 13.5); women 14 (mean 14): (13.5 - 14) / 13.5 = -3.7037..% -> -3.7
    f = figures([someone(1, "man", "12"), someone(2, "man", "15"), someone(3, "woman", "14")])
    assert f.mean_gap == D("-3.7")


def test_bonus_gaps_and_proportions_regs_10_to_12():
    # men: bonuses 1,000 and 3,000, two without; women: 500, two without
    people = [someone(1, "man", bonus_year="1000"), someone(2, "man", bonus_year="3000"),
              someone(3, "man"), someone(4, "man"),
              someone(5, "woman", bonus_year="500"), someone(6, "woman"), someone(7, "woman")]
    f = figures(people)
    # only those paid a bonus: men mean = median = 2,000; women 500 -> (2,000 - 500) / 2,000
    assert (f.mean_bonus_gap, f.median_bonus_gap) == (D("75.0"), D("75.0"))
    # 2 of 4 men, 1 of 3 women (33.33..% -> 33.3)
    assert (f.men_bonus_percent, f.women_bonus_percent) == (D("50.0"), D("33.3"))


def test_people_on_reduced_pay_for_leave_count_for_bonus_only():
    # the woman on unpaid leave has a low rate that would widen the gap: she is left out of
    # the hourly figures (not a full-pay relevant employee) but her bonus counts (reg. 1(2))
    people = [someone(1, "man", "20"), someone(2, "woman", "20"),
              someone(3, "woman", "5", reduced_for_leave=True, bonus_year="400")]
    f = figures(people)
    assert f.mean_gap == D("0.0") and f.full_pay_women == 1
    assert f.women_bonus_percent == D("50.0") and f.men_bonus_percent == D("0.0")
    assert f.rows[2].reason == ON_LEAVE and f.rows[2].quartile is None


def test_quartile_sizes_are_as_equal_as_possible_reg_13_step_2():
    assert band_sizes(8) == [2, 2, 2, 2]
    assert band_sizes(5) == [2, 1, 1, 1]
    assert band_sizes(7) == [2, 2, 2, 1]
    assert band_sizes(3) == [1, 1, 1, 0]


def test_quartiles_split_a_tie_at_a_boundary_by_gender_reg_13_2():
    # 8 people, 2 a quarter; 4 on 10.00 (2 men, 2 women) straddle lower / lower middle.
    # Ranked by employee key they would be M M | W W (100% / 0%, then 0% / 100%); reg. 13(2)
    # makes the proportion of men on that rate the same in both: 50% each.
    people = [someone(1, "man", "10"), someone(2, "man", "10"), someone(3, "woman", "10"),
              someone(4, "woman", "10"), someone(5, "man", "20"), someone(6, "woman", "30"),
              someone(7, "man", "40"), someone(8, "woman", "50")]
    f = figures(people)
    assert [(band, men, women, n) for band, men, women, n in f.quartiles] == [
        ("Lower", D("50.0"), D("50.0"), 2), ("Lower middle", D("50.0"), D("50.0"), 2),
        ("Upper middle", D("50.0"), D("50.0"), 2), ("Upper", D("50.0"), D("50.0"), 2)]


def test_quartiles_of_an_unequal_workforce():
    # rates: W8 W9 M10 W11 M12 M13 M14 W15 M16 (n = 9: bands of 3, 2, 2, 2)
    people = [someone(1, "woman", "8"), someone(2, "woman", "9"), someone(3, "man", "10"),
              someone(4, "woman", "11"), someone(5, "man", "12"), someone(6, "man", "13"),
              someone(7, "man", "14"), someone(8, "woman", "15"), someone(9, "man", "16")]
    bands = figures(people).quartiles
    # lower W W M: men 1/3 = 33.3, women 66.7; lower middle W M; upper middle M M; upper W M
    assert [(men, women, n) for _, men, women, n in bands] == [
        (D("33.3"), D("66.7"), 3), (D("50.0"), D("50.0"), 2), (D("100.0"), D("0.0"), 2),
        (D("50.0"), D("50.0"), 2)]


def test_no_women_and_no_bonuses():
    f = figures([someone(1, "man", "10"), someone(2, "man", "20")])
    assert (f.mean_gap, f.median_gap, f.mean_bonus_gap, f.median_bonus_gap) == (
        None, None, None, None)
    assert (f.men_bonus_percent, f.women_bonus_percent) == (D("0.0"), None)
    assert [b[2] for b in f.quartiles] == [D("0.0"), D("0.0"), None, None]


def test_reasons_someone_is_left_out_of_the_hourly_figures():
    people = [someone(1, ""), someone(2, "man", ordinary=None), someone(3, "woman",
                                                                         weekly_hours=None)]
    assert [r.reason for r in figures(people).rows] == [NOT_MAN_OR_WOMAN, NO_PAYSLIP, NO_HOURS]


def test_fewer_than_250_relevant_employees_is_not_required():
    assert not figures([someone(k, "man") for k in range(249)]).required
    assert figures([someone(k, "man") for k in range(250)]).required
