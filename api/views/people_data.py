"""One person's lifecycle checklists, compliance records and time off: each behind the same
section of employees.access the profile tab uses, plus its scope."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as s
from rest_framework.response import Response

from api import docs
from api.base import ApiView
from api.scopes import Scope
from audit.services import mask_secret
from compliance.models import ComplianceRecord
from employees.access import Relation, Section, can_view, employee_get_for_viewer, relation
from lifecycle.models import Checklist, Task
from timeoff.models import Category, LeaveRequest
from timeoff.selectors import my_balances

TaskShape = inline_serializer("Task", {
    "id": s.IntegerField(), "title": s.CharField(), "due_date": s.DateField(),
    "status": s.CharField(), "assignee_rule": s.CharField(),
    "assignee_user_id": s.IntegerField(allow_null=True)}, many=True)
ChecklistShape = inline_serializer("Checklist", {
    "id": s.IntegerField(), "name": s.CharField(), "kind": s.CharField(),
    "status": s.CharField(), "anchor_date": s.DateField(), "tasks": TaskShape}, many=True)


class EmployeeChecklists(ApiView):
    scopes = {"GET": Scope.LIFECYCLE_READ}

    @extend_schema(summary="Onboarding and offboarding checklists with their tasks",
                   responses={200: ChecklistShape, **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.TASKS)
        checklists = list(Checklist.objects.filter(employee=employee).order_by("-started_at",
                                                                               "-id"))
        tasks: dict[int, list[dict]] = {c.pk: [] for c in checklists}
        for t in Task.objects.filter(checklist__in=checklists).order_by("position", "pk"):
            tasks[t.checklist_id].append({
                "id": t.pk, "title": t.title, "due_date": t.due_date.isoformat(),
                "status": t.status, "assignee_rule": t.assignee_rule,
                "assignee_user_id": t.assignee_user_id})
        return Response([{"id": c.pk, "name": c.name, "kind": c.kind, "status": c.status,
                          "anchor_date": c.anchor_date.isoformat(), "tasks": tasks[c.pk]}
                         for c in checklists])


ComplianceShape = inline_serializer("ComplianceRecord", {
    "id": s.IntegerField(), "requirement_type": docs.Ref(), "completed_on": s.DateField(
        allow_null=True), "expires_on": s.DateField(allow_null=True),
    "verification": s.CharField(), "document_kind": s.CharField(allow_blank=True),
    "document_number_masked": s.CharField(allow_blank=True), "issuer": s.CharField(
        allow_blank=True)}, many=True)


def _day(value):
    return value.isoformat() if value else None


class EmployeeCompliance(ApiView):
    scopes = {"GET": Scope.COMPLIANCE_READ}

    @extend_schema(summary="Compliance records (document numbers masked, no evidence files)",
                   responses={200: ComplianceShape, **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.COMPLIANCE)
        records = (ComplianceRecord.objects.filter(employee=employee)
                   .select_related("requirement_type").order_by("-created_at", "-id"))
        return Response([{
            "id": r.pk, "requirement_type": {"id": r.requirement_type_id,
                                             "name": r.requirement_type.name},
            "completed_on": _day(r.completed_on), "expires_on": _day(r.expires_on),
            "verification": r.verification, "document_kind": r.document_kind,
            "document_number_masked": mask_secret(r.document_number), "issuer": r.issuer,
        } for r in records])


TimeOffShape = inline_serializer("TimeOff", {
    "balances": inline_serializer("Balance", {
        "leave_type": docs.Ref(), "today": s.DecimalField(max_digits=9, decimal_places=3),
        "pending": s.DecimalField(max_digits=9, decimal_places=3),
        "year_end": s.DecimalField(max_digits=9, decimal_places=3)}, many=True),
    "requests": inline_serializer("LeaveRequest", {
        "id": s.IntegerField(), "leave_type": docs.Ref(), "first_day": s.DateField(),
        "last_day": s.DateField(), "status": s.CharField(),
        "amount": s.DecimalField(max_digits=9, decimal_places=3)}, many=True)})


class EmployeeTimeOff(ApiView):
    scopes = {"GET": Scope.TIMEOFF_READ}

    @extend_schema(summary="Time-off balances and requests (sickness only for HR, as on the "
                           "profile)", responses={200: TimeOffShape, **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT)
        if relation(request.user, employee) is Relation.ANALYST:
            raise PermissionDenied(_("Analysts see time off in aggregate only."))
        sick_too = can_view(request.user, employee, Section.HISTORY)
        requests = LeaveRequest.objects.filter(employee=employee).select_related("leave_type")
        if not sick_too:
            requests = requests.exclude(leave_type__category=Category.SICK)
        return Response({
            "balances": [{"leave_type": {"id": b.leave_type.pk, "name": b.leave_type.name},
                          "today": str(b.today), "pending": str(b.pending),
                          "year_end": str(b.year_end)}
                         for b in my_balances(employee, timezone.localdate())],
            "requests": [{"id": r.pk, "leave_type": {"id": r.leave_type_id,
                                                     "name": r.leave_type.name},
                          "first_day": r.first_day.isoformat(),
                          "last_day": r.last_day.isoformat(), "status": r.status,
                          "amount": str(r.amount)}
                         for r in requests.order_by("-first_day", "-id")[:200]],
        })
