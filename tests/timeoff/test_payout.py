"""US PTO payout on termination: a payout entry and a run input on the leaver's run."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payroll.models import RunInput
from payroll.services.periods import periods_generate
from payroll.services.runs import run_create
from tests.factories.payroll_runs import (
    PayComponentFactory,
    USBiweeklyScheduleFactory,
    paid_employee,
)
from tests.factories.timeoff import LeavePolicyFactory, leave_type
from timeoff.services.ledger import balance, entry_post
from timeoff.services.payout import payable_on, payout_on_termination

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(payroll_admin):
    schedule = USBiweeklyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=payroll_admin)
    person = paid_employee(schedule, salary="52000.00", work_country="US")
    pto = leave_type("holiday", "hours")
    LeavePolicyFactory(leave_type=pto, annual_amount=D("120"), countries=["US"],
                       payout_on_termination=True)
    entry_post(employee=person, leave_type=pto, kind="opening", amount=D("40"),
               effective_date=date(2026, 1, 1), reason="opening")
    run = run_create(schedule=schedule, period=schedule.periods.order_by("start_date")[1],
                     acting_user=payroll_admin)
    return person, pto, run


def test_the_balance_is_paid_as_a_run_input(leaver, payroll_admin):
    # given: 52,000 / 52 / 37.5 h = 26.6667 an hour; 40 h = 1,066.67 (half up to the cent)
    person, pto, run = leaver
    (item,) = payable_on(person, date(2026, 1, 20))
    assert item.amount == D("1066.67")
    bonus = PayComponentFactory(code="PTO_PAYOUT", name="PTO payout")
    # when
    payout_on_termination(employee=person, last_day=date(2026, 1, 20), run=run,
                          component=bonus, acting_user=payroll_admin)
    # then
    assert balance(person, pto, date(2026, 1, 20)) == 0
    (row,) = RunInput.objects.filter(run=run, employee=person)
    assert row.amount == D("1066.67") and row.component == bonus
    with pytest.raises(ValidationError):
        payout_on_termination(employee=person, last_day=date(2026, 1, 20), run=run,
                              component=bonus, acting_user=payroll_admin)


def test_only_a_payroll_admin_pays_out(leaver, hr_admin):
    person, _pto, run = leaver
    bonus = PayComponentFactory(code="PTO_PAYOUT", name="PTO payout")
    with pytest.raises(PermissionDenied):
        payout_on_termination(employee=person, last_day=date(2026, 1, 20), run=run,
                              component=bonus, acting_user=hr_admin)
    assert balance(person, _pto, date(2026, 1, 20)) == D("40")
