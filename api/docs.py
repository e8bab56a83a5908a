"""Schema-only serializers: what the OpenAPI document says each response looks like. The views
build their bodies by hand (faster for 200-row pages); tests/api/test_contract.py validates every
response against these, so the two cannot drift apart. Optional sections are `required=False`:
absent when the caller may not see them."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers as s

PAGE_PARAMS = [
    OpenApiParameter("cursor", str, description="next_cursor of the previous page"),
    OpenApiParameter("limit", int, description="page size, 1-500 (default 100)"),
]
AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD: the record in force that day")


class Problem(s.Serializer):
    type = s.CharField()
    title = s.CharField()
    status = s.IntegerField()
    detail = s.CharField(allow_blank=True)
    errors = inline_serializer("ProblemError", {"field": s.CharField(allow_blank=True),
                                                "message": s.CharField()},
                               many=True, required=False)


_PROBLEM = OpenApiResponse(Problem, description="application/problem+json (RFC 9457)")
ERRORS = {400: _PROBLEM, 401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM, 429: _PROBLEM}


def page_of(item, name: str | None = None):
    child = item() if isinstance(item, type) else item
    return inline_serializer(name or f"{item.__name__}Page", {
        "results": s.ListField(child=child), "next_cursor": s.CharField(allow_null=True),
        "next": s.CharField(allow_null=True)})


class Ref(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()


class Employment(s.Serializer):
    status = s.ChoiceField(["pre_hire", "active", "on_leave", "terminated"])
    hire_date = s.DateField()
    termination_date = s.DateField(allow_null=True)
    work_country = s.CharField()


class EmployeeSummary(s.Serializer):
    id = s.IntegerField()
    employee_number = s.CharField()
    display_name = s.CharField()
    legal_first_name = s.CharField()
    legal_last_name = s.CharField()
    preferred_name = s.CharField(allow_blank=True)
    work_email = s.EmailField(allow_null=True)
    job_title = Ref(allow_null=True)
    department = Ref(allow_null=True)
    location = Ref(allow_null=True)
    manager_id = s.IntegerField(allow_null=True)
    employment_type = s.CharField()
    fte = s.DecimalField(max_digits=4, decimal_places=3)
    updated_at = s.DateTimeField()
    version = s.IntegerField(help_text="Send it back as `version` (or If-Match) when patching.")
    employment = Employment(required=False, help_text="Absent unless the caller may see the "
                                                      "employment section.")


class Personal(s.Serializer):
    date_of_birth = s.DateField(allow_null=True)
    personal_email = s.CharField(allow_blank=True)
    phone = s.CharField(allow_blank=True)
    address_line1 = s.CharField(allow_blank=True)
    address_line2 = s.CharField(allow_blank=True)
    city = s.CharField(allow_blank=True)
    region = s.CharField(allow_blank=True)
    postal_code = s.CharField(allow_blank=True)
    country = s.CharField(allow_blank=True)


class Compensation(s.Serializer):
    effective_date = s.DateField()
    basis = s.ChoiceField(["salary", "hourly"])
    annual_salary = s.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hourly_rate = s.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    currency = s.CharField()
    reason = s.CharField()


class BankAccount(s.Serializer):
    id = s.IntegerField()
    holder_name = s.CharField()
    bank = s.CharField()
    account_masked = s.CharField(help_text="Last four digits only.")
    is_primary = s.BooleanField()


class EmployeeDetail(EmployeeSummary):
    personal = Personal(required=False)
    national_id = inline_serializer("NationalId", {
        "country": s.CharField(allow_blank=True),
        "masked": s.CharField(help_text="Last four characters only.")}, required=False)
    compensation = Compensation(required=False, allow_null=True,
                                help_text="Needs compensation:read and the right to see pay.")
    bank_accounts = BankAccount(many=True, required=False)


class HireRequest(s.Serializer):
    legal_first_name = s.CharField()
    legal_last_name = s.CharField()
    preferred_name = s.CharField(required=False)
    employee_number = s.CharField()
    work_email = s.EmailField(required=False)
    personal_email = s.EmailField(required=False)
    start_date = s.DateField()
    work_country = s.CharField()
    job_title = s.IntegerField()
    department = s.IntegerField()
    location = s.IntegerField()
    manager = s.IntegerField(required=False)
    employment_type = s.CharField()
    fte = s.DecimalField(max_digits=4, decimal_places=3)
    weekly_hours = s.DecimalField(max_digits=5, decimal_places=2, required=False)
    basis = s.ChoiceField(["salary", "hourly"])
    amount = s.DecimalField(max_digits=12, decimal_places=4)
    currency = s.CharField()
    pay_schedule = s.IntegerField(required=False)
    create_login = s.BooleanField(required=False, default=False)


class PersonalPatch(Personal):
    legal_first_name = s.CharField(required=False)
    legal_last_name = s.CharField(required=False)
    preferred_name = s.CharField(required=False)
    work_email = s.EmailField(required=False, allow_null=True,
                              help_text="HR only; empty or null: none.")
    version = s.IntegerField(help_text="The version you read (or send If-Match).")


class OffboardRequest(s.Serializer):
    last_day = s.DateField()
    reason = s.CharField()
    notice_given_on = s.DateField(required=False)
    notice_end_date = s.DateField(required=False)
    rehire_eligible = s.ChoiceField(["", "yes", "no"], required=False)
    final_pay_flag = s.BooleanField(required=False)
    note = s.CharField(required=False)
    open_tasks = s.ChoiceField(["keep", "cancel"], required=False)


class OffboardResult(s.Serializer):
    employee_id = s.IntegerField()
    last_day = s.DateField()
    reason = s.CharField()
    status = s.CharField()


class JobRecord(s.Serializer):
    effective_date = s.DateField()
    job_title = Ref()
    department = Ref()
    location = Ref()
    manager_id = s.IntegerField(allow_null=True)
    employment_type = s.CharField()
    fte = s.DecimalField(max_digits=4, decimal_places=3)
    weekly_hours = s.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    reason = s.CharField()


class Department(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    code = s.CharField()
    parent_id = s.IntegerField(allow_null=True)
    cost_centre = s.CharField(allow_blank=True)


class Location(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    city = s.CharField(allow_blank=True)
    country = s.CharField()
    timezone = s.CharField()


class JobTitle(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    job_family = s.CharField(allow_blank=True)


class OrgNode(s.Serializer):
    id = s.IntegerField()
    display_name = s.CharField()
    job_title = s.CharField(allow_null=True)
    manager_id = s.IntegerField(allow_null=True)
