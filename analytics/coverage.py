"""Compliance coverage over time (issue 15 item 3): of the requirement cells that applied at the
end of each month, the share that was compliant then. Expiries ahead (30 / 60 / 90 days) are
on the compliance dashboard already (compliance.selectors_stored).

Definitions (stated on the page):
- The cells are today's requirement cells (compliance.ComplianceStatus: the rules in force now;
  rules are not effective-dated), leavers' cells included, policy acknowledgements left out
  (they are versioned acknowledgements, not dated records).
- A cell is required at a month's end when its person was employed that day.
- It is compliant then when a verified record of it was completed (issued, checked) on or
  before that day and does not expire before it (no expiry: valid from then on).
The nightly snapshot_refresh stores the figures (ComplianceCoverageSnapshot); this module is
also the live computation the test compares them with.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from analytics.metrics import month_end
from compliance.models import ComplianceRecord, ComplianceStatus, RequirementKind
from employees.models import Employment
from payroll.engine.money import quantize

ONE_DP = Decimal("0.1")
CHOICES = (12, 24, 60)  # months of coverage a page or saved report shows


def months_count(wanted: str) -> int:
    return int(wanted) if wanted.isdigit() and int(wanted) in CHOICES else 24


@dataclass(frozen=True, slots=True)
class CoverageMonth:
    month: date
    required: int
    compliant: int

    @property
    def percent(self) -> Decimal | None:
        if not self.required:
            return None
        # A reporting figure: half up to one decimal place.
        return quantize(Decimal(self.compliant) * 100 / self.required, ONE_DP,
                        rounding=ROUND_HALF_UP)


def coverage_live(months: list[date]) -> list[CoverageMonth]:
    """Three queries, then one pass over cells x their records (the nightly job's work)."""
    ends = [month_end(m) for m in months]
    employed: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for pk, start, end in Employment.objects.values_list("employee_id", "start_date",
                                                         "end_date"):
        employed[pk].append((start, end))
    valid: dict[tuple[int, int], list[tuple[date, date | None]]] = defaultdict(list)
    for pk, type_id, done, created, expires in ComplianceRecord.objects.filter(
            verification=ComplianceRecord.Verification.VERIFIED).values_list(
            "employee_id", "requirement_type_id", "completed_on", "created_at", "expires_on"):
        valid[(pk, type_id)].append((done or created.date(), expires))
    required, compliant = [0] * len(ends), [0] * len(ends)
    cells = ComplianceStatus.objects.exclude(
        requirement_type__kind=RequirementKind.POLICY).values_list(
        "employee_id", "requirement_type_id")
    for pk, type_id in cells:
        spans, records = employed.get(pk, ()), valid.get((pk, type_id), ())
        for i, day in enumerate(ends):
            if not any(s <= day and (e is None or e >= day) for s, e in spans):
                continue
            required[i] += 1
            if any(f <= day and (x is None or x >= day) for f, x in records):
                compliant[i] += 1
    return [CoverageMonth(m, r, c) for m, r, c in zip(months, required, compliant, strict=True)]


def coverage_stored(months: list[date]) -> list[CoverageMonth] | None:
    """The stored figures when the snapshot holds every month asked for (else None: live)."""
    from analytics.models import ComplianceCoverageSnapshot

    rows = {r.month: r for r in ComplianceCoverageSnapshot.objects.filter(month__in=months)}
    if len(rows) != len(months):
        return None
    return [CoverageMonth(m, rows[m].required, rows[m].compliant) for m in months]


def coverage(months: list[date]) -> list[CoverageMonth]:
    return coverage_stored(months) or coverage_live(months)
