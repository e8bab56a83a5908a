"""The employee picker (issue 13 item 7): a text input that takes an employee number, which
htmx turns into a search by name or number as one types (a <datalist> of matches from
`employees:picker`). Without JavaScript it is the plain number input it always was.

Forms use it through `ManagerNumberField` (employees.forms_directory) instead of a select of
every employee; the suggestions come through the access gate (`employees_visible_to`), so
nobody is offered a person they may not see."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from employees.access import employees_visible_to
from employees.models import Employee

PICKER_LIMIT = 10


def picker_condition(q: str) -> Q:
    """Every word in the name, preferred name, work email or employee number."""
    condition = Q()
    for term in q.split()[:5]:
        condition &= (Q(legal_first_name__icontains=term) | Q(legal_last_name__icontains=term)
                      | Q(preferred_name__icontains=term) | Q(work_email__icontains=term)
                      | Q(employee_number__icontains=term))
    return condition


def picker_matches(viewer, q: str, *, include_leavers: bool = False) -> list[Employee]:
    """Up to PICKER_LIMIT people the viewer may see matching `q`: one query whatever the
    headcount (and the viewer's report set, cached per request, for managers)."""
    if not q.strip():
        return []
    qs: QuerySet[Employee] = employees_visible_to(viewer).filter(picker_condition(q))
    if not include_leavers:
        qs = qs.exclude(status=Employee.Status.TERMINATED)
    return list(qs.select_related("job_title")
                .order_by("legal_last_name", "legal_first_name", "id")[:PICKER_LIMIT])


class EmployeePicker(forms.TextInput):
    """An employee-number input with live suggestions (see the module docstring)."""

    template_name = "employees/widgets/employee_picker.html"

    def __init__(self, attrs: dict | None = None, *, include_leavers: bool = False) -> None:
        super().__init__({"autocomplete": "off", "size": 24,
                          "placeholder": _("Name or employee number"), **(attrs or {})})
        self.include_leavers = include_leavers

    def format_value(self, value):
        if isinstance(value, Employee):
            return value.employee_number
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["include_leavers"] = self.include_leavers
        return context
