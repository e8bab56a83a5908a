"""Reads for the lifecycle pages: boards, checklist progress, the HR dashboard, and what payroll
reads about leavers."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from employees.models import Employee, Employment
from lifecycle.access import assigned_q
from lifecycle.models import (
    ROLE_GROUPS,
    AssigneeRule,
    Checklist,
    ChecklistKind,
    ChecklistTemplate,
    LeaverNotice,
    Task,
)

BOARD_LIMIT = 200


def _task_qs() -> QuerySet[Task]:
    return Task.objects.select_related("checklist__employee", "assignee_user")


def tasks_assigned_to(user) -> QuerySet[Task]:
    return _task_qs().filter(assigned_q(user))


@dataclass
class BoardFilters:
    show: str = "open"  # open | overdue | today | done | all
    kind: str = ""
    q: str = ""


def my_tasks(user, filters: BoardFilters, today: date | None = None) -> list[Task]:
    """The user's board: tasks assigned to them (by name, role group, or as the employee)."""
    today = today or timezone.localdate()
    qs = tasks_assigned_to(user)
    if filters.show == "open":
        qs = qs.filter(status=Task.Status.OPEN)
    elif filters.show == "overdue":
        qs = qs.filter(status=Task.Status.OPEN, due_date__lt=today)
    elif filters.show == "today":
        qs = qs.filter(status=Task.Status.OPEN, due_date__lte=today)
    elif filters.show == "done":
        qs = qs.filter(status__in=[Task.Status.DONE, Task.Status.SKIPPED])
    if filters.kind:
        qs = qs.filter(checklist__kind=filters.kind)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(checklist__employee__legal_last_name__icontains=filters.q)
            | Q(checklist__employee__legal_first_name__icontains=filters.q)
            | Q(checklist__employee__preferred_name__icontains=filters.q)
        )
    order = ["-closed_at", "-id"] if filters.show == "done" else ["due_date", "position", "id"]
    return list(qs.order_by(*order)[:BOARD_LIMIT])


def board_counts(user, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return Task.objects.filter(assigned_q(user), status=Task.Status.OPEN).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        today=Count("id", filter=Q(due_date=today)),
    )


def open_tasks_for_employee_self(user, today: date | None = None) -> list[Task]:
    """The portal card: the user's own open tasks (as an employee or by name), soonest first."""
    return list(tasks_assigned_to(user).filter(status=Task.Status.OPEN)
                .order_by("due_date", "position", "id")[:10])


def checklists_for_employee(employee: Employee) -> list[Checklist]:
    tasks = Task.objects.select_related("assignee_user", "closed_by").order_by(
        "due_date", "position", "id")
    checklists = list(
        Checklist.objects.filter(employee=employee)
        .select_related("template", "started_by")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .order_by("-started_at", "-id")
    )
    for checklist in checklists:
        _set_progress(checklist, list(checklist.tasks.all()))
    return checklists


def _set_progress(checklist: Checklist, tasks: list[Task]) -> None:
    counted = [t for t in tasks if t.status != Task.Status.CANCELLED]
    closed = sum(1 for t in counted if t.status in (Task.Status.DONE, Task.Status.SKIPPED))
    checklist.total = len(counted)
    checklist.closed = closed
    checklist.percent = round(100 * closed / len(counted)) if counted else 100


def checklist_progress(checklist_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{checklist id: (closed, total)} in one query (cancelled tasks are not counted)."""
    rows = (
        Task.objects.filter(checklist_id__in=checklist_ids)
        .exclude(status=Task.Status.CANCELLED)
        .values("checklist_id")
        .annotate(total=Count("id"),
                  closed=Count("id", filter=Q(status__in=[Task.Status.DONE,
                                                          Task.Status.SKIPPED])))
    )
    return {r["checklist_id"]: (r["closed"], r["total"]) for r in rows}


def templates_current() -> QuerySet[ChecklistTemplate]:
    return (ChecklistTemplate.objects.filter(is_current=True)
            .annotate(task_count=Count("tasks")).order_by("kind", "name"))


def template_versions(template: ChecklistTemplate) -> QuerySet[ChecklistTemplate]:
    return (ChecklistTemplate.objects.filter(family=template.family)
            .annotate(running=Count("checklists", filter=Q(checklists__status="open")))
            .order_by("-version"))


@dataclass
class Dashboard:
    starters: list[Employee]
    leavers: list[LeaverNotice]
    overdue_by_assignee: list[tuple[str, int]]
    overdue_total: int
    avg_onboarding_days: float | None
    onboarding_completed: int


def dashboard(today: date | None = None, days: int = 30) -> Dashboard:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    starters = list(
        Employee.objects.filter(status=Employee.Status.PRE_HIRE, hire_date__gte=today,
                                hire_date__lte=horizon)
        .order_by("hire_date", "legal_last_name")
    )
    # Job fields of a pre-hire are not current until their start date; show the start-date job.
    _attach_onboarding_progress(starters)
    leavers = list(
        LeaverNotice.objects.filter(status=LeaverNotice.Status.SCHEDULED, last_day__gte=today,
                                    last_day__lte=horizon)
        .select_related("employee").order_by("last_day")
    )
    overdue = Counter()
    rows = (
        Task.objects.filter(status=Task.Status.OPEN, due_date__lt=today)
        .values("assignee_rule", "assignee_user__full_name", "assignee_user__email")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["assignee_user__email"]:
            label = row["assignee_user__full_name"] or row["assignee_user__email"]
        elif row["assignee_rule"] == AssigneeRule.EMPLOYEE:
            label = str(AssigneeRule.EMPLOYEE.label)
        else:
            label = str(AssigneeRule(row["assignee_rule"]).label)
        overdue[label] += row["n"]
    completed = list(
        Checklist.objects.filter(kind=ChecklistKind.ONBOARDING, status=Checklist.Status.COMPLETED,
                                 completed_at__isnull=False)
        .values_list("started_at", "completed_at")
    )
    avg = None
    if completed:
        avg = round(sum((done - started).total_seconds() for started, done in completed)
                    / len(completed) / 86400, 1)
    return Dashboard(
        starters=starters, leavers=leavers, overdue_by_assignee=overdue.most_common(),
        overdue_total=sum(overdue.values()), avg_onboarding_days=avg,
        onboarding_completed=len(completed),
    )


def _attach_onboarding_progress(starters: list[Employee]) -> None:
    checklists = list(Checklist.objects.filter(
        employee__in=starters, kind=ChecklistKind.ONBOARDING,
    ).exclude(status=Checklist.Status.CANCELLED).values_list("id", "employee_id"))
    progress = checklist_progress([cid for cid, _ in checklists])
    per_employee: dict[int, list[int]] = {}
    for cid, emp_id in checklists:
        closed, total = progress.get(cid, (0, 0))
        acc = per_employee.setdefault(emp_id, [0, 0])
        acc[0] += closed
        acc[1] += total
    for employee in starters:
        closed, total = per_employee.get(employee.pk, [0, 0])
        employee.tasks_closed, employee.tasks_total = closed, total
        employee.percent = round(100 * closed / total) if total else 0


def leaver_notice_for(employee: Employee) -> LeaverNotice | None:
    return (LeaverNotice.objects.filter(employee=employee, status=LeaverNotice.Status.SCHEDULED)
            .first())


def leaver_notices_for_payroll(start: date, end: date) -> QuerySet[LeaverNotice]:
    """For payroll: leavers whose last day falls in [start, end] with final pay flagged (not
    cancelled). Payroll reads this; lifecycle never writes payroll rows."""
    return (LeaverNotice.objects.filter(last_day__gte=start, last_day__lte=end,
                                        final_pay_flag=True)
            .exclude(status=LeaverNotice.Status.CANCELLED)
            .select_related("employee").order_by("last_day"))


def open_employment(employee: Employee) -> Employment | None:
    return Employment.objects.filter(employee=employee, end_date__isnull=True).first()


def digest_recipient_ids(today: date, *, wants_email: bool = True) -> set[int]:
    """Users with an open task due today or overdue who want the digest (all of them with
    wants_email=False: the in-app notification); one query per assignee kind; role tasks reach
    every active member of the role's groups."""
    due = Task.objects.filter(status=Task.Status.OPEN, due_date__lte=today)
    ids = set(due.filter(assignee_user__isnull=False).values_list("assignee_user", flat=True))
    ids |= set(
        due.filter(assignee_user__isnull=True, assignee_rule=AssigneeRule.EMPLOYEE,
                   checklist__employee__user__isnull=False)
        .values_list("checklist__employee__user", flat=True)
    )
    rules = set(due.filter(assignee_user__isnull=True, assignee_rule__in=list(ROLE_GROUPS))
                .values_list("assignee_rule", flat=True).distinct())
    groups = {g for rule in rules for g in ROLE_GROUPS[rule]}
    if groups:
        ids |= set(get_user_model().objects.filter(groups__name__in=groups)
                   .values_list("id", flat=True))
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    if wants_email:
        users = users.filter(receives_task_digest=True)
    return set(users.values_list("id", flat=True))


def digest_tasks_for(user, today: date) -> list[Task]:
    return list(tasks_assigned_to(user).filter(status=Task.Status.OPEN, due_date__lte=today)
                .order_by("due_date", "id"))


# Leavers' open tasks (lifecycle.services.leavers) ------------------------------------------

def leaver_checklists_about(employee: Employee) -> QuerySet[Checklist]:
    """The leaver's own running checklists that end with them: all but offboarding, whose tasks
    (final pay, equipment back) go on after the last day."""
    return (Checklist.objects.filter(employee=employee, status=Checklist.Status.OPEN)
            .exclude(kind=ChecklistKind.OFFBOARDING))


def leaver_tasks_assigned(employee: Employee) -> QuerySet[Task]:
    """Open tasks assigned to the leaver by name on other people's checklists."""
    if employee.user_id is None:
        return Task.objects.none()
    return (Task.objects.filter(status=Task.Status.OPEN, assignee_user_id=employee.user_id)
            .exclude(checklist__employee=employee))


@dataclass(frozen=True)
class LeaverOpenTasks:
    about: list[Task]
    assigned: list[Task]


def leaver_open_tasks(employee: Employee) -> LeaverOpenTasks:
    about = list(_task_qs().filter(status=Task.Status.OPEN,
                                   checklist__in=leaver_checklists_about(employee)))
    return LeaverOpenTasks(about=about, assigned=list(_task_qs().filter(
        pk__in=leaver_tasks_assigned(employee).values("pk"))))
