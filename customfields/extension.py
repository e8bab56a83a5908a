"""Custom fields in the employee record's directory, exports and imports (employees.hooks)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError

from customfields.access import audience_sees
from customfields.models import CustomField, CustomFieldValue
from employees.hooks import RecordExtension

# The active fields of the import being checked or applied (CustomFieldsExtension.
# import_session): read once per import, not once per row (20,000 queries for 20,000 rows).
_import_fields: ContextVar[list[CustomField] | None] = ContextVar("import_fields", default=None)


def _active() -> list[CustomField]:
    fields = _import_fields.get()
    return list(CustomField.objects.filter(is_active=True)) if fields is None else fields


class CustomFieldsExtension(RecordExtension):
    def _visible(self, viewer) -> list[CustomField]:
        return [f for f in _active() if audience_sees(viewer, f)]

    def export_columns(self, viewer) -> list[tuple[str, str]]:
        return [(f.column, f.label) for f in self._visible(viewer)]

    def export_values(self, viewer, employees) -> dict[int, list]:
        fields = self._visible(viewer)
        if not fields:
            return {}
        order = {f.pk: i for i, f in enumerate(fields)}
        result: dict[int, list] = {}
        # One query for every listed employee's values (the export's ids as a subquery).
        for employee_id, field_id, value in CustomFieldValue.objects.filter(
                employee__in=employees.values("pk"), field__in=fields
        ).values_list("employee_id", "field_id", "value"):
            result.setdefault(employee_id, [""] * len(fields))[order[field_id]] = value
        return result

    def directory_filter_choices(self, viewer) -> list[tuple[str, str]]:
        return [(f.key, f.label) for f in self._visible(viewer)]

    def directory_filter(self, viewer, qs, key: str, value: str):
        field = next((f for f in self._visible(viewer) if f.key == key), None)
        if field is None or not value.strip():
            return qs
        from customfields.services import value_parse

        try:
            wanted = value_parse(field, value)
        except ValidationError:
            return qs.none()
        return qs.filter(custom_values__field=field, custom_values__value__iexact=wanted)

    @contextmanager
    def import_session(self):
        token = _import_fields.set(list(CustomField.objects.filter(is_active=True)))
        try:
            yield
        finally:
            _import_fields.reset(token)

    def import_columns(self) -> tuple[str, ...]:
        return tuple(f.column for f in _active())

    def import_row(self, values: dict):
        from customfields.services import custom_values_set, values_check

        fields = _active()
        raw = {f.column: values[f.column] for f in fields if f.column in values}
        # Required fields are required of a new hire only when their column is in the file.
        _parsed, errors = values_check(fields, raw, {})
        if errors or not raw:
            return list(errors.items()), None

        def apply(acting_user, employee) -> None:
            # Only new hires are imported with custom values: their employee.hired is the news.
            custom_values_set(acting_user=acting_user, employee=employee, raw=raw,
                              announce=False)

        return [], apply
