"""Pay schedule settings that change how pay is taxed (audited, Payroll Admins only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from payroll.models import PaySchedule
from payroll.services.runs import require_payroll_admin


@transaction.atomic
def schedule_supplemental_method_set(*, schedule: PaySchedule, method: str,
                                     acting_user) -> PaySchedule:
    """How US supplemental wages are withheld on this schedule (IRS Pub 15 section 7): with
    regular wages ("aggregate") or at the optional flat rate ("flat"). Applies to runs
    calculated from now on; finalised runs never change."""
    require_payroll_admin(acting_user)
    if method not in PaySchedule.SupplementalMethod.values:
        raise ValidationError({"supplemental_method": _(
            "Choose “aggregate” or the optional flat rate.")})
    schedule = PaySchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.jurisdiction != "US":
        raise ValidationError({"supplemental_method": _(
            "Supplemental wage withholding is a US federal rule; %(name)s pays in %(country)s.")
            % {"name": schedule.name, "country": schedule.country}})
    if schedule.supplemental_method == method:
        return schedule
    before = schedule.supplemental_method
    schedule.supplemental_method = method
    schedule.save(update_fields=["supplemental_method"])
    audit_record(actor=acting_user, action="update", obj=schedule,
                 changes={"supplemental_method": [before, method]},
                 note="US supplemental wages withholding method")
    return schedule
