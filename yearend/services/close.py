"""The year-end close of one employer's (pay schedule's) tax year: refuse while any run of the
year is not finalised, produce the year's P60s / W-2s, roll UK tax codes forward for the new
year as HMRC's notice (P9X) says, and lock the year. Closing twice does nothing new."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from payroll.models import PayRun, PaySchedule, Payslip, TaxProfile
from yearend.models import YearEndClose
from yearend.rollover import roll_code
from yearend.selectors import unfinalised_runs
from yearend.services.documents import require_payroll_admin, year_documents_issue

SUFFIXES = ("L", "M", "N")


def _clean_uplifts(uplifts: Mapping[str, int] | None) -> dict[str, int]:
    clean = {}
    for suffix, value in (uplifts or {}).items():
        if suffix not in SUFFIXES:
            raise ValidationError(_("Tax code suffix %(s)s cannot be uplifted (only L, M and N).")
                                  % {"s": suffix})
        if not 0 <= int(value) <= 9999:
            raise ValidationError(_("An uplift is a whole number from 0 to 9999."))
        clean[suffix] = int(value)
    return clean


def tax_codes_roll_forward(*, schedule: PaySchedule, tax_year: str, uplifts: dict[str, int],
                           acting_user) -> int:
    """Every UK tax profile of the people this schedule paid in the closing year and who are
    still employed after it: the P9X uplift applied, week 1 / month 1 removed; one audit event
    per profile that changes. Profiles locked in pk order (no deadlock with a second close)."""
    end = date(int(tax_year[:4]) + 1, 4, 5)
    paid = Payslip.objects.filter(run__schedule=schedule, tax_year=tax_year,
                                  run__status__in=PayRun.FROZEN).values("employee_id")
    profiles = TaxProfile.objects.select_for_update().filter(
        jurisdiction="UK", employee_id__in=paid).exclude(
        employee__termination_date__lte=end).order_by("pk")
    changed = 0
    for profile in profiles:
        new_code = roll_code(profile.tax_code, uplifts) if profile.tax_code else ""
        changes = {}
        if new_code != profile.tax_code:
            changes["tax_code"] = [profile.tax_code, new_code]
        if profile.week1_month1:
            changes["week1_month1"] = [True, False]
        if not changes:
            continue
        profile.tax_code, profile.week1_month1 = new_code, False
        profile.save(update_fields=["tax_code", "week1_month1", "updated_at"])
        audit_record(actor=acting_user, action="update", obj=profile,
                     employee_id=profile.employee_id, changes=changes,
                     note=f"tax code rolled forward from {tax_year} (P9X)")
        changed += 1
    return changed


@transaction.atomic
def year_close(*, schedule: PaySchedule, tax_year: str, acting_user,
               uplifts: Mapping[str, int] | None = None,
               today: date | None = None) -> YearEndClose:
    require_payroll_admin(acting_user)
    # One close at a time per schedule: the schedule row is the lock.
    schedule = PaySchedule.objects.select_for_update().get(pk=schedule.pk)
    existing = YearEndClose.objects.filter(schedule=schedule, tax_year=tax_year).first()
    if existing is not None and existing.status == YearEndClose.Status.CLOSED:
        return existing
    clean = _clean_uplifts(uplifts) if schedule.jurisdiction == "UK" else {}
    if open_runs := unfinalised_runs(schedule, tax_year).count():
        raise ValidationError(_("%(n)d run(s) of %(year)s are not finalised: finalise (or "
                                "delete) them before closing the year.")
                              % {"n": open_runs, "year": tax_year})
    if getattr(settings, "YEAREND_CLOSE_FOUR_EYES", False):
        if existing is None:  # the first Payroll Admin asks; a second one closes
            close = YearEndClose.objects.create(
                schedule=schedule, tax_year=tax_year, status=YearEndClose.Status.REQUESTED,
                requested_by=acting_user, code_uplifts=clean)
            audit_record(actor=acting_user, action="create", obj=close,
                         note=f"{tax_year} close requested", changes={"uplifts": [None, clean]})
            return close
        if existing.requested_by_id == acting_user.pk:
            raise ValidationError(_("Four-eyes rule: another Payroll Admin must confirm the "
                                    "close you asked for."))
        clean = existing.code_uplifts  # what the first admin entered is what is applied
    documents = year_documents_issue(schedule=schedule, tax_year=tax_year,
                                     acting_user=acting_user, today=today)
    rolled = 0
    if schedule.jurisdiction == "UK":
        rolled = tax_codes_roll_forward(schedule=schedule, tax_year=tax_year, uplifts=clean,
                                        acting_user=acting_user)
    close, _created = YearEndClose.objects.update_or_create(
        schedule=schedule, tax_year=tax_year, defaults={
            "status": YearEndClose.Status.CLOSED, "closed_by": acting_user,
            "closed_at": timezone.now(), "code_uplifts": clean, "codes_rolled": rolled,
            "documents": len(documents)})
    audit_record(actor=acting_user, action="status", obj=close, note=f"{tax_year} closed",
                 changes={"documents": [None, len(documents)], "codes_rolled": [None, rolled],
                          "closed_at": [None, timezone.now().isoformat()]})
    return close
