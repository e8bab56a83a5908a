"""Questions the employee record asks the apps above it, without importing them.

Layers point down: employees imports no consumer. An app that can answer registers a function in
its ``AppConfig.ready`` (payroll registers the retro-pay preview in ``payroll.apps``); with none
registered the question simply has no answer (an HR-only deployment).
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


@dataclass(frozen=True)
class PayChangeImpact:
    """What saving a pay change would do to pay already finalised: how many finalised pay
    periods it reaches back into and the arrears the next run would pay (negative: recover)."""

    periods: int
    amount: Decimal

    @property
    def fingerprint(self) -> str:
        """Names this impact in the confirm step: a different impact asks again."""
        return f"{self.periods}:{self.amount}"

    @property
    def message(self) -> str:
        values = {"n": self.periods, "amount": f"{abs(self.amount):,.2f}"}
        if self.amount > 0:
            return ngettext(
                "This change reaches back into %(n)d finalised period: about %(amount)s of "
                "arrears will be paid in the next run.",
                "This change reaches back into %(n)d finalised periods: about %(amount)s of "
                "arrears will be paid in the next run.", self.periods) % values
        return ngettext(
            "This change reaches back into %(n)d finalised period: about %(amount)s was "
            "overpaid and will be recovered in the next run once a Payroll Admin confirms it.",
            "This change reaches back into %(n)d finalised periods: about %(amount)s was "
            "overpaid and will be recovered in the next run once a Payroll Admin confirms it.",
            self.periods) % values


# fn(*, employee, effective_date, pay: PayData) -> (periods, amount)
PayChangePreview = Callable[..., tuple[int, Decimal]]
_pay_change_previews: list[PayChangePreview] = []


def register_pay_change_preview(fn: PayChangePreview) -> None:
    """Called from an AppConfig.ready; registering the same function twice is harmless."""
    if fn not in _pay_change_previews:
        _pay_change_previews.append(fn)


def pay_change_impact(*, employee, effective_date: date, pay) -> PayChangeImpact | None:
    """The impact of a pay change on finalised pay, or None when it has none (or nobody can
    tell). A change the service would refuse has no impact to warn about: the save reports it."""
    from employees.services.changes import _check_changeable, pay_validate

    try:
        _check_changeable(employee, effective_date)
        pay = pay_validate(pay)
    except ValidationError:
        return None
    if employee.compensation_records.filter(effective_date=effective_date).exists():
        return None  # refused as a duplicate date when saved
    periods, amount = 0, Decimal("0")
    for preview in _pay_change_previews:
        n, value = preview(employee=employee, effective_date=effective_date, pay=pay)
        periods, amount = periods + n, amount + value
    return PayChangeImpact(periods, amount) if periods and amount else None


# fn(employee_ids: list[int]) -> object, called inside the transaction that changed them
JobFieldsListener = Callable[[list[int]], object]
_job_fields_listeners: list[JobFieldsListener] = []


def register_job_fields_listener(fn: JobFieldsListener) -> None:
    """Called from an AppConfig.ready (compliance keeps its stored statuses current with it)."""
    if fn not in _job_fields_listeners:
        _job_fields_listeners.append(fn)


def job_fields_changed(employee_ids: list[int]) -> None:
    """The current job fields (department, location, title, type...) or the work country of
    these employees changed: apps that keep data derived from them update it, in the same
    transaction."""
    for listener in _job_fields_listeners:
        listener(list(employee_ids))


class RecordExtension:
    """Fields kept on the employee record by an app above (custom fields): their export
    columns, a directory filter and import columns. Subclass, override what you answer, and
    register an instance in your AppConfig.ready. With none registered every answer is empty."""

    def export_columns(self, viewer) -> list[tuple[str, str]]:
        """(key, label) columns the viewer may see for every employee they can list."""
        return []

    def export_values(self, viewer, employees) -> dict[int, list]:
        """employee id -> values in the order of export_columns (`employees`: a QuerySet)."""
        return {}

    def directory_filter_choices(self, viewer) -> list[tuple[str, str]]:
        return []

    def directory_filter(self, viewer, qs, key: str, value: str):
        return qs

    def import_columns(self) -> tuple[str, ...]:
        return ()

    def import_session(self) -> AbstractContextManager:
        """Entered around one whole import (check and apply): an extension may read what it
        needs for every row once here (its field definitions) instead of once per row."""
        return nullcontext()

    def import_row(self, values: dict) -> tuple[list[tuple[str, str]], Callable | None]:
        """Check one import row's extra columns: ([(column, message)], apply) where
        apply(acting_user, employee) writes them once the row's employee exists."""
        return [], None


_record_extensions: list[RecordExtension] = []


def register_record_extension(extension: RecordExtension) -> None:
    if all(type(e) is not type(extension) for e in _record_extensions):
        _record_extensions.append(extension)


def record_extensions() -> list[RecordExtension]:
    return list(_record_extensions)
