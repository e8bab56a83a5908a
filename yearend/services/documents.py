"""Producing year-end documents: the figures are worked out in the transaction (from finalised
payslips only), stored with the document, and its PDF is rendered after commit by a worker
(delivery item "yearend.pdf"). Idempotent: a document that exists is never issued twice."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_event, audit_record, audit_record_many
from delivery.services import delivery_enqueue_many
from employees.models import Employee
from payroll.engine.jurisdictions.uk_ni import ni_tables
from payroll.engine.tax_years import load
from payroll.models import PayRun, PaySchedule, TaxProfile
from yearend import figures as F
from yearend.models import DocumentKind, YearEndDocument
from yearend.selectors import slip_facts, tax_year_end, tax_year_of, w2_component_maps

PDF_KIND = "yearend.pdf"


def require_payroll_admin(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may do this."))


def _plain(value):
    """Figures as JSON: Decimals as strings, dates as ISO strings, tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _employer(schedule: PaySchedule) -> dict:
    return {"legal_name": schedule.employer_legal_name or schedule.payer_name or schedule.name,
            "address": schedule.employer_address, "paye_reference":
            schedule.employer_paye_reference, "ein": schedule.employer_ein}


def _person(employee: Employee) -> dict:
    return {"first_name": employee.legal_first_name, "last_name": employee.legal_last_name,
            "employee_number": employee.employee_number,
            "department": employee.department.name if employee.department_id else "",
            "address": [x for x in (employee.address_line1, employee.address_line2,
                                    employee.city, employee.region, employee.postal_code) if x],
            "date_of_birth": employee.date_of_birth.isoformat() if employee.date_of_birth
            else ""}


def _figures(kind: str, schedule: PaySchedule, tax_year: str, slips: list[F.SlipFacts],
             employee: Employee, maps=None) -> dict:
    if kind == DocumentKind.P60:
        thresholds = ni_tables(tax_year).thresholds[schedule.frequency]
        result = F.p60_figures(slips, tax_year=tax_year, thresholds=thresholds)
        extra = {"total_pay": result.total_pay, "total_tax": result.total_tax}
    elif kind == DocumentKind.P45:
        profile = TaxProfile.objects.filter(employee=employee, jurisdiction="UK").first()
        result = F.p45_figures(
            slips, tax_year=tax_year, leaving_date=employee.termination_date,
            student_loan_continue=bool(profile and profile.student_loan_plan))
        extra = {"postgraduate_loan_continue": bool(profile and profile.postgraduate_loan)}
    else:
        box12, box14 = maps
        result = F.w2_figures(slips, tax_year=tax_year, wage_base=us_wage_base(tax_year),
                              box12_codes=box12, box14_labels=box14)
        extra = {}
    return _plain({**dataclasses.asdict(result), **extra, "employer": _employer(schedule),
                   "employee": _person(employee)})


def us_wage_base(tax_year: str) -> Decimal:
    """The social security wage base of the year (SSA: 184,500 for 2026), from the engine's
    tax-year data."""
    return Decimal(load("US", tax_year)["fica"]["social_security_wage_base"])


def _issue(kind: str, schedule: PaySchedule, tax_year: str, facts: dict, acting_user,
           employees: dict[int, Employee]) -> list[YearEndDocument]:
    existing = set(YearEndDocument.objects.filter(
        kind=kind, schedule=schedule, tax_year=tax_year, employee_id__in=list(facts)
    ).values_list("employee_id", flat=True))
    maps = w2_component_maps() if kind == DocumentKind.W2 else None
    documents = [
        YearEndDocument(kind=kind, schedule=schedule, employee=employees[employee_id],
                        tax_year=tax_year, issued_by=acting_user,
                        payslip_ids=[s.payslip_id for s in slips],
                        figures=_figures(kind, schedule, tax_year, slips,
                                         employees[employee_id], maps))
        for employee_id, slips in sorted(facts.items()) if employee_id not in existing and slips
    ]
    created = YearEndDocument.objects.bulk_create(documents)
    if created and created[0].pk is None:  # backends that do not return ids
        created = list(YearEndDocument.objects.filter(
            kind=kind, schedule=schedule, tax_year=tax_year,
            employee_id__in=[d.employee_id for d in documents]))
    delivery_enqueue_many(kind=PDF_KIND, group=f"yearend:{schedule.pk}:{tax_year}", items=(
        (f"{PDF_KIND}:{d.pk}", {"document_id": d.pk}) for d in created))
    # One INSERT for the audit events of a whole year's documents.
    audit_record_many(audit_event(actor=acting_user, action="create", obj=document,
                                  employee_id=document.employee_id,
                                  note=f"{document.get_kind_display()} {tax_year} issued")
                      for document in created)
    return created


def year_documents_issue(*, schedule: PaySchedule, tax_year: str, acting_user,
                         today: date | None = None) -> list[YearEndDocument]:
    """P60s (UK: everyone employed on the last day of the tax year who was paid in it; leavers
    have their P45) or W-2s (US: everyone paid in the year), once the tax year has ended.
    Call inside a transaction (year_documents_produce, year_close)."""
    require_payroll_admin(acting_user)
    today = today or timezone.localdate()
    end = tax_year_end(schedule.jurisdiction, tax_year)
    if today <= end:
        raise ValidationError(_("The tax year %(year)s ends on %(end)s: its year-end documents "
                                "can be produced from the day after.")
                              % {"year": tax_year, "end": end.isoformat()})
    facts = slip_facts(schedule, tax_year)
    employees = Employee.objects.in_bulk(list(facts))
    if schedule.jurisdiction == "UK":
        # HMRC: a P60 for each employee working for you on the last day of the tax year.
        facts = {e: s for e, s in facts.items()
                 if not employees[e].termination_date or employees[e].termination_date > end}
        kind = DocumentKind.P60
    else:
        kind = DocumentKind.W2
    return _issue(kind, schedule, tax_year, facts, acting_user, employees)


@transaction.atomic
def year_documents_produce(*, schedule: PaySchedule, tax_year: str, acting_user,
                           today: date | None = None) -> list[YearEndDocument]:
    return year_documents_issue(schedule=schedule, tax_year=tax_year, acting_user=acting_user,
                                today=today)


def p45s_for_run(run: PayRun, acting_user) -> list[YearEndDocument]:
    """A P45 for every leaver this UK run paid whose leaving date is on or before the end of the
    run's period (their final pay): called in the transaction that finalises the run. The
    figures are the pay and tax to date in this employment, this run included. A leaver who
    already has a P45 for the year keeps it (HMRC: never issue a second P45)."""
    if run.schedule.jurisdiction != "UK":
        return []
    leavers = list(Employee.objects.filter(
        pk__in=run.payslips.values("employee_id"), termination_date__isnull=False,
        termination_date__lte=run.period.end_date).select_related("department"))
    if not leavers:
        return []
    tax_year = tax_year_of(run.schedule, run.pay_date)
    facts = slip_facts(run.schedule, tax_year, [e.pk for e in leavers],
                       on_or_before=run.pay_date)
    return _issue(DocumentKind.P45, run.schedule, tax_year, facts, acting_user,
                  {e.pk: e for e in leavers})


def document_download_audit(*, document: YearEndDocument, acting_user) -> None:
    audit_record(actor=acting_user, action="download", obj=document,
                 employee_id=document.employee_id, note=document.filename)
