"""The ONE place a requirement's status is decided. Pure Python (no Django, no queries), so the
matrix, the dashboard, the employee tab, reminders and exports all agree.

Boundary rule: a record is valid THROUGH its expiry (or re-verification) date. Something that
expires today is still valid today ("expiring soon"); the day after, it is "expired".
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    COMPLIANT = "compliant"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    MISSING = "missing"
    PENDING = "pending_verification"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self]


STATUS_LABELS = {
    Status.COMPLIANT: "Compliant",
    Status.EXPIRING_SOON: "Expiring soon",
    Status.EXPIRED: "Expired",
    Status.MISSING: "Missing",
    Status.PENDING: "Pending verification",
}
STATUS_BADGES = {
    Status.COMPLIANT: "badge-ok",
    Status.EXPIRING_SOON: "badge-warn",
    Status.EXPIRED: "badge-bad",
    Status.MISSING: "badge-bad",
    Status.PENDING: "badge-muted",
}

DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class RecordFacts:
    """What the status needs to know about the record that counts (the latest non-rejected)."""

    verified: bool
    valid_until: date | None  # None: does not expire


def compute_status(facts: RecordFacts | None, *, today: date, window_days: int) -> Status:
    if facts is None:
        return Status.MISSING
    if not facts.verified:
        return Status.PENDING
    if facts.valid_until is None:
        return Status.COMPLIANT
    days_left = (facts.valid_until - today).days
    if days_left < 0:
        return Status.EXPIRED
    if days_left <= window_days:
        return Status.EXPIRING_SOON
    return Status.COMPLIANT


def reminder_stage(
    valid_until: date, *, today: date, offsets: tuple[int, ...]
) -> str | None:
    """The most urgent reminder stage due today for a record valid until `valid_until`.

    Offsets are days before expiry (e.g. 60, 30, 7). After expiry the stage is "expired". A
    missed day (beat down) never sends a stale, less urgent stage: only the most urgent applies.
    """
    days_left = (valid_until - today).days
    if days_left < 0:
        return "expired"
    due = [o for o in offsets if days_left <= o]
    return str(min(due)) if due else None


def add_months(start: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("unreachable")


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)
