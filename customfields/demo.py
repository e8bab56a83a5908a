"""Demo custom fields (issue 13 item 12): one section with three fields (a choice the
employee keeps up to date, a text managers see, a date), and values for part of the company.
Through the services, like HR would; idempotent (existing fields and values are kept)."""

from datetime import date, timedelta

from accounts.demo import DemoContext
from customfields.models import CustomField, CustomFieldValue
from customfields.services import custom_field_save, custom_values_set
from employees.models import Employee

HR_ADMIN = "hr.admin@demo.hrops.test"
SECTION = "Equipment and safety"
FIELDS = [
    {"key": "tshirt_size", "label": "T-shirt size", "kind": CustomField.Kind.CHOICE,
     "choices": ["XS", "S", "M", "L", "XL", "XXL"], "employee_sees": True,
     "employee_edits": True, "position": 1},
    {"key": "laptop_tag", "label": "Laptop asset tag", "kind": CustomField.Kind.TEXT,
     "manager_sees": True, "employee_sees": True, "position": 2},
    {"key": "first_aid_until", "label": "First-aid certificate valid until",
     "kind": CustomField.Kind.DATE, "manager_sees": True, "position": 3},
]
PEOPLE = 60


def seed(ctx: DemoContext) -> None:
    admin = ctx.users.get(HR_ADMIN)
    if admin is None:
        return
    for spec in FIELDS:
        if not CustomField.objects.filter(key=spec["key"]).exists():
            custom_field_save(acting_user=admin, data={"section": SECTION, **spec})
    if CustomFieldValue.objects.filter(field__key="tshirt_size").exists():
        return
    # Not HR's own record: nobody edits their own HR-only fields.
    people = Employee.objects.exclude(status=Employee.Status.TERMINATED).exclude(
        user=admin).order_by("employee_number")[:PEOPLE]
    for n, person in enumerate(people):
        raw = {"cf_tshirt_size": ctx.rng.choice(FIELDS[0]["choices"]),
               "cf_laptop_tag": f"LT-{2400 + n:05d}"}
        if n % 4 == 0:
            raw["cf_first_aid_until"] = (date(2026, 1, 15) + timedelta(days=23 * n)).isoformat()
        custom_values_set(acting_user=admin, employee=person, raw=raw)
