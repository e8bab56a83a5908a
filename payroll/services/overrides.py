"""Overriding many blocking flags of a run at once, with one comment (who, when, why)."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from payroll.models import PayRun, Payslip
from payroll.services.runs import require_payroll_admin


def _open(payslip_flags: list[dict], overrides: list[dict]) -> set[str]:
    done = {o["code"] for o in overrides}
    return {f["code"] for f in payslip_flags
            if f.get("blocking") and f.get("overridable", True) and f["code"] not in done}


def run_overridable_flags(run: PayRun) -> Counter:
    """flag code -> how many payslips of the run have it blocking and not yet overridden
    (only flags that may be overridden). One query."""
    counts: Counter = Counter()
    for flags, overrides in run.payslips.order_by().values_list("flags", "overrides"):
        counts.update(_open(flags, overrides))
    return counts


@transaction.atomic
def payslip_flags_override_bulk(*, run: PayRun, code: str, comment: str, acting_user,
                                employee_numbers: list[str] | None = None) -> int:
    """Override flag `code` on every payslip of a calculated run that has it (or only those of
    `employee_numbers`), with one comment; returns how many payslips. Each payslip records the
    override and gets its own audit event, exactly like a single override."""
    require_payroll_admin(acting_user)
    run = PayRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PayRun.Status.CALCULATED:
        raise ValidationError(_("Flags can be overridden only on a calculated run."))
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say why these flags are acceptable."))
    payslips = run.payslips.select_related("employee").order_by("pk").select_for_update(of=(
        "self",)).only("id", "employee_id", "flags", "overrides", "employee__employee_number")
    if employee_numbers:
        wanted = {n.strip().lower() for n in employee_numbers}
        payslips = [p for p in payslips if p.employee.employee_number.lower() in wanted]
        unknown = wanted - {p.employee.employee_number.lower() for p in payslips}
        if unknown:
            raise ValidationError(_("Not paid in this run: %(n)s.") % {
                "n": ", ".join(sorted(unknown))})
    chosen = [p for p in payslips if code in _open(p.flags, p.overrides)]
    if not chosen:
        raise ValidationError(_("No payslip in this run has that flag left to override."))
    at = timezone.now().isoformat()
    entry = {"code": code, "comment": comment[:500], "by": acting_user.email,
             "by_id": acting_user.pk, "at": at}
    for payslip in chosen:
        payslip.overrides = [*payslip.overrides, entry]
    Payslip.objects.bulk_update(chosen, ["overrides"], batch_size=500)
    _audit(chosen, code, comment, acting_user)
    audit_record(actor=acting_user, action="update", obj=run, note=comment[:500],
                 changes={"overrides": [None, f"{code} x {len(chosen)}"]})
    return len(chosen)


def _audit(payslips: list[Payslip], code: str, comment: str, acting_user) -> None:
    """One audit event per payslip, written in bulk (the same fields audit_record writes)."""
    template = audit_record(actor=acting_user, action="update", obj=payslips[0],
                            employee_id=payslips[0].employee_id,
                            changes={code: [None, comment]}, note=comment)
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=template.actor, actor_label=template.actor_label,
                   ip_address=template.ip_address, source=template.source, action="update",
                   object_type=template.object_type, object_id=str(p.pk),
                   object_label=str(p)[:255], employee_id=p.employee_id,
                   changes={code: [None, comment]}, note=comment)
        for p in payslips[1:]], batch_size=500)
