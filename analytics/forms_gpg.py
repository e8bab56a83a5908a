"""Forms of the UK gender pay gap report."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.gpg_data import employers
from analytics.models import PayGapGender
from employees.models import Employee


def default_year() -> int:
    """The latest snapshot that has passed (5 April of this year, or last year's)."""
    today = timezone.localdate()
    return today.year if (today.month, today.day) >= (4, 5) else today.year - 1


class PayGapForm(forms.Form):
    year = forms.IntegerField(label=_("Snapshot year"), min_value=2017, max_value=2100,
                              required=False)
    sector = forms.ChoiceField(label=_("Snapshot date"), required=False, choices=[
        ("private", _("5 April (private and voluntary sector)")),
        ("public", _("31 March (public authorities)"))])
    employer = forms.ChoiceField(label=_("Legal employer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [("", _("All GB employees")),
                                           *((e, e) for e in employers())]

    def wanted(self) -> tuple[int, str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return (data.get("year") or default_year(), data.get("sector") or "private",
                data.get("employer") or "")


class PayGapGenderForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=20)
    gender = forms.ChoiceField(label=_("Gender they identify with"),
                               choices=PayGapGender.Gender.choices)

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        employee = Employee.objects.filter(employee_number=number).first()
        if employee is None:
            raise forms.ValidationError(_("No employee has this number."))
        self.cleaned_data["employee"] = employee
        return number
