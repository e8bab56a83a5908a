"""Keeping-in-touch days: work during family leave that neither ends the leave nor loses the
statutory pay for the week.

- Maternity and adoption leave: up to 10 KIT days (The Maternity and Parental Leave etc.
  Regulations 1999 reg 12A; The Paternity and Adoption Leave Regulations 2002 reg 21A; SMP
  (General) Regulations 1986 reg 9A and SPP and SAP (General) Regulations 2002 reg 27A: no SMP
  / SAP is lost for a week with a KIT day);
- Shared parental leave: up to 20 "SPLIT" days (The Shared Parental Leave Regulations 2014
  reg 37; ShPP (General) Regulations 2014 reg 13).
Recorded by HR or the manager (approver) of the person, on a day of approved leave. Payroll
reads them through the absence feed: the day is paid as work (not deducted as unpaid leave)
and the statutory pay for it stays.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from timeoff import access
from timeoff.models import Category, KeepingInTouchDay, LeaveRequest

LIMITS = {Category.MATERNITY: 10, Category.ADOPTION: 10, Category.SHARED_PARENTAL: 20}


@transaction.atomic
def kit_day_record(*, request: LeaveRequest, day: date, acting_user, note: str = ""
                   ) -> KeepingInTouchDay:
    if not access.is_approver_of(acting_user, request.employee):
        raise PermissionDenied(_("Only HR or the manager records keeping-in-touch days."))
    # Locked: two records at once cannot both pass the limit.
    request = LeaveRequest.objects.select_for_update().select_related(
        "leave_type", "employee").get(pk=request.pk)
    limit = LIMITS.get(request.leave_type.category)
    if limit is None:
        raise ValidationError(_("Keeping-in-touch days belong to maternity, adoption or shared "
                                "parental leave."), code="kind")
    if request.status != LeaveRequest.Status.APPROVED:
        raise ValidationError(_("Keeping-in-touch days are recorded on approved leave."),
                              code="state")
    if not request.first_day <= day <= request.last_day:
        raise ValidationError({"day": _("The day is not part of this leave (%(first)s to "
                                        "%(last)s).") % {"first": request.first_day,
                                                          "last": request.last_day}})
    existing = KeepingInTouchDay.objects.filter(request=request)
    if existing.filter(day=day).exists():
        raise ValidationError({"day": _("This day is already a keeping-in-touch day.")})
    if existing.count() >= limit:
        name = _("SPLIT days") if request.leave_type.category == Category.SHARED_PARENTAL \
            else _("keeping-in-touch days")
        raise ValidationError(
            _("At most %(limit)s %(name)s in %(type)s: all %(limit)s are used. Working more "
              "days would end the leave or lose statutory pay for that week.")
            % {"limit": limit, "name": name, "type": request.leave_type}, code="limit")
    kit = KeepingInTouchDay.objects.create(request=request, day=day, note=note.strip()[:255],
                                           created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=kit, employee_id=request.employee_id,
                 changes={"day": [None, day.isoformat()]}, note="keeping-in-touch day")
    return kit
