"""How an employee looks in the API, section by section. A section the caller may not see
(employees.access) or whose scope the token lacks is ABSENT from the object, not null. Secrets
are never returned in full: national ID and bank account numbers as their last four, as in the
web UI."""

from api.permissions import has_scope
from api.scopes import Scope
from employees.access import Section, can_view
from employees.models import BankAccount, Employee
from employees.selectors import compensation_as_of


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def job_shape(employee: Employee) -> dict:
    return {"job_title": _ref(employee.job_title), "department": _ref(employee.department),
            "location": _ref(employee.location), "manager_id": employee.manager_id,
            "employment_type": employee.employment_type, "fte": str(employee.fte)}


def summary_shape(viewer, employee: Employee) -> dict:
    """What lists return: who, their current job, and (when visible) their employment."""
    body = {
        "id": employee.pk, "employee_number": employee.employee_number,
        "display_name": employee.display_name, "legal_first_name": employee.legal_first_name,
        "legal_last_name": employee.legal_last_name,
        "preferred_name": employee.preferred_name, "work_email": employee.work_email,
        **job_shape(employee),
        "updated_at": employee.updated_at.isoformat(), "version": employee.version,
    }
    if can_view(viewer, employee, Section.EMPLOYMENT):
        body["employment"] = {
            "status": employee.status, "hire_date": employee.hire_date.isoformat(),
            "termination_date": (employee.termination_date.isoformat()
                                 if employee.termination_date else None),
            "work_country": employee.work_country}
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
    body = summary_shape(viewer, employee)
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
