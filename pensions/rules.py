"""The auto-enrolment rules, as pure functions (no database).

- Worker categories, Pensions Act 2008 ss.1, 3, 4, 7, 8 and TPR detailed guidance no. 3
  ("Assessing the workforce"): eligible jobholder = aged 22 or over and under state pension age,
  earnings in the pay reference period MORE than the earnings trigger; non-eligible jobholder =
  aged 16 to 74 with earnings more than the lower limit of qualifying earnings who is not
  eligible; entitled worker = aged 16 to 74 with earnings at or below that lower limit.
- The worker who turns 22 during the pay reference period becomes an eligible jobholder on the
  birthday (the automatic enrolment date); ages are otherwise taken on the first day of the
  period (the assessment date TPR uses for a pay reference period).
- Thresholds per pay period: payroll.engine.statutory.auto_enrolment (DWP 2026/27 review, TPR's
  per-period table).
- State pension age: Pensions Act 1995 Sch.4 as amended by the Pensions Act 2011 s.26 (66 for
  people born 6 October 1954 to 5 April 1960) and the Pensions Act 2014 s.26 / Pensions Act 2007
  (66 years and 1..11 months for people born 6 April 1960 to 5 March 1961, then 67). The rise to
  68 (Pensions Act 2007, people born on or after 6 April 1977) is applied as 68 from 6 April 1978
  and 67 plus the phased months is not modelled: it decides nothing before 2043.
- Opt-out window: one month from the later of the enrolment date and the date the enrolment
  information was given (Occupational and Personal Pension Schemes (Automatic Enrolment)
  Regulations 2010, reg. 9(3)).
- Postponement: up to three months from the deferral date (Pensions Act 2008 s.4).
- Re-enrolment: a date the employer chooses within three months either side of the third
  anniversary of the duties start date (reg. 12 of the 2010 Regulations).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from payroll.engine.statutory.auto_enrolment import band_for

ELIGIBLE, NON_ELIGIBLE, ENTITLED, OUTSIDE = "eligible", "non_eligible", "entitled", "outside"
MAX_POSTPONEMENT = relativedelta(months=3)


def state_pension_age_date(dob: date) -> date:
    if dob < date(1954, 10, 6):
        return dob + relativedelta(years=65)  # only decides who is already past it
    if dob < date(1960, 4, 6):
        return dob + relativedelta(years=66)
    if dob <= date(1961, 3, 5):
        # Pensions Act 2014 s.26 table: born 6 Apr-5 May 1960 -> 66y 1m ...
        # born 6 Feb-5 Mar 1961 -> 66y 11m.
        months = (dob.year - 1960) * 12 + dob.month - 4 + (1 if dob.day >= 6 else 0)
        return dob + relativedelta(years=66, months=months)
    if dob < date(1978, 4, 6):
        return dob + relativedelta(years=67)
    return dob + relativedelta(years=68)


def age_on(dob: date, day: date) -> int:
    return relativedelta(day, dob).years


def categorise(*, dob: date, start: date, end: date, earnings, frequency: str
               ) -> tuple[str, date, int]:
    """(category, the date it takes effect, age used) for one pay reference period."""
    band = band_for(frequency)
    if band is None:
        raise ValueError(f"no auto-enrolment thresholds for {frequency} pay")
    on = start
    birthday_22 = dob + relativedelta(years=22)
    if start < birthday_22 <= end:
        on = birthday_22
    age = age_on(dob, on)
    if age < 16 or age >= 75:
        return OUTSIDE, on, age
    if age >= 22 and on < state_pension_age_date(dob) and earnings > band.trigger:
        return ELIGIBLE, on, age
    if earnings > band.lower:
        return NON_ELIGIBLE, start, age_on(dob, start)
    return ENTITLED, start, age_on(dob, start)


def opt_out_deadline(enrolled_on: date, letter_on: date) -> date:
    return max(enrolled_on, letter_on) + relativedelta(months=1)


def reenrolment_window(duties_start: date) -> tuple[date, date]:
    third = duties_start + relativedelta(years=3)
    return third - relativedelta(months=3), third + relativedelta(months=3)


def timedelta_days(days: int):
    return relativedelta(days=days)
