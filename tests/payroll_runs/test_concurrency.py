"""Two concurrent requests for one regular run: exactly one run, a clear error for the other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from payroll.models import PayRun
from payroll.services.runs import run_create


def test_two_concurrent_creates_make_one_regular_run(postgres_db, uk_schedule, payroll_admin):
    period = uk_schedule.periods.get(number=3)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def create():
        try:
            barrier.wait(timeout=10)
            outcomes.append(run_create(schedule=uk_schedule, period=period,
                                       acting_user=payroll_admin))
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    runs = [o for o in outcomes if isinstance(o, PayRun)]
    errors = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(runs) == 1 and len(errors) == 1
    assert "already exists" in errors[0].messages[0]
    assert PayRun.objects.filter(schedule=uk_schedule, period=period, kind="regular").count() == 1


@pytest.mark.django_db
def test_off_cycle_runs_sit_alongside_the_regular_run(uk_schedule, uk_staff, payroll_admin):
    period = uk_schedule.periods.get(number=3)
    run_create(schedule=uk_schedule, period=period, acting_user=payroll_admin)
    bonus = run_create(schedule=uk_schedule, period=period, acting_user=payroll_admin,
                       kind=PayRun.Kind.OFF_CYCLE, employees=[uk_staff[0]])
    assert bonus.kind == "off_cycle"
    with pytest.raises(ValidationError):
        run_create(schedule=uk_schedule, period=period, acting_user=payroll_admin)
