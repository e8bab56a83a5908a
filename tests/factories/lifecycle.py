"""Lifecycle test data, built through the services (templates are versioned by them)."""

from lifecycle.models import Anchor, AssigneeRule, ChecklistKind
from lifecycle.services.templates import TemplateData, template_create


def task_spec(title: str, **overrides: object) -> dict:
    spec = {
        "title": title, "instructions": "", "assignee_rule": AssigneeRule.HR,
        "assignee_user": None, "anchor": Anchor.START, "offset_days": 0,
        "business_days": False, "roll_weekend": False, "requirement": "",
        "acknowledge_text": "", "form_fields": [], "departments": [], "locations": [],
        "employment_types": [], "countries": [],
    }
    spec.update(overrides)
    return spec


def make_template(name: str = "Onboarding", *, kind: str = ChecklistKind.ONBOARDING,
                  tasks: list[dict] | None = None, acting_user=None, **conditions: object):
    data = TemplateData(name=name, kind=kind, **conditions)
    return template_create(acting_user=acting_user, data=data,
                           tasks=tasks or [task_spec("Prepare contract")])
