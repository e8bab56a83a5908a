"""Demo: the demo pay schedules name their legal employers (so "Taxes to pay" has something to
show), and the UK employer claims the Employment Allowance for the current tax year.
Idempotent: what is set already is kept."""

from django.utils import timezone

from accounts.demo import DemoContext
from liabilities.employers import legal_employers
from liabilities.hmrc import tax_year_of
from liabilities.services import employer_settings_update
from payroll.demo import CALCULATOR
from payroll.models import PaySchedule
from payroll.services.employer import EmployerDetails, schedule_employer_update

DEMO_EMPLOYERS = {
    "UK monthly": EmployerDetails("Acme Widgets Ltd", "1 Demo Street, London",
                                  employer_paye_reference="123/AB45678"),
    "US biweekly": EmployerDetails("Acme Widgets Inc", "1 Demo Avenue, Boston MA",
                                   employer_ein="12-3456789"),
}


def seed(ctx: DemoContext) -> None:
    admin = ctx.users.get(CALCULATOR)
    if admin is None:
        return
    for schedule in PaySchedule.objects.filter(name__in=DEMO_EMPLOYERS):
        if not (schedule.employer_paye_reference or schedule.employer_ein):
            schedule_employer_update(schedule=schedule, data=DEMO_EMPLOYERS[schedule.name],
                                     acting_user=admin)
    year = tax_year_of(timezone.localdate())
    for employer in legal_employers()[0]:
        if employer.country == "GB" and employer.settings.pk is None:
            employer_settings_update(employer=employer, acting_user=admin,
                                     values={"employment_allowance_years": [year]})
        elif employer.country == "US" and employer.settings.pk is None:
            employer_settings_update(employer=employer, acting_user=admin,
                                     values={"unemployment_state": "MA"})
