"""The resources events carry: what an integration needs, never a national ID or a bank
account (not even in part). Pay fields only when the subscription has the compensation scope."""

from django.utils import timezone


def _date(value) -> str | None:
    return value.isoformat() if value else None


def employee_resource(employee) -> dict:
    return {
        "id": employee.pk,
        "employee_number": employee.employee_number,
        "first_name": employee.legal_first_name,
        "last_name": employee.legal_last_name,
        "preferred_name": employee.preferred_name,
        "work_email": employee.work_email,
        "status": employee.status,
        "hire_date": _date(employee.hire_date),
        "termination_date": _date(employee.termination_date),
        "work_country": employee.work_country,
        "job_title_id": employee.job_title_id,
        "department_id": employee.department_id,
        "location_id": employee.location_id,
        "manager_id": employee.manager_id,
    }


def job_resource(record) -> dict:
    return {
        "id": record.pk,
        "employee_id": record.employee_id,
        "effective_date": _date(record.effective_date),
        "job_title_id": record.job_title_id,
        "department_id": record.department_id,
        "location_id": record.location_id,
        "manager_id": record.manager_id,
        "reason": record.reason,
    }


def compensation_resource(record) -> dict:
    return {
        "id": record.pk,
        "employee_id": record.employee_id,
        "effective_date": _date(record.effective_date),
        "basis": record.basis,
        "annual_salary": None if record.annual_salary is None else str(record.annual_salary),
        "hourly_rate": None if record.hourly_rate is None else str(record.hourly_rate),
        "currency": record.currency,
        "reason": record.reason,
    }


def pay_run_resource(run) -> dict:
    return {
        "id": run.pk,
        "schedule_id": run.schedule_id,
        "period_id": run.period_id,
        "kind": run.kind,
        "pay_date": _date(run.pay_date),
        "currency": run.currency,
        "status": run.status,
        "finalised_at": run.finalised_at.isoformat() if run.finalised_at else None,
    }


def envelope(*, event_id: str, event_type: str, data: dict) -> dict:
    return {"id": event_id, "type": event_type,
            "occurred_at": timezone.now().isoformat(), "data": data}


def leave_resource(request) -> dict:
    """No note and no category: a sickness absence is health data, not an integration's."""
    return {
        "id": request.pk,
        "employee_id": request.employee_id,
        "leave_type_id": request.leave_type_id,
        "first_day": _date(request.first_day),
        "last_day": _date(request.last_day),
        "amount": str(request.amount),
        "status": request.status,
    }


def compliance_expiring_resource(record, stage: str) -> dict:
    """No document number (a passport or licence number) and no notes."""
    return {
        "id": record.pk,
        "employee_id": record.employee_id,
        "requirement_type_id": record.requirement_type_id,
        "requirement": str(record.requirement_type),
        "expires_on": _date(record.expires_on),
        "stage": stage,
    }
