"""The US employer's filing outputs from its issued W-2s: Form W-3 totals and the SSA EFW2 file
(figures read back from the stored documents, so the file equals the W-2s employees got)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.models import Employee
from payroll.models import PaySchedule
from yearend import efw2
from yearend.figures import W2Figures, W3Figures, w3_figures
from yearend.models import DocumentKind, FilingSettings, YearEndDocument
from yearend.services.documents import require_payroll_admin

BOXES = ("box1", "box2", "box3", "box4", "box5", "box6")


def w2_from_figures(figures: dict) -> W2Figures:
    return W2Figures(
        tax_year=figures["tax_year"], **{b: Decimal(figures[b]) for b in BOXES},
        box12=tuple((c, Decimal(a)) for c, a in figures.get("box12", [])),
        box14=tuple((label, Decimal(a)) for label, a in figures.get("box14", [])))


def _w2_documents(schedule: PaySchedule, tax_year: str) -> list[YearEndDocument]:
    return list(YearEndDocument.objects.filter(
        schedule=schedule, tax_year=tax_year, kind=DocumentKind.W2).select_related(
        "employee").order_by("employee__legal_last_name", "employee__legal_first_name", "pk"))


def w3_for_year(schedule: PaySchedule, tax_year: str) -> W3Figures:
    return w3_figures([w2_from_figures(d.figures) for d in _w2_documents(schedule, tax_year)],
                      tax_year=tax_year)


def w3_download_audit(*, schedule: PaySchedule, tax_year: str, count: int, acting_user) -> None:
    audit_record(actor=acting_user, action="export", obj=schedule,
                 note=f"Form W-3 PDF {tax_year}: {count} W-2s")


def _employee(document: YearEndDocument) -> efw2.Employee:
    person: Employee = document.employee
    ssn = person.national_id if person.national_id_country in ("US", "") else ""
    return efw2.Employee(
        ssn=ssn, first_name=person.legal_first_name, last_name=person.legal_last_name,
        address=efw2.Address(delivery=person.address_line1, location=person.address_line2,
                             city=person.city, state=person.region[:2] if person.region else "",
                             zip=(person.postal_code or "").split("-")[0][:5]),
        w2=w2_from_figures(document.figures))


def efw2_for_year(*, schedule: PaySchedule, tax_year: str, acting_user) -> bytes:
    """The EFW2 file of the employer's W-2s for the year; ValidationError with what is missing."""
    require_payroll_admin(acting_user)
    settings = FilingSettings.objects.filter(schedule=schedule).first()
    if settings is None:
        raise ValidationError(_("Enter the EFW2 submitter details (BSO User ID, contact) first."))
    documents = _w2_documents(schedule, tax_year)
    if not documents:
        raise ValidationError(_("No Forms W-2 have been produced for %(year)s yet.")
                              % {"year": tax_year})
    address = efw2.Address(delivery=(schedule.employer_address or "").splitlines()[0]
                           if schedule.employer_address else "", city=settings.employer_city,
                           state=settings.employer_state,
                           zip=(settings.employer_zip or "").split("-")[0][:5])
    name = schedule.employer_legal_name or schedule.name
    try:
        records = efw2.efw2_records(
            submitter=efw2.Submitter(ein=schedule.employer_ein, user_id=settings.bso_user_id,
                                     name=name, address=address,
                                     contact_name=settings.contact_name,
                                     contact_phone=settings.contact_phone,
                                     contact_email=settings.contact_email),
            employer=efw2.Employer(ein=schedule.employer_ein, name=name, address=address,
                                   contact_name=settings.contact_name,
                                   contact_phone=settings.contact_phone,
                                   contact_email=settings.contact_email),
            tax_year=tax_year, employees=[_employee(d) for d in documents])
    except efw2.Efw2Error as exc:
        raise ValidationError(str(exc)) from exc
    audit_record(actor=acting_user, action="export", obj=schedule,
                 note=f"EFW2 file {tax_year}: {len(documents)} W-2s")
    return efw2.efw2_file(records)


@transaction.atomic
def filing_settings_save(*, schedule: PaySchedule, data: dict, acting_user) -> FilingSettings:
    require_payroll_admin(acting_user)
    settings, created = FilingSettings.objects.select_for_update().get_or_create(
        schedule=schedule, defaults=data)
    changes = {}
    if not created:
        for field, value in data.items():
            if getattr(settings, field) != value:
                changes[field] = [getattr(settings, field), value]
                setattr(settings, field, value)
        if not changes:
            return settings
        settings.save()
    audit_record(actor=acting_user, action="create" if created else "update", obj=settings,
                 changes=changes or {k: [None, v] for k, v in data.items()})
    return settings
