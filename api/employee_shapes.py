"""How an employee looks in the API, section by section. A section the caller may not see
(employees.access) or whose scope the token lacks is ABSENT from the object, not null. Secrets
are never returned in full: national ID and bank account numbers as their last four, as in the
web UI."""

from api.permissions import has_scope
from api.scopes import Scope
from employees.access import Section, can_view
from employees.models import BankAccount, Employee
from employees.selectors import compensation_as_of

# The columns a list row is built from (one values() query: no model instances, so a page of
# 200 costs a fraction of building 800 objects; nor the encrypted national ID).
ROW_FIELDS = (
    "id", "user_id", "employee_number", "legal_first_name", "legal_last_name",
    "preferred_name", "work_email", "manager_id", "employment_type", "fte", "status",
    "hire_date", "termination_date", "work_country", "updated_at", "version",
    "job_title_id", "job_title__name", "department_id", "department__name",
    "location_id", "location__name",
)


def row_of(employee: Employee) -> dict:
    """An instance as the values() row lists read."""
    row = {f: getattr(employee, f) for f in ROW_FIELDS if "__" not in f}
    for rel in ("job_title", "department", "location"):
        obj = getattr(employee, rel)
        row[f"{rel}__name"] = obj.name if obj is not None else None
    return row


def _ref(row: dict, rel: str) -> dict | None:
    pk = row[f"{rel}_id"]
    return {"id": pk, "name": row[f"{rel}__name"]} if pk is not None else None


def _identity(row: dict) -> Employee:
    """The person as the gate relates a viewer to them: only pk and login are set. Model
    __init__ (defaults for 30 fields) would cost more than the rest of the row; reading any
    other field of this stand-in fails loudly instead of returning a wrong default."""
    who = Employee.__new__(Employee)
    who.__dict__.update(id=row["id"], user_id=row["user_id"])  # past the FK descriptor
    return who


def summary_shape(viewer, row: dict) -> dict:
    """What lists return: who, their current job, and (when visible) their employment."""
    body = {
        "id": row["id"], "employee_number": row["employee_number"],
        "display_name": f"{row['preferred_name'] or row['legal_first_name']} "
                        f"{row['legal_last_name']}",
        "legal_first_name": row["legal_first_name"], "legal_last_name": row["legal_last_name"],
        "preferred_name": row["preferred_name"], "work_email": row["work_email"],
        "job_title": _ref(row, "job_title"), "department": _ref(row, "department"),
        "location": _ref(row, "location"), "manager_id": row["manager_id"],
        "employment_type": row["employment_type"], "fte": str(row["fte"]),
        "updated_at": row["updated_at"].isoformat(), "version": row["version"],
    }
    if can_view(viewer, _identity(row), Section.EMPLOYMENT):
        ended = row["termination_date"]
        body["employment"] = {
            "status": row["status"], "hire_date": row["hire_date"].isoformat(),
            "termination_date": ended.isoformat() if ended else None,
            "work_country": row["work_country"]}
    return body


def _personal(employee: Employee) -> dict:
    dob = employee.date_of_birth
    return {"date_of_birth": dob.isoformat() if dob else None,
            "personal_email": employee.personal_email, "phone": employee.phone,
            "address_line1": employee.address_line1, "address_line2": employee.address_line2,
            "city": employee.city, "region": employee.region,
            "postal_code": employee.postal_code, "country": employee.country}


def compensation_shape(record) -> dict:
    return {"effective_date": record.effective_date.isoformat(), "basis": record.basis,
            "annual_salary": None if record.annual_salary is None else str(record.annual_salary),
            "hourly_rate": None if record.hourly_rate is None else str(record.hourly_rate),
            "currency": record.currency, "reason": record.reason}


def _bank_accounts(employee: Employee) -> list[dict]:
    return [{"id": a.pk, "holder_name": a.holder_name, "bank": a.bank_label,
             "account_masked": a.masked, "is_primary": a.is_primary}
            for a in BankAccount.objects.filter(employee=employee, is_active=True)
            .order_by("-is_primary", "pk")]


def sees_pay(request, employee: Employee, section: Section = Section.COMPENSATION) -> bool:
    return has_scope(request, Scope.COMPENSATION_READ) and can_view(request.user, employee,
                                                                    section)


def detail_shape(request, employee: Employee, today) -> dict:
    viewer = request.user
    body = summary_shape(viewer, row_of(employee))
    if can_view(viewer, employee, Section.PERSONAL):
        body["personal"] = _personal(employee)
    if can_view(viewer, employee, Section.NATIONAL_ID) and employee.national_id_last4:
        body["national_id"] = {"country": employee.national_id_country,
                               "masked": f"•••• {employee.national_id_last4}"}
    if sees_pay(request, employee):
        record = compensation_as_of(employee, today)
        body["compensation"] = compensation_shape(record) if record else None
    if sees_pay(request, employee, Section.BANK):
        body["bank_accounts"] = _bank_accounts(employee)
    return body
