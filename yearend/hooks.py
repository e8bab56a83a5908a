"""Payroll's questions and news that year end answers (payroll.signals; connected in
YearendConfig.ready): the year lock before a run, a correction or a finalisation, and a
leaver's P45 with their final pay."""

from datetime import date

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from payroll.models import PayRun, PaySchedule
from payroll.signals import run_finalised, run_pay_date_check


@receiver(run_pay_date_check, sender=PaySchedule, dispatch_uid="yearend.year_lock")
def year_lock(sender, schedule: PaySchedule, pay_date: date, **kwargs) -> None:
    """No run or correction is paid in a tax year its year-end close has locked."""
    from yearend.selectors import tax_year_of, year_is_closed

    if not schedule.is_supported:
        return  # no tax year to lock: the run itself is refused or flagged as unsupported
    tax_year = tax_year_of(schedule, pay_date)
    if year_is_closed(schedule.pk, tax_year):
        raise ValidationError(_(
            "The tax year %(year)s of %(schedule)s is closed (year end): no run or correction "
            "can be paid on %(date)s. Pay it in the current tax year instead.")
            % {"year": tax_year, "schedule": schedule, "date": pay_date.isoformat()})


@receiver(run_finalised, sender=PayRun, dispatch_uid="yearend.p45s_on_finalised")
def p45s_on_finalised(sender, run: PayRun, acting_user, deliver: bool, **kwargs) -> None:
    """A leaver's final pay: their P45, in the finalising transaction (rendered after commit).
    Loading history (deliver=False) issues none."""
    if not deliver:
        return
    from yearend.services.documents import p45s_for_run

    p45s_for_run(run, acting_user)
