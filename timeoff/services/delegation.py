from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.models import Employee
from timeoff.models import Delegation


@transaction.atomic
def delegation_set(*, manager: Employee, delegate: Employee, first_day: date, last_day: date,
                   acting_user) -> Delegation:
    """A manager names who decides their reports' requests while they are away (the view lets a
    manager do it only for themself)."""
    if last_day < first_day:
        raise ValidationError(_("The last day is before the first day."))
    if delegate.pk == manager.pk:
        raise ValidationError(_("Choose someone else."))
    row = Delegation.objects.create(manager=manager, delegate=delegate, first_day=first_day,
                                    last_day=last_day, created_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=row, employee_id=manager.pk,
                 note="approval delegation",
                 changes={"delegate": [None, str(delegate)], "first_day": [None, str(first_day)],
                          "last_day": [None, str(last_day)]})
    return row
