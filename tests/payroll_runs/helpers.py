from payroll.models import PayRun
from payroll.services.runs import (
    run_approve,
    run_calculate,
    run_create,
    run_finalise,
)


def calculated_run(schedule, number, user, django_capture_on_commit_callbacks, **kwargs):
    period = schedule.periods.get(number=number)
    run = run_create(schedule=schedule, period=period, acting_user=user, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error
    return run


def finalised_run(schedule, number, calculator, approver, capture, **kwargs):
    run = calculated_run(schedule, number, calculator, capture, **kwargs)
    run_approve(run=run, acting_user=approver)
    with capture(execute=True):
        run_finalise(run=run, acting_user=approver)
    run.refresh_from_db()
    return run


def login(client, user) -> None:
    """Log in; staff roles that require a second factor get one enrolled first."""
    from allauth.mfa.models import Authenticator

    from tests.mfa import enrol_totp

    if not Authenticator.objects.filter(user=user).exists():
        enrol_totp(user)
    client.force_login(user)
