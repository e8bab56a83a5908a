"""The people behind a number (drill-down), only those the viewer may see."""

from dataclasses import dataclass
from datetime import date, timedelta

from analytics import metrics
from analytics.facts import LEAVER_KINDS, Stint, stints_between
from analytics.metrics import Filters, month_end
from analytics.reports import UPCOMING_DAYS
from employees.access import employees_visible_to
from employees.models import (
    Department,
    Employee,
    Employment,
    EmploymentType,
    JobTitle,
    Location,
)

METRICS = ("headcount", "hires", "leavers", "tenure", "starts", "leaves", "contract_ends")


@dataclass(frozen=True)
class Person:
    employee: Employee
    stint: Stint
    department: str
    job_title: str
    location: str
    employment_type: str
    reason: str


def drill_stints(filters: Filters, metric: str, *, as_of: date, month: date | None,
                 kind: str = "") -> list[tuple[Stint, date]]:
    """(stint, the day its attributes are read) behind a hires, leavers or upcoming number
    (a few people; headcount and tenure are paged in SQL: headcount_people)."""
    if metric in ("hires", "leavers") and month is not None:
        last = min(month_end(month), as_of)
        field_name = "start_date" if metric == "hires" else "end_date"
        stints = stints_between(field_name, month, last, filters.employee_ids)
        picked = (metrics.hires_in if metric == "hires" else metrics.leavers_in)(
            stints, month, last, filters)
        if metric == "leavers" and kind in LEAVER_KINDS:
            picked = [s for s in picked if s.kind == kind]
        return [(s, s.start if metric == "hires" else s.end) for s in picked]
    if metric in ("starts", "leaves", "contract_ends"):
        first, last = as_of + timedelta(days=1), as_of + timedelta(days=UPCOMING_DAYS)
        ahead = (stints_between("start_date", first, last, filters.employee_ids)
                 + stints_between("end_date", first, last, filters.employee_ids))
        unique = list({(s.employee_id, s.start): s for s in ahead}.values())
        picked = metrics.upcoming(unique, as_of, UPCOMING_DAYS, filters)[metric]
        return [(s, s.start if metric == "starts" else s.end) for s in picked]
    return []


def drill_people(viewer, found: list[tuple[Stint, date]], *, offset: int = 0,
                 limit: int | None = None) -> tuple[int, list[Person]]:
    """(how many the viewer may see, the rows of this slice, by name): four queries (the
    visible people in order, their records, reference names)."""
    wanted = {s.employee_id for s, _ in found}
    order = list(employees_visible_to(viewer).filter(pk__in=wanted).order_by(
        "legal_last_name", "legal_first_name", "pk").values_list("pk", flat=True))
    page = order[offset:None if limit is None else offset + limit]
    employees = Employee.objects.in_bulk(page)
    names = {
        "department": dict(Department.objects.values_list("pk", "name")),
        "location": dict(Location.objects.values_list("pk", "name")),
        "title": dict(JobTitle.objects.values_list("pk", "name")),
    }
    reasons = dict(Employment.TerminationReason.choices)
    types = dict(EmploymentType.choices)
    by_employee = {s.employee_id: (s, day) for s, day in found}
    rows = []
    for pk in page:
        s, day = by_employee[pk]
        job = s.job_on(day)
        rows.append(Person(
            employees[pk], s,
            names["department"].get(job.department_id, "") if job else "",
            names["title"].get(job.job_title_id, "") if job else "",
            names["location"].get(job.location_id, "") if job else "",
            str(types.get(job.employment_type, "")) if job else "",
            str(reasons.get(s.reason, "")) if s.end else ""))
    return len(order), rows


def headcount_people(viewer, filters: Filters, day: date, *, band: str = "", offset: int = 0,
                     limit: int | None = None) -> tuple[int, list[Person]]:
    """The people behind a headcount or tenure number, paged in SQL (20,000 people are never
    loaded for a page of 100). `filters` carries the viewer's scope; the page is checked
    against employees.access again."""
    from analytics.asof import people_page

    total, rows = people_page(day, filters, band=band, offset=offset, limit=limit)
    allowed = set(employees_visible_to(viewer).filter(pk__in=[r[0] for r in rows])
                  .values_list("pk", flat=True))
    employees = Employee.objects.in_bulk(allowed)
    names = {
        "department": dict(Department.objects.values_list("pk", "name")),
        "location": dict(Location.objects.values_list("pk", "name")),
        "title": dict(JobTitle.objects.values_list("pk", "name")),
    }
    types = dict(EmploymentType.choices)
    people = [Person(employees[pk], Stint(pk, start, end, reason or ""),
                     names["department"].get(dept, ""), names["title"].get(title, ""),
                     names["location"].get(loc, ""), str(types.get(kind, "")), "")
              for pk, start, end, reason, dept, title, loc, kind in rows if pk in employees]
    return total, people
