"""Due-date arithmetic: pure Python, no Django.

A task is due `offset` days from an anchor (start date or last working day); negative offsets are
before the anchor. With `business_days`, only working days are counted: Monday to Friday, minus
the public holidays passed in `public` (the employee's work country, see hrops.calendars). With
`roll_weekend`, a due date that falls on a weekend or public holiday moves forward to the next
working day, even for a negative offset (a task is never due on a day nobody works).
"""

from collections.abc import Container
from datetime import date, timedelta

from hrops.calendars import is_working_day

NO_HOLIDAYS: frozenset[date] = frozenset()


def add_business_days(anchor: date, offset: int, public: Container[date] = NO_HOLIDAYS) -> date:
    """Move `offset` working days from `anchor` (backwards when negative). Offset 0 is the anchor
    itself, even on a weekend or holiday."""
    step = timedelta(days=1 if offset >= 0 else -1)
    day = anchor
    remaining = abs(offset)
    while remaining:
        day += step
        if is_working_day(day, public):
            remaining -= 1
    return day


def roll_to_working_day(day: date, public: Container[date] = NO_HOLIDAYS) -> date:
    while not is_working_day(day, public):
        day += timedelta(days=1)
    return day


def due_date(anchor: date, offset: int, *, business_days: bool = False,
             roll_weekend: bool = False, public: Container[date] = NO_HOLIDAYS) -> date:
    if business_days:
        day = add_business_days(anchor, offset, public)
    else:
        day = anchor + timedelta(days=offset)
    return roll_to_working_day(day, public) if roll_weekend else day
