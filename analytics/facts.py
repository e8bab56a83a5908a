"""The effective-dated record as plain facts: each employment period ("stint") with the job
records of its person, loaded in two queries for any number of people. Metrics are computed
from these in Python (analytics.metrics), so one definition serves every date and month."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from employees.models import Employment, JobRecord

# Termination reasons by kind of turnover (stated on the page and in tests/analytics).
VOLUNTARY = frozenset({Employment.TerminationReason.RESIGNATION,
                       Employment.TerminationReason.RETIREMENT})
INVOLUNTARY = frozenset({Employment.TerminationReason.DISMISSAL,
                         Employment.TerminationReason.REDUNDANCY,
                         Employment.TerminationReason.END_OF_CONTRACT})
LEAVER_KINDS = ("voluntary", "involuntary", "other")


def leaver_kind(reason: str) -> str:
    if reason in VOLUNTARY:
        return "voluntary"
    if reason in INVOLUNTARY:
        return "involuntary"
    return "other"  # mutual agreement, death in service, other, not recorded


@dataclass(frozen=True, slots=True)
class Job:
    effective: date
    department_id: int
    location_id: int
    country: str
    employment_type: str
    fte: Decimal
    manager_id: int | None
    job_title_id: int
    weekly_hours: Decimal | None = None

    @property
    def dims(self) -> tuple[int, int, str, str]:
        return (self.department_id, self.location_id, self.country, self.employment_type)


@dataclass(slots=True)
class Stint:
    """One employment period of one person, with that person's job history."""

    employee_id: int
    start: date
    end: date | None  # last working day
    reason: str
    jobs: list[Job] = field(default_factory=list)
    _dates: list[date] = field(default_factory=list, repr=False)

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def job_on(self, day: date) -> Job | None:
        """The job record in force on `day`; before the first record, the first one (a record
        entered a little after the start date still describes the start)."""
        if not self.jobs:
            return None
        index = bisect_right(self._dates, day) - 1
        return self.jobs[max(index, 0)]

    @property
    def kind(self) -> str:
        return leaver_kind(self.reason)


def stints_load(employee_ids: Iterable[int] | None = None) -> list[Stint]:
    """Every employment period (of these people, or of everyone). Two queries."""
    employments = Employment.objects.all()
    records = JobRecord.objects.all()
    if employee_ids is not None:
        ids = list(employee_ids)
        employments = employments.filter(employee_id__in=ids)
        records = records.filter(employee_id__in=ids)
    jobs: dict[int, list[Job]] = defaultdict(list)
    for row in records.order_by("employee_id", "effective_date").values_list(*JOB_COLUMNS):
        jobs[row[0]].append(Job(*row[1:]))
    stints = []
    for employee_id, start, end, reason in employments.order_by(
            "employee_id", "start_date").values_list(
            "employee_id", "start_date", "end_date", "termination_reason"):
        own = jobs.get(employee_id, [])
        stints.append(Stint(employee_id, start, end, reason or "", own,
                            [job.effective for job in own]))
    return stints


JOB_COLUMNS = ("employee_id", "effective_date", "department_id", "location_id",
               "location__country", "employment_type", "fte", "manager_id", "job_title_id",
               "weekly_hours")


def jobs_in_force(day: date, *, department_ids=None, location_id=None, country: str = "",
                  employment_type: str = "", employee_ids=None) -> dict[int, Job]:
    """employee id -> the job record in force on `day`, filtered in SQL. One query (an
    anti-join on the (employee, effective date) index), one row per person."""
    later = JobRecord.objects.filter(employee_id=OuterRef("employee_id"),
                                     effective_date__gt=OuterRef("effective_date"),
                                     effective_date__lte=day)
    qs = JobRecord.objects.filter(effective_date__lte=day).filter(~Exists(later))
    if department_ids is not None:
        qs = qs.filter(department_id__in=department_ids)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if country:
        qs = qs.filter(location__country=country)
    if employment_type:
        qs = qs.filter(employment_type=employment_type)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    return {row[0]: Job(*row[1:]) for row in qs.values_list(*JOB_COLUMNS)}


def stints_on(day: date, jobs: dict[int, Job]) -> list[Stint]:
    """The employment periods open on `day` of the people in `jobs`, each with that one job.
    One query."""
    open_on = Employment.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day))
    out = []
    for employee_id, start, end, reason in open_on.values_list(
            "employee_id", "start_date", "end_date", "termination_reason").iterator(
            chunk_size=5000):
        job = jobs.get(employee_id)
        if job is not None:
            out.append(Stint(employee_id, start, end, reason or "", [job], [job.effective]))
    return out


def _stints_where(condition: Q, employee_ids: Iterable[int] | None) -> list[Stint]:
    """Every employment period, with its job history, of the people with an employment
    matching `condition`. Three queries."""
    # order_by(): Employment's default ordering would join the employee table for nothing.
    ids = Employment.objects.filter(condition).order_by()
    if employee_ids is not None:
        ids = ids.filter(employee_id__in=list(employee_ids))
    wanted = set(ids.values_list("employee_id", flat=True))
    return stints_load(wanted) if wanted else []


def stints_between(field_name: str, first: date, last: date,
                   employee_ids: Iterable[int] | None = None) -> list[Stint]:
    """Employment periods whose start (field_name="start_date") or last day ("end_date") falls
    between first and last, with their people's whole job history."""
    def day(s: Stint) -> date | None:
        return s.start if field_name == "start_date" else s.end

    found = _stints_where(Q(**{f"{field_name}__range": (first, last)}), employee_ids)
    return [s for s in found if day(s) is not None and first <= day(s) <= last]


def stints_starting_or_ending(first: date, last: date,
                              employee_ids: Iterable[int] | None = None) -> list[Stint]:
    """Employment periods that start or end (last working day) between first and last, once
    each, with their people's whole job history."""
    found = _stints_where(Q(start_date__range=(first, last)) | Q(end_date__range=(first, last)),
                          employee_ids)
    return [s for s in found
            if first <= s.start <= last or (s.end is not None and first <= s.end <= last)]
