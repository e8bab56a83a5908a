"""Re-enrolment every three years (reg. 12 of the 2010 Regulations): on the date the employer
chose within three months either side of the third anniversary of the duties start date, every
jobholder who opted out or ceased and is (on the latest assessment) an eligible jobholder is
enrolled again, with the re-enrolment letter; the declaration figures are kept for TPR.
Those who opted out or ceased in the 12 months before the date may be left out (reg. 12(2)):
they are."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pensions import rules
from pensions.models import Letter, Membership, PensionScheme, Reenrolment
from pensions.services.enrolment import enrol
from pensions.services.schemes import require_scheme_admin


@transaction.atomic
def reenrol(*, scheme: PensionScheme, on: date, acting_user) -> Reenrolment:
    require_scheme_admin(acting_user)
    first, last = rules.reenrolment_window(scheme.duties_start_date)
    if not first <= on <= last:
        raise ValidationError(_("The re-enrolment date must be between %(a)s and %(b)s.")
                              % {"a": first, "b": last})
    done = Reenrolment.objects.filter(scheme=scheme, reenrolment_date=on).first()
    if done is not None:
        return done
    year_before = on - relativedelta(years=1)
    candidates = Membership.objects.select_for_update(of=("self",)).select_related(
        "scheme__employee_component", "scheme__employer_component").filter(
        scheme=scheme, status__in=[Membership.Status.OPTED_OUT, Membership.Status.CEASED])
    reenrolled = assessed = 0
    for membership in candidates:
        assessed += 1
        left_on = membership.opted_out_on or membership.ceased_on
        if membership.category != rules.ELIGIBLE or (left_on and left_on > year_before):
            continue
        enrol(membership, on, kind=Letter.Kind.REENROLMENT, actor=acting_user)
        reenrolled += 1
    active = Membership.objects.filter(scheme=scheme).filter(
        Q(status__in=Membership.ACTIVE)).count()
    scheme.reenrolment_date = on
    scheme.save(update_fields=["reenrolment_date"])
    return Reenrolment.objects.create(scheme=scheme, reenrolment_date=on, assessed=assessed,
                                      reenrolled=reenrolled, active_members=active,
                                      done_by=acting_user)
