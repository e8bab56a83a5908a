"""Effective-dated history (job, pay), reference data and the org tree."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from api import docs, params
from api.base import ApiView
from api.employee_shapes import compensation_shape
from api.pagination import keyset_page, page_body
from api.scopes import Scope
from employees.access import Section, employee_get_for_viewer, employees_visible_to
from employees.models import CompensationRecord, Department, Employee, JobRecord, JobTitle, Location
from employees.selectors import report_ids


def _job(record: JobRecord) -> dict:
    return {"effective_date": record.effective_date.isoformat(),
            "job_title": {"id": record.job_title_id, "name": record.job_title.name},
            "department": {"id": record.department_id, "name": record.department.name},
            "location": {"id": record.location_id, "name": record.location.name},
            "manager_id": record.manager_id, "employment_type": record.employment_type,
            "fte": str(record.fte),
            "weekly_hours": None if record.weekly_hours is None else str(record.weekly_hours),
            "reason": record.reason}


def _as_of_filter(qs, request):
    """All records, newest first; with ?as_of= only the one in force that day."""
    day = params.as_of(request)
    if day is None:
        return list(qs.order_by("-effective_date"))
    record = qs.filter(effective_date__lte=day).order_by("-effective_date").first()
    return [record] if record else []


class JobHistory(ApiView):
    scopes = {"GET": Scope.EMPLOYEES_READ}

    @extend_schema(summary="Job history (effective-dated)", parameters=[docs.AS_OF],
                   responses={200: docs.JobRecord(many=True), **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT)
        qs = JobRecord.objects.filter(employee=employee).select_related(
            "job_title", "department", "location")
        return Response([_job(r) for r in _as_of_filter(qs, request)])


class CompensationHistory(ApiView):
    scopes = {"GET": Scope.COMPENSATION_READ}

    @extend_schema(summary="Pay history (effective-dated)", parameters=[docs.AS_OF],
                   responses={200: docs.Compensation(many=True), **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.COMPENSATION)
        qs = CompensationRecord.objects.filter(employee=employee)
        return Response([compensation_shape(r) for r in _as_of_filter(qs, request)])


def _reference(model, fields: tuple[str, ...], schema, summary: str):
    class ReferenceList(ApiView):
        scopes = {"GET": Scope.EMPLOYEES_READ}

        @extend_schema(summary=summary, parameters=docs.PAGE_PARAMS,
                       responses={200: docs.page_of(schema), **docs.ERRORS})
        def get(self, request):
            rows, cursor = keyset_page(model.objects.all(), request, by_updated=False)
            return Response(page_body(
                request, [{f: getattr(r, f) for f in fields} for r in rows], cursor))

    ReferenceList.__name__ = f"{model.__name__}List"
    return ReferenceList


DepartmentList = _reference(Department, ("id", "name", "code", "parent_id", "cost_centre"),
                            docs.Department, "Departments")
LocationList = _reference(Location, ("id", "name", "city", "country", "timezone"),
                          docs.Location, "Locations")
JobTitleList = _reference(JobTitle, ("id", "name", "job_family"), docs.JobTitle, "Job titles")


class OrgSubtree(ApiView):
    scopes = {"GET": Scope.EMPLOYEES_READ}

    @extend_schema(summary="The org tree under a manager (them and everyone reporting to them, "
                           "directly or not), as a flat list with manager_id",
                   responses={200: inline_serializer("OrgTree", {
                       "root_id": serializers.IntegerField(),
                       "nodes": docs.OrgNode(many=True)}), **docs.ERRORS})
    def get(self, request, pk: int):
        root = employee_get_for_viewer(request.user, pk)
        ids = report_ids(root) | {root.pk}
        visible = employees_visible_to(request.user).filter(pk__in=ids).exclude(
            status=Employee.Status.TERMINATED)
        nodes = [{"id": e.pk, "display_name": e.display_name,
                  "job_title": e.job_title.name if e.job_title else None,
                  "manager_id": e.manager_id if e.pk != root.pk else None}
                 for e in visible.select_related("job_title").order_by("pk")]
        return Response({"root_id": root.pk, "nodes": nodes})
