"""Keeping-in-touch (KIT) and SPLIT days: recorded against approved family leave, limited
(10 in maternity / adoption leave, 20 in shared parental leave: MPL Regs 1999 reg 12A, SPL Regs
2014 reg 37), and paid as work by payroll without losing the statutory pay."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payroll.engine.statutory import Absence, Employment, Payment, statutory_pay
from payroll.services.statutory import ChunkStatutory
from tests.factories.timeoff import leave_type
from timeoff.models import KeepingInTouchDay
from timeoff.payroll_feed import TimeOffAbsenceProvider
from timeoff.services.kit_days import kit_day_record
from timeoff.services.requests import Dates, request_approve, request_create

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2026, 10, 5), date(2027, 3, 28)


def _leave(org, hr_admin, category="maternity"):
    request = request_create(employee=org.report, leave_type=leave_type(category),
                             dates=Dates(FIRST, LAST), acting_user=hr_admin,
                             expected_week=date(2026, 10, 18))
    return request_approve(request=request, acting_user=org.users["manager"])


def test_ten_kit_days_in_maternity_leave_then_a_clear_refusal(org, hr_admin):
    leave = _leave(org, hr_admin)
    for n in range(10):
        kit_day_record(request=leave, day=FIRST + timedelta(weeks=n + 1),
                       acting_user=org.users["manager"])
    with pytest.raises(ValidationError, match="At most 10 keeping-in-touch days"):
        kit_day_record(request=leave, day=FIRST + timedelta(weeks=12), acting_user=hr_admin)
    assert KeepingInTouchDay.objects.filter(request=leave).count() == 10


def test_twenty_split_days_in_shared_parental_leave(org, hr_admin):
    leave = _leave(org, hr_admin, "shared_parental")
    for n in range(20):
        kit_day_record(request=leave, day=FIRST + timedelta(days=n), acting_user=hr_admin)
    with pytest.raises(ValidationError, match="At most 20 SPLIT days"):
        kit_day_record(request=leave, day=FIRST + timedelta(days=20), acting_user=hr_admin)


def test_kit_days_are_refused_outside_the_leave_for_other_kinds_and_people(org, hr_admin):
    leave = _leave(org, hr_admin)
    with pytest.raises(ValidationError, match="not part of this leave"):
        kit_day_record(request=leave, day=LAST + timedelta(days=1), acting_user=hr_admin)
    kit_day_record(request=leave, day=FIRST, acting_user=hr_admin)
    with pytest.raises(ValidationError, match="already"):
        kit_day_record(request=leave, day=FIRST, acting_user=hr_admin)
    for who in ("employee", "other"):  # not the employee themself, not a peer
        with pytest.raises(PermissionDenied):
            kit_day_record(request=leave, day=FIRST + timedelta(days=1),
                           acting_user=org.users[who])
    spp = request_create(employee=org.intern, leave_type=leave_type("paternity"),
                         dates=Dates(FIRST, FIRST + timedelta(days=13)), acting_user=hr_admin,
                         expected_week=date(2026, 10, 18))
    spp = request_approve(request=spp, acting_user=org.users["manager"])
    with pytest.raises(ValidationError, match="maternity, adoption or shared"):
        kit_day_record(request=spp, day=FIRST, acting_user=hr_admin)


def test_payroll_hears_of_kit_days_and_pays_them_as_work_keeping_smp(org, hr_admin):
    # given a KIT day on Wed 14 Oct 2026 in maternity leave
    leave = _leave(org, hr_admin)
    kit_day_record(request=leave, day=date(2026, 10, 14), acting_user=hr_admin)
    # then the absence feed carries it
    [absence] = TimeOffAbsenceProvider().statutory_absences(
        [org.report.pk], date(2026, 10, 1), date(2026, 10, 31))[org.report.pk]
    assert absence.kit_days == (date(2026, 10, 14),)
    # and the pay calculation keeps SMP for the whole period (no day lost) while the KIT day
    # is not deducted as unpaid leave
    result = statutory_pay(
        [Absence("maternity", FIRST, LAST, date(2026, 10, 18), kit_days=absence.kit_days)],
        period_end=date(2026, 10, 31),
        payments=[Payment(date(2026, m, 25), D("2000")) for m in range(1, 7)],
        employment=Employment(date(2024, 1, 1)), patterns=[])
    assert sum(len(line.days) for line in result.lines) == 27  # 5 - 31 Oct, every day
    assert result.claims[0].basis["kit_days_worked"] == ["2026-10-14"]
    chunk = ChunkStatutory(by_employee={org.report.pk: result})
    unpaid = (date(2026, 10, 13), date(2026, 10, 14), date(2026, 10, 15))
    assert chunk.unpaid_days(org.report.pk, unpaid) == (date(2026, 10, 13), date(2026, 10, 15))
    assert chunk.unpaid_days(999, unpaid) == unpaid
