"""Demo data: realistic checklist templates, onboardings in progress (pre-hires and recent hires,
some tasks overdue) and one person offboarding. Idempotent: templates are found by name,
checklists start once per employment, the leaver is offboarded once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, DemoContext
from accounts.roles import Role
from accounts.services import user_create
from employees.models import Department, Employee, Employment
from lifecycle.models import IT_GROUP, Anchor, AssigneeRule, ChecklistKind, ChecklistTemplate
from lifecycle.models import Requirement as Req
from lifecycle.services.checklists import (
    checklist_start,
    checklists_start_matching,
    task_complete,
)
from lifecycle.services.flows import OffboardData, offboarding_start
from lifecycle.services.templates import TemplateData, template_create

IT_LOGIN = ("it.support@demo.hrops.test", "Ivan Torres")
HR, IT, PAY = AssigneeRule.HR, AssigneeRule.IT, AssigneeRule.PAYROLL
MGR, EMP = AssigneeRule.MANAGER, AssigneeRule.EMPLOYEE
HANDBOOK = (
    "Our handbook sets out how we work together: working hours and flexible working, holiday "
    "and sickness, expenses, information security, and our code of conduct. By acknowledging "
    "you confirm you have read it and will follow it. Questions? Ask People Ops."
)
PERSONAL_FIELDS = ["phone", "personal_email", "address_line1", "city", "postal_code", "country"]


def _t(title: str, rule: str, offset: int, *, anchor: str = Anchor.START, bd: bool = False,
       roll: bool = True, instructions: str = "", **extra: object) -> dict:
    return {"title": title, "assignee_rule": rule, "offset_days": offset, "anchor": anchor,
            "business_days": bd, "roll_weekend": roll, "instructions": instructions,
            "requirement": extra.pop("requirement", ""), **extra}


def _templates() -> list[tuple[TemplateData, list[dict]]]:
    eng = list(Department.objects.filter(code="ENG").values_list("pk", flat=True))
    last = Anchor.LAST_DAY
    return [
        (TemplateData(name="General onboarding", kind=ChecklistKind.ONBOARDING,
                      description="Everyone who joins, in every office."), [
            _t("Send the employment contract", HR, -14,
               instructions="Contract and offer letter signed by both sides before day one."),
            _t("Set up the payroll record", PAY, -5, bd=True,
               instructions="Pay schedule, tax code / W-4, first payslip date."),
            _t("Order laptop and accessories", IT, -7, bd=True),
            _t("Create email, chat and SSO accounts", IT, -2, bd=True),
            _t("Fill in your personal details", EMP, -3, requirement=Req.FORM,
               form_fields=PERSONAL_FIELDS,
               instructions="So we can reach you and pay you correctly."),
            _t("Read and acknowledge the employee handbook", EMP, 1, requirement=Req.ACKNOWLEDGE,
               acknowledge_text=HANDBOOK),
            _t("Welcome lunch and team introductions", MGR, 0),
            _t("Set 30-60-90 day goals", MGR, 10, bd=True),
            _t("30-day check-in", MGR, 30),
            _t("Probation review", HR, 90),
        ]),
        (TemplateData(name="Engineering onboarding", kind=ChecklistKind.ONBOARDING,
                      description="Engineers: environment, buddy, first change.",
                      departments=eng), [
            _t("Grant GitHub and cloud console access", IT, 0),
            _t("Pair with an onboarding buddy for the first week", MGR, 1, bd=True),
            _t("Acknowledge the on-call and incident policy", EMP, 5, bd=True,
               requirement=Req.ACKNOWLEDGE,
               acknowledge_text="On-call starts after 3 months; incidents follow the runbook."),
            _t("Ship a first small change to production", EMP, 10, bd=True),
        ]),
        (TemplateData(name="US right to work (Form I-9)", kind=ChecklistKind.ONBOARDING,
                      description="Form I-9: section 1 by day one, section 2 within 3 "
                                  "business days.", countries=["US"]), [
            _t("Complete I-9 section 1 and upload your identity documents", EMP, 0,
               requirement=Req.UPLOAD, roll=False),
            _t("Verify documents and complete I-9 section 2", HR, 3, bd=True),
            _t("Open the E-Verify case", HR, 3, bd=True),
        ]),
        (TemplateData(name="UK right to work check", kind=ChecklistKind.ONBOARDING,
                      description="Home Office right to work check before the first day.",
                      countries=["GB"]), [
            _t("Upload your passport or share code", EMP, -5, requirement=Req.UPLOAD),
            _t("Check right to work and keep a dated copy", HR, -1, bd=True),
        ]),
        (TemplateData(name="Annual details and handbook check", kind=ChecklistKind.OTHER,
                      description="Once a year, for everyone; started by HR."), [
            _t("Check and update your personal details", EMP, 5, requirement=Req.FORM,
               form_fields=PERSONAL_FIELDS),
            _t("Re-acknowledge the employee handbook", EMP, 7, requirement=Req.ACKNOWLEDGE,
               acknowledge_text=HANDBOOK),
            _t("Upload your updated driving licence (drivers only)", EMP, 10,
               requirement=Req.UPLOAD, roll=True),
            _t("Confirm your team's details are current", MGR, 10),
        ]),
        (TemplateData(name="Leaver", kind=ChecklistKind.OFFBOARDING,
                      description="Everyone who leaves."), [
            _t("Plan the handover of work", MGR, -10, anchor=last),
            _t("Final pay: holiday balance and last salary", PAY, -5, anchor=last, bd=True,
               instructions="Check the leaver notice's final-pay flag; include untaken "
                            "holiday and any deductions."),
            _t("Exit interview", HR, -2, anchor=last, bd=True),
            _t("Return laptop, badge and company property", EMP, 0, anchor=last, roll=False),
            _t("Collect equipment and wipe the laptop", IT, 0, anchor=last, roll=False),
            _t("Revoke access to every system", IT, 1, anchor=last, roll=False),
        ]),
    ]


def _it_user(ctx: DemoContext):
    email, name = IT_LOGIN
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = user_create(acting_user=None, email=email, full_name=name, roles=[Role.EMPLOYEE],
                           password=DEMO_PASSWORD, send_welcome=False)
    user.groups.add(Group.objects.get(name=IT_GROUP))
    ctx.users[email] = user
    ctx.logins[email] = "IT (group)"
    return user


def seed(ctx: DemoContext) -> None:
    hr = ctx.users.get("hr.admin@demo.hrops.test")
    _it_user(ctx)
    existing = set(ChecklistTemplate.objects.filter(is_current=True).values_list("name",
                                                                                flat=True))
    for data, tasks in _templates():
        if data.name not in existing:
            template_create(acting_user=hr, data=data, tasks=tasks)

    today = timezone.localdate()
    # Onboarding: everyone starting soon and the six most recent hires.
    starters = list(Employee.objects.filter(status=Employee.Status.PRE_HIRE))
    recent = list(Employee.objects.filter(status=Employee.Status.ACTIVE)
                  .order_by("-hire_date", "pk")[:6])
    for employee in [*starters, *recent]:
        employment = Employment.objects.filter(employee=employee, end_date__isnull=True).first()
        if employment is None:
            continue
        started = checklists_start_matching(
            acting_user=hr, employee=employee, employment=employment,
            kind=ChecklistKind.ONBOARDING, anchor_date=employment.start_date)
        # Work done so far: most tasks due more than a week ago, leaving some overdue.
        for checklist in started:
            for task in checklist.tasks.filter(due_date__lt=today - timedelta(days=7),
                                               requirement=""):
                if ctx.rng.random() < 0.75:
                    task_complete(acting_user=hr, task=task)

    # The demo employee's portal: the annual check, started eight days ago (two tasks overdue).
    me = Employee.objects.filter(user__email="employee@demo.hrops.test").first()
    annual = ChecklistTemplate.objects.filter(name="Annual details and handbook check",
                                              is_current=True).first()
    employment = (Employment.objects.filter(employee=me, end_date__isnull=True).first()
                  if me else None)
    if annual and employment:
        checklist_start(acting_user=hr, template=annual, employee=me, employment=employment,
                        anchor_date=today - timedelta(days=8))

    # One person offboarding: a long-serving engineer who resigned.
    leaver = (Employee.objects.filter(status=Employee.Status.ACTIVE, user__isnull=True,
                                      department__code="ENG")
              .order_by("hire_date", "pk").first())
    from lifecycle.models import LeaverNotice

    if leaver and not LeaverNotice.objects.filter(employee=leaver).exists():
        offboarding_start(acting_user=hr, employee=leaver, data=OffboardData(
            last_day=today + timedelta(days=18), reason=Employment.TerminationReason.RESIGNATION,
            notice_given_on=today - timedelta(days=10), notice_end_date=today + timedelta(days=18),
            rehire_eligible=True, note="Moving abroad; happy to come back."))
