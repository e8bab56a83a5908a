"""Reads for the directory, the org chart and the profile overview. Every list here is one query
for its rows (select_related), whatever the page size."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat, Upper
from django.utils import timezone

from accounts.roles import is_hr
from employees.access import employees_visible_to, sees_colleagues, sees_everyone
from employees.hooks import record_extensions
from employees.models import CompensationRecord, Department, Employee, JobRecord, Location
from employees.selectors import employee_for_user, manager_chain, with_leaving_on

SORTS = {
    "name": ("legal_last_name", "legal_first_name", "id"),
    "-name": ("-legal_last_name", "-legal_first_name", "-id"),
    "number": ("employee_number",),
    "-number": ("-employee_number",),
    "hire_date": ("hire_date", "id"),
    "-hire_date": ("-hire_date", "-id"),
    "department": ("department__name", "legal_last_name", "legal_first_name", "id"),
    "-department": ("-department__name", "legal_last_name", "legal_first_name", "id"),
}
# Keep in step with the trigram index (employees/migrations/0007_everyday.py).
SEARCH_FIELDS = ("legal_first_name", "legal_last_name", "preferred_name", "work_email",
                 "employee_number", "personal_email")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    department: Department | None = None
    location: Location | None = None
    status: str = ""
    employment_type: str = ""
    manager_number: str = ""
    sort: str = "name"
    include_leavers: bool = False
    custom_field: str = ""  # a field kept by an app above (employees.hooks.RecordExtension)
    custom_value: str = ""


def search_document():
    """UPPER(first || ' ' || last || ' ' || preferred || ' ' || work email || ' ' || number ||
    ' ' || personal email): the expression the trigram GIN index of migration 0007 is built on
    (keep the two identical)."""
    parts: list = []
    for name in SEARCH_FIELDS:
        parts += [Coalesce(F(name), Value("")), Value(" ")]
    return Upper(Concat(*parts[:-1], output_field=TextField()))


def search_condition(q: str) -> Q:
    """Every word must appear in the name, preferred name, work or personal email or number
    ("jane smi").
    One LIKE per word on the indexed search document (served by the trigram index on
    PostgreSQL)."""
    condition = Q()
    for term in q.split()[:5]:
        condition &= Q(search_doc__contains=term.upper())
    return condition


def directory_queryset(viewer, filters: DirectoryFilters) -> QuerySet[Employee]:
    qs = with_leaving_on(employees_visible_to(viewer).select_related(
        "department", "location", "job_title", "manager"
    ))
    if filters.q.strip():
        qs = qs.alias(search_doc=search_document()).filter(search_condition(filters.q))
    if filters.department is not None:
        qs = qs.filter(department=filters.department)
    if filters.location is not None:
        qs = qs.filter(location=filters.location)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif not filters.include_leavers:
        qs = qs.exclude(status=Employee.Status.TERMINATED)
    if filters.employment_type:
        qs = qs.filter(employment_type=filters.employment_type)
    if filters.manager_number.strip():
        qs = qs.filter(manager__employee_number__iexact=filters.manager_number.strip())
    if filters.custom_field and filters.custom_value.strip():
        for extension in record_extensions():
            qs = extension.directory_filter(viewer, qs, filters.custom_field,
                                            filters.custom_value)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


class DeferredJoinPaginator(Paginator):
    """Pages of a directory queryset picked on ids first ("deferred join"): the OFFSET walks a
    lean query of the employee table only, then just the page's rows are loaded with their
    joins and annotations. A plain OFFSET 9,950 built every skipped row's joins and leaving-on
    subquery (89 ms at page 200 of 20,000 people); this stays near the first page's time.
    `count`, when the caller knows it already (a stored summary), saves the COUNT query."""

    def __init__(self, object_list, per_page, *, count: int | None = None,
                 plain_first_page: bool = False, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property
        # With no rows to skip, one query with its joins (LIMIT n) is cheaper than two.
        self.plain_first_page = plain_first_page

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if number == 1 and self.plain_first_page:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {e.pk: e for e in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def sees_compensation_of_all(viewer) -> bool:
    """True when every employee the viewer can list may have their pay shown to them: HR and
    payroll; a manager granted team compensation (they see their own pay anyway)."""
    return sees_everyone(viewer) or viewer.has_perm("employees.view_team_compensation")


def with_compensation_history(qs: QuerySet[Employee], on: date) -> QuerySet[Employee]:
    """Prefetch each employee's pay records in force by `on`, newest first, as `pay_history`
    (one extra query per chunk of rows when iterated with a chunk size)."""
    return qs.prefetch_related(Prefetch(
        "compensation_records",
        queryset=CompensationRecord.objects.filter(effective_date__lte=on)
        .select_related("pay_schedule").order_by("-effective_date"),
        to_attr="pay_history",
    ))


# Org chart ---------------------------------------------------------------------------------

ORG_CARD_RELATED = ("job_title", "department", "photo")
ORG_SEARCH_LIMIT = 20


def _org_cards(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    """Current people as org chart boxes: title, department, photo (or none) and how many
    current reports each has, in the one query."""
    live = ~Q(direct_reports__status=Employee.Status.TERMINATED)
    return (qs.exclude(status=Employee.Status.TERMINATED).select_related(*ORG_CARD_RELATED)
            .annotate(report_count=Count("direct_reports", filter=live)))


def org_reports(manager: Employee) -> list[Employee]:
    """Current direct reports of `manager`, with how many reports each has in turn."""
    return list(_org_cards(Employee.objects.filter(manager=manager))
                .order_by("legal_last_name", "legal_first_name", "id"))


def org_roots() -> list[Employee]:
    """People at the top: nobody above them."""
    return list(_org_cards(Employee.objects.filter(manager__isnull=True))
                .order_by("-report_count", "legal_last_name")[:50])


def work_search_condition(q: str) -> Q:
    """Every word in the name, preferred name or work email: the fields every colleague may
    see (personal email and number are not searched, so a search cannot reveal them)."""
    condition = Q()
    for term in q.split()[:5]:
        condition &= (Q(legal_first_name__icontains=term) | Q(legal_last_name__icontains=term)
                      | Q(preferred_name__icontains=term) | Q(work_email__icontains=term))
    return condition


def org_search(q: str, scope: set[int] | None) -> list[Employee]:
    """Up to ORG_SEARCH_LIMIT current people matching `q`, within `scope` (None: anyone)."""
    if not q.strip():
        return []
    qs = Employee.objects.filter(work_search_condition(q))
    if scope is not None:
        qs = qs.filter(pk__in=scope)
    return list(_org_cards(qs).order_by("legal_last_name", "legal_first_name", "id")
                [:ORG_SEARCH_LIMIT])


def org_chain(employee: Employee) -> list[Employee]:
    """Managers of `employee`, top first (one query per level; org charts are shallow)."""
    chain: list[Employee] = []
    seen = {employee.pk}
    manager_id = employee.manager_id
    while manager_id is not None and manager_id not in seen:
        manager = (Employee.objects.select_related(*ORG_CARD_RELATED)
                   .filter(pk=manager_id).first())
        if manager is None:
            break
        chain.append(manager)
        seen.add(manager.pk)
        manager_id = manager.manager_id
    return list(reversed(chain))


# Profile overview --------------------------------------------------------------------------

def upcoming_job_changes(employee: Employee, today: date | None = None) -> list[JobRecord]:
    today = today or timezone.localdate()
    return list(
        JobRecord.objects.filter(employee=employee, effective_date__gt=today)
        .select_related("job_title", "department", "location", "manager")
        .order_by("effective_date")
    )


def upcoming_compensation_changes(
    employee: Employee, today: date | None = None
) -> list[CompensationRecord]:
    today = today or timezone.localdate()
    return list(
        CompensationRecord.objects.filter(employee=employee, effective_date__gt=today)
        .select_related("pay_schedule").order_by("effective_date")
    )


def job_timeline(employee: Employee) -> list[JobRecord]:
    return list(
        JobRecord.objects.filter(employee=employee)
        .select_related("job_title", "department", "location", "manager", "created_by")
        .order_by("-effective_date")
    )


def compensation_timeline(employee: Employee) -> list[CompensationRecord]:
    """Pay records newest first, each with `change_pct`: the % change from the step before it
    (None for the first, or when basis or currency changed, so the two do not compare)."""
    records = list(
        CompensationRecord.objects.filter(employee=employee)
        .select_related("pay_schedule", "created_by").order_by("-effective_date")
    )
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        record.change_pct = pay_step_pct(previous, record)
    return records


def pay_step_pct(before: CompensationRecord | None, after: CompensationRecord) -> Decimal | None:
    """% change of pay from `before` to `after`, for display: ROUND_HALF_UP to one decimal
    (a figure shown to people, not money paid)."""
    if before is None or before.basis != after.basis or before.currency != after.currency:
        return None
    old = before.annual_salary if before.basis == "salary" else before.hourly_rate
    new = after.annual_salary if after.basis == "salary" else after.hourly_rate
    if not old or new is None:
        return None
    return ((new - old) * 100 / old).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Staff home --------------------------------------------------------------------------------

def starting_soon(days: int = 30, today: date | None = None) -> list[Employee]:
    today = today or timezone.localdate()
    return list(
        Employee.objects.filter(status=Employee.Status.PRE_HIRE,
                                hire_date__range=(today, today + timedelta(days=days)))
        .select_related("job_title", "department").order_by("hire_date")[:10]
    )


def leaving_soon(days: int = 30, today: date | None = None) -> list[Employee]:
    """Current staff whose last working day falls in the next `days` days."""
    today = today or timezone.localdate()
    return list(
        with_leaving_on(Employee.objects.filter(
            status__in=[Employee.Status.ACTIVE, Employee.Status.ON_LEAVE],
            employments__end_date__range=(today, today + timedelta(days=days)),
        ).select_related("job_title").distinct()).order_by("leaving_on", "legal_last_name")[:10]
    )


def upcoming_changes_count(days: int = 30, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return JobRecord.objects.filter(
        effective_date__gt=today, effective_date__lte=today + timedelta(days=days)
    ).exclude(reason__in=["hire", "rehire"]).count()


def can_use_directory(viewer) -> bool:
    """HR, payroll, and anyone with reports. Cheap (one EXISTS) because the navigation asks on
    every page; the directory itself then loads the whole reporting tree."""
    if is_hr(viewer) or sees_everyone(viewer):
        return True
    me = employee_for_user(viewer)
    return me is not None and Employee.objects.filter(manager=me).exists()


def org_chart_scope(viewer) -> set[int] | None:
    """Whose chart the viewer may open: None means anyone (the directory's users: HR, payroll,
    managers; and every employee while the colleague directory is on, issue 13). Otherwise
    their own place on the chart - themself and their management chain - not anyone's."""
    if can_use_directory(viewer) or sees_colleagues(viewer):
        return None
    me = employee_for_user(viewer)
    if me is None:
        return set()
    return {me.pk, *(m.pk for m in manager_chain(me))}


# Colleague directory -----------------------------------------------------------------------

COLLEAGUE_RELATED = ("job_title", "department", "location", "manager", "photo")


def colleague_queryset(q: str = "", department: Department | None = None,
                       location: Location | None = None) -> QuerySet[Employee]:
    """Current employees for the colleague directory (work fields only; the template shows no
    other). One query for the page's rows whatever the headcount."""
    qs = (Employee.objects.exclude(status=Employee.Status.TERMINATED)
          .select_related(*COLLEAGUE_RELATED))
    if q.strip():
        qs = qs.filter(work_search_condition(q))
    if department is not None:
        qs = qs.filter(department=department)
    if location is not None:
        qs = qs.filter(location=location)
    return qs.order_by("legal_last_name", "legal_first_name", "id")
