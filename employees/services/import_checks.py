"""Per-row model validation for imports, run during planning so a dry run reports a row's
field errors (email format, lengths) together with its look-up and pay errors."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from employees.models import Employee


def employee_field_errors(values: dict[str, str | None], *,
                          skip: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(column, message) for each value the Employee model's field validation refuses; blank
    values and the columns in `skip` (already reported) are not checked."""
    fields = {name: value for name, value in values.items() if value not in (None, "")}
    probe = Employee(hire_date=timezone.localdate(), **fields)
    exclude = [f.name for f in Employee._meta.fields if f.name not in fields or f.name in skip]
    try:
        probe.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return [(name, message) for name, messages in exc.message_dict.items()
                for message in messages]
    return []
