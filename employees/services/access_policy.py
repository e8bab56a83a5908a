"""The company's access levels (employees.models.AccessPolicy), changed by HR Admin only and
audited with before/after like every other change to who may see pay."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from audit.services import audit_record, diff, snapshot
from employees.models import AccessPolicy

POLICY_FIELDS = ("managers_see_team_pay", "pay_changes_need_second_approval",
                 "pay_change_threshold_percent", "pay_change_threshold_amount",
                 "colleague_directory")


@transaction.atomic
def access_policy_update(*, acting_user, **values) -> AccessPolicy:
    """Set any of POLICY_FIELDS (the others keep their values)."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Not access-policy fields: {sorted(unknown)}")
    if not is_hr_admin(acting_user):
        raise PermissionDenied(_("Only an HR Admin sets access levels."))
    AccessPolicy.objects.get_or_create(pk=1)
    policy = AccessPolicy.objects.select_for_update().get(pk=1)
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in values.items():
        setattr(policy, name, value)
    changes = diff(before, snapshot(policy, POLICY_FIELDS))
    if changes:
        policy.updated_by = acting_user
        policy.save()
        audit_record(actor=acting_user, action="update", obj=policy, changes=changes,
                     note="access levels")
    return policy
