from dataclasses import dataclass

from customfields.access import can_edit, can_see
from customfields.models import CustomField, CustomFieldValue
from employees.models import Employee


@dataclass(frozen=True)
class ShownField:
    field: CustomField
    value: str
    editable: bool


def fields_for_viewer(viewer, employee: Employee) -> list[tuple[str, list[ShownField]]]:
    """The custom fields the viewer may see on this record, by section (two queries)."""
    values = dict(CustomFieldValue.objects.filter(employee=employee)
                  .values_list("field_id", "value"))
    sections: dict[str, list[ShownField]] = {}
    for field in CustomField.objects.filter(is_active=True):
        if can_see(viewer, employee, field):
            sections.setdefault(field.section, []).append(ShownField(
                field, values.get(field.pk, ""), can_edit(viewer, employee, field)))
    return list(sections.items())
