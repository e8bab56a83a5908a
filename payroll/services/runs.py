"""The pay run: draft -> calculating -> calculated -> approved -> finalised -> paid.

Only these services change a run's status: each locks the run row, returns early when already
there, checks ALLOWED, saves, records an audit event and schedules side effects on commit.
"""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from delivery.services import delivery_enqueue_many
from employees.access import require_not_self
from payroll.models import (
    DocumentSequence,
    PayPeriod,
    PayRun,
    PayRunChunk,
    PaySchedule,
    Payslip,
    RunInput,
)
from payroll.selectors import run_employee_ids
from payroll.selectors_flags import blocked_count
from payroll.selectors_position import stale_payslip_count
from payroll.selectors_retro import arrears_paid_since_calculation
from payroll.services.calculation import calculate_employees
from payroll.services.corrections import check_correction_pay_date
from payroll.services.run_summary import run_summary_write
from payroll.signals import run_calculated, run_finalised, run_pay_date_check

log = logging.getLogger(__name__)
S = PayRun.Status
# Employees per calculation chunk. Each chunk costs ~26 ms of CPU whatever its size (its ~16
# queries, the delivery claim, three commits) on top of ~0.5 ms a person (bench/payroll_chunk.py,
# 50/200/500 people): at 500 a 20,000-person run is 40 chunks instead of 100, and the tail (the
# other worker idle while the last chunk runs, ~0.3 s of CPU) stays short.
CHUNK_SIZE = 500
CHUNK_KIND = "payroll.calc_chunk"
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.CALCULATING},
    S.CALCULATING: {S.CALCULATED, S.DRAFT},
    S.CALCULATED: {S.CALCULATING, S.APPROVED, S.DRAFT},
    S.APPROVED: {S.CALCULATING, S.FINALISED},
    S.FINALISED: {S.PAID},
    S.PAID: set(),
}


def require_payroll_admin(user) -> None:
    if not has_role(user, Role.PAYROLL_ADMIN):
        raise PermissionDenied(_("Only a Payroll Admin may do this."))


def _lock(run: PayRun) -> PayRun:
    return PayRun.objects.select_for_update().select_related("schedule", "period").get(pk=run.pk)


def _check(run: PayRun, new: str) -> None:
    if new not in ALLOWED[run.status]:
        raise ValidationError(_("A %(status)s run cannot become %(new)s.")
                              % {"status": run.get_status_display().lower(), "new": new})


def pay_date_check(schedule: PaySchedule, pay_date: date) -> None:
    """Apps above payroll may refuse a pay date (yearend: a tax year its close has locked);
    their ValidationError reaches the caller before anything is written."""
    run_pay_date_check.send(sender=PaySchedule, schedule=schedule, pay_date=pay_date)


def run_create(*, schedule: PaySchedule, period: PayPeriod, acting_user,
               kind: str = PayRun.Kind.REGULAR, employees=(), pay_date: date | None = None,
               note: str = "", corrects: PayRun | None = None) -> PayRun:
    """A new draft run. The database allows one regular run per schedule and period: a second
    request (even a concurrent one) gets a clear error instead of a duplicate."""
    require_payroll_admin(acting_user)
    if period.schedule_id != schedule.pk:
        raise ValidationError(_("That period belongs to another schedule."))
    if kind != PayRun.Kind.REGULAR and not employees:
        raise ValidationError(_("Choose who this off-cycle run pays."))
    pay_date_check(schedule, pay_date or period.pay_date)
    try:
        with transaction.atomic():
            run = PayRun.objects.create(
                schedule=schedule, period=period, kind=kind, pay_date=pay_date or period.pay_date,
                currency=schedule.currency, note=note, created_by=acting_user, corrects=corrects)
            if employees:
                run.employees.set(employees)
            audit_record(actor=acting_user, action="create", note="pay run created", obj=run,
                         changes={"kind": [None, kind], "period": [None, str(period)]})
    except IntegrityError as exc:
        if "payrun_one_regular_per_period" in str(exc) or "UNIQUE" in str(exc).upper():
            raise ValidationError(
                _("A regular run for %(period)s already exists.") % {"period": period}
            ) from exc
        raise
    return run


@transaction.atomic
def run_calculate(*, run: PayRun, acting_user, restart: bool = False) -> PayRun:
    """Start (or restart) calculation: split the run's employees into chunks for the workers.

    Recalculating replaces results, but an employee whose inputs are unchanged keeps their
    payslip (compared by inputs hash in the chunk). A calculation already under way is left
    alone unless `restart` (its tasks were lost, say): the new generation makes any late chunk
    of the old one a no-op."""
    require_payroll_admin(acting_user)
    run = _lock(run)
    if run.status == S.CALCULATING and not restart:
        return run
    if run.status != S.CALCULATING:
        _check(run, S.CALCULATING)
    employee_ids = run_employee_ids(run)
    run.payslips.exclude(employee_id__in=employee_ids).delete()
    run.calc_generation += 1
    run.status = S.CALCULATING
    run.progress_total, run.progress_done = len(employee_ids), 0
    run.calculated_by, run.approved_by, run.approved_at = acting_user, None, None
    run.last_error = ""
    run.save(update_fields=["calc_generation", "status", "progress_total", "progress_done",
                            "calculated_by", "approved_by", "approved_at", "last_error"])
    chunks = PayRunChunk.objects.bulk_create(
        PayRunChunk(run=run, generation=run.calc_generation, index=i,
                    employee_ids=employee_ids[start:start + CHUNK_SIZE])
        for i, start in enumerate(range(0, len(employee_ids), CHUNK_SIZE))
    )
    audit_record(actor=acting_user, action="status", note="calculation started", obj=run,
                 changes={"employees": [None, len(employee_ids)]})
    if not chunks:
        transaction.on_commit(lambda: _finish(run.pk, run.calc_generation))
    # Durable: the chunks' delivery items commit with the "calculating" status, so a broker
    # outage delays the calculation instead of leaving it at 0/N for ever.
    delivery_enqueue_many(kind=CHUNK_KIND, group=f"payrun:{run.pk}", items=(
        (f"{CHUNK_KIND}:{chunk.pk}", {"chunk_id": chunk.pk}) for chunk in chunks))
    return run


def run_calculate_chunk(*, chunk_id: int) -> None:
    """Claim one chunk (row lock; a redelivered task finds it done) and calculate it."""
    with transaction.atomic():
        chunk = PayRunChunk.objects.select_for_update().filter(
            pk=chunk_id, done_at__isnull=True).first()
        if chunk is None:
            return
        run = PayRun.objects.select_related("schedule", "period", "corrects").get(
            pk=chunk.run_id)
        if run.status != S.CALCULATING or run.calc_generation != chunk.generation:
            return  # superseded by a newer calculation request
        calculate_employees(run, chunk.employee_ids)
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["done_at"])
        PayRun.objects.filter(pk=run.pk, calc_generation=chunk.generation).update(
            progress_done=F("progress_done") + len(chunk.employee_ids))
    _finish(run.pk, chunk.generation)


def _finish(run_id: int, generation: int) -> None:
    if PayRunChunk.objects.filter(run_id=run_id, generation=generation,
                                  done_at__isnull=True).exists():
        return
    with transaction.atomic():
        updated = PayRun.objects.filter(
            pk=run_id, status=S.CALCULATING, calc_generation=generation
        ).update(status=S.CALCULATED, calculated_at=timezone.now())
        if updated:
            PayRunChunk.objects.filter(run_id=run_id).exclude(generation=generation).delete()
            run = PayRun.objects.select_related("corrects").get(pk=run_id)
            # The review's figures, once per calculation, with the status they describe. In a
            # savepoint: if they cannot be worked out the run is still calculated (never left
            # "calculating"), and its pages work the same figures out live.
            try:
                with transaction.atomic():
                    run_summary_write(run)
            except DatabaseError:
                log.exception("run %s: summary not written; pages compute it live", run.pk)
            audit_record(actor=run.calculated_by, action="status", note="calculated", obj=run)
            run_calculated.send(sender=PayRun, run=run, generation=generation)
            _tell_approvers(run, generation)


def _tell_approvers(run: PayRun, generation: int) -> None:
    """Four-eyes: every Payroll Admin but the one who calculated has a run to review."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.models import Notification
    from notifications.services import notify_user_ids

    approvers = (get_user_model().objects.filter(groups__name=Role.PAYROLL_ADMIN, is_active=True)
                 .exclude(pk=run.calculated_by_id))
    notify_user_ids(user_ids=approvers.values_list("pk", flat=True),
                    kind=Notification.Kind.APPROVAL_WAITING,
                    text=_("Pay run %(run)s is calculated and waiting for approval") % {
                        "run": run},
                    url=reverse("payroll:run_review", args=[run.pk]),
                    key=f"payroll.run_approval:{run.pk}:{generation}")


def run_calculation_failed(*, chunk_id: int, error: str) -> None:
    """A chunk failed for an unexpected reason: back to draft with the error kept."""
    chunk = PayRunChunk.objects.filter(pk=chunk_id).first()
    if chunk is None:
        return
    PayRun.objects.filter(pk=chunk.run_id, status=S.CALCULATING,
                          calc_generation=chunk.generation).update(
        status=S.DRAFT, last_error=error[:2000])


def blocking_payslips(run: PayRun) -> int:
    """Payslips with a blocking flag no override accepts: counted in SQL (one query)."""
    return blocked_count(run.pk)


@transaction.atomic
def run_approve(*, run: PayRun, acting_user) -> PayRun:
    """Four-eyes: the approver is a Payroll Admin other than whoever calculated the run."""
    require_payroll_admin(acting_user)
    run = _lock(run)
    if run.status == S.APPROVED:
        return run
    _check(run, S.APPROVED)
    if run.calculated_by_id == acting_user.pk:
        raise ValidationError(_("Four-eyes rule: someone other than the person who calculated "
                                "this run must approve it."))
    if run.payslips.filter(employee__user_id=acting_user.pk).exists():
        # Segregation of duties (issue 12): nobody approves their own pay.
        raise ValidationError(_("This run contains your own payslip: another Payroll Admin "
                                "must approve it."))
    blocked = blocking_payslips(run)
    if blocked:
        raise ValidationError(_("%(n)d payslip(s) have blocking flags to resolve or override.")
                              % {"n": blocked})
    run.status, run.approved_by, run.approved_at = S.APPROVED, acting_user, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=acting_user, action="status", note="approved", obj=run)
    return run


@transaction.atomic(durable=True)
def run_finalise(*, run: PayRun, acting_user) -> PayRun:
    """Lock the run, number its payslips gaplessly and freeze everything, in one transaction.

    Durable: finalising is never part of a bigger transaction that could roll it back after
    the payslip pipeline has been told to start."""
    return finalise_in_transaction(run=run, acting_user=acting_user)


def finalise_in_transaction(*, run: PayRun, acting_user, deliver: bool = True) -> PayRun:
    """The body of run_finalise, for callers already inside a transaction they own (the demo
    seeder runs in the seed command's single transaction). `deliver=False` leaves the payslip
    PDFs pending and sends no emails (loading history: `payslips_render_pending` renders them)."""
    require_payroll_admin(acting_user)
    run = _lock(run)
    if run.status == S.FINALISED:
        return run
    _check(run, S.FINALISED)
    # Checked again here: a year closed after this run was created (the close refuses while a
    # run of the year is unfinished, but the two can cross) still locks it.
    pay_date_check(run.schedule, run.pay_date)
    # Gapless numbering: one counter row, locked until commit, so numbers never skip or repeat.
    # Locked BEFORE the checks below: finalisations queue here one after the other, so each
    # check sees every run finalised before it (two runs checked side by side could otherwise
    # both pass and, say, both pay the same arrears).
    DocumentSequence.objects.get_or_create(name="payslip")
    sequence = DocumentSequence.objects.select_for_update().get(name="payslip")
    if stale := stale_payslip_count(run):
        raise ValidationError(_(
            "%(n)d payslip(s) were calculated before another payment to the same people in the "
            "same tax period was finalised: recalculate this run (it will count that payment), "
            "approve it again and then finalise.") % {"n": stale})
    if stale := arrears_paid_since_calculation(run):
        raise ValidationError(_(
            "%(n)d payslip(s) pay arrears that another run has paid and finalised since this "
            "run was calculated: recalculate this run (it will count what that run paid, so "
            "the arrears are paid once), approve it again and then finalise.") % {"n": stale})
    payslip_ids = list(run.payslips.order_by(
        "employee__legal_last_name", "employee__legal_first_name", "pk"
    ).values_list("pk", flat=True))
    first = sequence.last_value + 1
    numbered = [Payslip(pk=pk, number=first + i) for i, pk in enumerate(payslip_ids)]
    # The bank account paid and what the payslip prints are recorded now, with the numbers.
    from payroll.services.issue import issue_details, payslips_save_issued

    payslips_save_issued(numbered, ["number", *issue_details(run, numbered)])
    sequence.last_value += len(payslip_ids)
    sequence.save(update_fields=["last_value"])
    run.status, run.finalised_by, run.finalised_at = S.FINALISED, acting_user, timezone.now()
    run.save(update_fields=["status", "finalised_by", "finalised_at"])
    audit_record(actor=acting_user, action="status", note="finalised", obj=run,
                 changes={"payslips": [None, len(payslip_ids)]})
    if deliver:
        # In this transaction: the PDFs are due exactly when the run is final (published to the
        # workers after commit; a broker outage only delays them, see delivery/).
        from payroll.services.payslips import payslips_render_for_run

        payslips_render_for_run(run.pk)
    # The apps above (a leaver's P45, the webhook) write theirs in this transaction too.
    run_finalised.send(sender=PayRun, run=run, acting_user=acting_user, deliver=deliver)
    return run


@transaction.atomic
def run_mark_paid(*, run: PayRun, acting_user) -> PayRun:
    require_payroll_admin(acting_user)
    run = _lock(run)
    if run.status == S.PAID:
        return run
    _check(run, S.PAID)
    run.status, run.paid_at = S.PAID, timezone.now()
    run.save(update_fields=["status", "paid_at"])
    audit_record(actor=acting_user, action="status", note="marked paid", obj=run)
    return run


@transaction.atomic
def run_correction_create(*, original: PayRun, employee_ids: list[int], acting_user,
                          pay_date: date | None = None, note: str = "") -> PayRun:
    """A correction run for some employees of a finalised run: reverses and replaces.

    Correcting a correction corrects the payment it corrected: what is in force is that
    payment plus all its finalised corrections, so reversing only the correction's difference
    lines and paying a whole period again would pay the period twice."""
    if not original.is_frozen:
        raise ValidationError(_("Only a finalised run can be corrected."))
    while original.kind == PayRun.Kind.CORRECTION and original.corrects_id:
        original = PayRun.objects.select_related("schedule", "period", "corrects").get(
            pk=original.corrects_id)
    pay_date_check(original.schedule, original.pay_date)  # the year it corrects is closed
    paid = set(original.payslips.values_list("employee_id", flat=True))
    chosen = [pk for pk in employee_ids if pk in paid]
    if not chosen:
        raise ValidationError(_("Choose at least one employee paid in that run."))
    pay_date = pay_date or timezone.localdate()
    check_correction_pay_date(original, pay_date)
    run = run_create(schedule=original.schedule, period=original.period, acting_user=acting_user,
                     kind=PayRun.Kind.CORRECTION, employees=chosen, corrects=original,
                     pay_date=pay_date, note=note)
    RunInput.objects.bulk_create(
        RunInput(run=run, employee_id=ri.employee_id, component_id=ri.component_id,
                 quantity=ri.quantity, rate=ri.rate, amount=ri.amount, note=ri.note)
        for ri in original.inputs.filter(employee_id__in=chosen)
    )
    return run


@transaction.atomic
def payslip_flag_override(*, payslip: Payslip, code: str, comment: str, acting_user) -> Payslip:
    """Accept a blocking flag with a recorded comment (who, when, why)."""
    require_payroll_admin(acting_user)
    run = _lock(payslip.run)
    if run.status != S.CALCULATED:
        raise ValidationError(_("Flags can be overridden only on a calculated run."))
    payslip = Payslip.objects.select_for_update().select_related("employee").get(pk=payslip.pk)
    require_not_self(acting_user, payslip.employee, _("payslip's flags"))
    flag = next((f for f in payslip.flags if f["code"] == code), None)
    if flag is None or not flag.get("blocking"):
        raise ValidationError(_("No such blocking flag on this payslip."))
    if not flag.get("overridable", True):
        raise ValidationError(_("This flag cannot be overridden; fix the cause and recalculate."))
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say why this flag is acceptable."))
    if any(o["code"] == code for o in payslip.overrides):
        return payslip
    payslip.overrides = [*payslip.overrides, {
        "code": code, "comment": comment[:500], "by": acting_user.email,
        "by_id": acting_user.pk, "at": timezone.now().isoformat()}]
    payslip.save(update_fields=["overrides"])
    audit_record(actor=acting_user, action="update", obj=payslip,
                 employee_id=payslip.employee_id, changes={code: [None, comment]}, note=comment)
    return payslip


def run_mark_inputs_changed(run: PayRun) -> None:
    """Inputs changed after calculation: the results are stale until recalculated."""
    if run.status in (S.CALCULATED, S.APPROVED):
        PayRun.objects.filter(pk=run.pk, status=run.status).update(
            status=S.DRAFT, approved_by=None, approved_at=None)
