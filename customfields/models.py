"""Custom fields on the employee record (issue 13 item 12): defined by HR Admin, in sections,
with who besides HR may see and edit each one. Values are stored in one canonical text form
per kind (a number as a Decimal string, a date as ISO 8601, yes/no as "yes"/"no") so the
directory filter, imports and exports all read the same thing."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from employees.models import Employee


class CustomField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes / no")

    section = models.CharField(_("section"), max_length=80, default="Additional details")
    label = models.CharField(_("label"), max_length=120)
    key = models.SlugField(_("key"), max_length=40, unique=True,
                           help_text=_("Column name in imports and exports: cf_<key>."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    manager_sees = models.BooleanField(_("managers see it"), default=False)
    manager_edits = models.BooleanField(_("managers edit it"), default=False)
    employee_sees = models.BooleanField(_("the employee sees it"), default=False)
    employee_edits = models.BooleanField(_("the employee edits it"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["section", "position", "label"]

    def __str__(self) -> str:
        return self.label

    @property
    def column(self) -> str:
        return f"cf_{self.key}"

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and not self.choices:
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})
        if self.manager_edits and not self.manager_sees:
            raise ValidationError({"manager_sees": _("Managers who edit it must see it.")})
        if self.employee_edits and not self.employee_sees:
            raise ValidationError({"employee_sees": _("An employee who edits it must see it.")})


class CustomFieldValue(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="custom_values")
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(_("value"), max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "field"],
                                               name="customfieldvalue_one_per_field")]
        indexes = [models.Index(fields=["field", "value"], name="customfieldvalue_filter")]

    def __str__(self) -> str:
        return f"{self.field.key}={self.value}"
