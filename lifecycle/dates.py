"""Due-date arithmetic: pure Python, no Django.

A task is due `offset` days from an anchor (start date or last working day); negative offsets are
before the anchor. With `business_days`, only Monday-Friday are counted (public holidays are not
known here). With `roll_weekend`, a due date that falls on a Saturday or Sunday moves forward to the
Monday, even for a negative offset (a task is never due on a day nobody works).
"""

from datetime import date, timedelta

SATURDAY = 5


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


def add_business_days(anchor: date, offset: int) -> date:
    """Move `offset` working days from `anchor` (backwards when negative). Offset 0 is the anchor
    itself, even on a weekend."""
    step = timedelta(days=1 if offset >= 0 else -1)
    day = anchor
    remaining = abs(offset)
    while remaining:
        day += step
        if not is_weekend(day):
            remaining -= 1
    return day


def roll_to_monday(day: date) -> date:
    while is_weekend(day):
        day += timedelta(days=1)
    return day


def due_date(anchor: date, offset: int, *, business_days: bool = False,
             roll_weekend: bool = False) -> date:
    day = add_business_days(anchor, offset) if business_days else anchor + timedelta(days=offset)
    return roll_to_monday(day) if roll_weekend else day
