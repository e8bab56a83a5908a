"""Segregation of duties in a pay run (issue 12 item 2): a payslip whose pay or bank details were
changed, since the schedule's last finalised run, by the very person who calculated this run is
flagged "changed_by_calculator", so the approver (always someone else, four-eyes) looks at it.

Worked out from the audit trail on every calculation, like the other data flags
(calculation.data_flags folds it into the inputs hash): one query per chunk. Kept out of
calculation.py so the flag machinery there stays one list of calls."""

from datetime import UTC, datetime

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from hrops.sql_ids import id_array
from payroll.models import PayRun

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

CODE = "changed_by_calculator"
# What "pay or bank details" means here: the records payroll pays from.
WATCHED = {
    "employees.compensationrecord": _("pay"),
    "employees.bankaccount": _("bank details"),
    "payroll.employeepayitem": _("recurring pay items"),
}


def _last_run_end(run: PayRun) -> Coalesce:
    """When the schedule's last finalised run before this one was finalised (or the epoch):
    a subquery, so the whole check stays one query."""
    last = (PayRun.objects.filter(schedule_id=run.schedule_id, finalised_at__isnull=False)
            .exclude(pk=run.pk).order_by("-finalised_at").values("finalised_at")[:1])
    return Coalesce(Subquery(last), Value(EPOCH))


def changed_by_calculator_flags(run: PayRun, prepared: list, make_flag) -> None:
    """Append the flag to each prepared payslip (calculation.Prepared) it applies to."""
    if not run.calculated_by_id or not prepared:
        return
    events = AuditEvent.objects.filter(
        actor_id=run.calculated_by_id, object_type__in=WATCHED,
        employee_id__in_ids=id_array([p.employee.pk for p in prepared]), at__gt=_last_run_end(run))
    changed: dict[int, set[str]] = {}
    for employee_id, object_type in events.values_list("employee_id", "object_type").distinct():
        changed.setdefault(employee_id, set()).add(str(WATCHED[object_type]))
    for p in prepared:
        if p.employee.pk in changed:
            what = ", ".join(sorted(changed[p.employee.pk]))
            p.flags.append(make_flag(CODE, _(
                "The person who calculated this run changed this employee's %(what)s since "
                "the last run.") % {"what": what}))
