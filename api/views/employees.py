"""Employees: list (keyset pages, updated_since), one person, hire, personal details, offboard.
Writes go through the same forms and services as the web pages, so validation, audit and the
segregation-of-duties rules are theirs."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.roles import is_hr
from api import docs, params
from api.base import ApiView
from api.employee_shapes import ROW_FIELDS, detail_shape, summary_shape
from api.pagination import keyset_page, page_body
from api.problems import form_invalid
from api.scopes import Scope
from employees.access import (
    Relation,
    Section,
    employee_get_for_viewer,
    employees_visible_to,
    relation,
)
from employees.record_forms import PersonalForm, SelfContactForm
from employees.services.personal import employee_update_personal, loaded_token
from lifecycle.forms import HireForm, OffboardForm
from lifecycle.services import flows


def _list_queryset(request):
    qs = employees_visible_to(request.user)
    since = params.moment(request, "updated_since")
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    status = request.query_params.get("status")
    if status:
        qs = qs.filter(status=status)
    return qs


class EmployeeList(ApiView):
    scopes = {"GET": Scope.EMPLOYEES_READ,
              "POST": (Scope.EMPLOYEES_WRITE, Scope.COMPENSATION_WRITE)}

    @extend_schema(summary="List employees", parameters=[
        *docs.PAGE_PARAMS, OpenApiParameter("updated_since", str, description=(
            "Only people whose record (person, status or current job) changed at or after "
            "this ISO 8601 moment.")),
        OpenApiParameter("status", str, enum=["pre_hire", "active", "on_leave", "terminated"]),
    ], responses={200: docs.page_of(docs.EmployeeSummary), **docs.ERRORS})
    def get(self, request):
        rows, cursor = keyset_page(_list_queryset(request), request, values=ROW_FIELDS)
        return Response(page_body(request, [summary_shape(request.user, e) for e in rows],
                                  cursor))

    @extend_schema(summary="Hire (the web page's New hire)", request=docs.HireRequest,
                   responses={201: docs.EmployeeDetail, **docs.ERRORS})
    def post(self, request):
        if not is_hr(request.user):
            raise PermissionDenied(_("Only HR may hire."))
        form = HireForm(data=request.data)
        if not form.is_valid():
            raise form_invalid(form)
        result = flows.hire_create(acting_user=request.user, data=form.hire_data())
        return Response(detail_shape(request, result.employee, timezone.localdate()),
                        status=201)


def _personal_form(request, employee):
    """The web page's form for this caller (HR: PersonalForm; self: SelfContactForm), filled
    with the stored values and the given ones on top (PATCH)."""
    form_class = (SelfContactForm if relation(request.user, employee) is Relation.SELF
                  else PersonalForm)
    fields = form_class._meta.fields
    unknown = sorted(set(request.data) - set(fields) - {"version"})
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")]
                               for name in unknown})
    data = {name: getattr(employee, name) or "" for name in fields}
    data.update({k: ("" if v is None else v) for k, v in request.data.items() if k in fields})
    version = request.data.get("version", request.headers.get("If-Match", "").strip('W/"'))
    data.update(version=version, loaded=loaded_token(employee))
    return form_class(data=data, instance=employee)


class EmployeeDetail(ApiView):
    scopes = {"GET": Scope.EMPLOYEES_READ, "PATCH": Scope.EMPLOYEES_WRITE}

    @extend_schema(summary="One employee", responses={200: docs.EmployeeDetail, **docs.ERRORS})
    def get(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk)
        return Response(detail_shape(request, employee, timezone.localdate()))

    @extend_schema(summary="Change personal details (the Personal tab)",
                   request=docs.PersonalPatch,
                   responses={200: docs.EmployeeDetail, **docs.ERRORS})
    def patch(self, request, pk: int):
        employee = employee_get_for_viewer(request.user, pk, section=Section.PERSONAL,
                                           for_write=True)
        if not isinstance(request.data, dict):
            raise ValidationError({"": [_("Send a JSON object.")]})
        form = _personal_form(request, employee)
        if not form.is_valid():
            raise form_invalid(form)
        employee = employee_update_personal(
            acting_user=request.user, employee=employee, data=form.personal_data(),
            version=form.cleaned_data["version"], loaded=form.cleaned_data["loaded"],
            source="api")
        employee.refresh_from_db()
        return Response(detail_shape(request, employee, timezone.localdate()))


class EmployeeTerminate(ApiView):
    scopes = {"POST": Scope.EMPLOYEES_WRITE}

    @extend_schema(summary="Offboard: schedule the last working day (terminated the day after)",
                   request=docs.OffboardRequest,
                   responses={202: docs.OffboardResult, **docs.ERRORS})
    def post(self, request, pk: int):
        if not is_hr(request.user):
            raise PermissionDenied(_("Only HR may offboard."))
        employee = employee_get_for_viewer(request.user, pk, section=Section.EMPLOYMENT,
                                           for_write=True)
        form = OffboardForm(data=request.data)
        if not form.is_valid():
            raise form_invalid(form)
        notice = flows.offboarding_start(acting_user=request.user, employee=employee,
                                         data=form.offboard_data())
        return Response({"employee_id": employee.pk, "last_day": notice.last_day.isoformat(),
                         "reason": notice.reason, "status": notice.status}, status=202)
