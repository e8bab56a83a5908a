from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import EEOJobCategory, SavedReport, SelfIdentification
from analytics.reports import TREND_CHOICES
from employees.models import Department, EmploymentType, JobTitle, Location


class WorkforceFilterForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.TypedChoiceField(label=_("Trend"), coerce=int, required=False,
                                    choices=[(n, _("%(n)d months") % {"n": n})
                                             for n in TREND_CHOICES])
    department = forms.ModelChoiceField(Department.objects.all(), required=False,
                                        label=_("Department"))
    location = forms.ModelChoiceField(Location.objects.all(), required=False,
                                      label=_("Location"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    employment_type = forms.ChoiceField(
        required=False, label=_("Employment type"),
        choices=[("", _("Any")), *EmploymentType.choices])
    manager = forms.CharField(required=False, label=_("Manager's subtree (employee number)"),
                              max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = sorted(set(Location.objects.values_list("country", flat=True)))
        self.fields["country"].choices = [("", _("Any")), *((c, c) for c in countries)]

    def as_of_date(self) -> date:
        return (self.cleaned_data.get("as_of") if self.is_valid() else None) \
            or timezone.localdate()

    def months_wanted(self) -> int:
        return (self.cleaned_data.get("months") if self.is_valid() else None) or 24


class PlanForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Department"))
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}))
    budget_headcount = forms.IntegerField(label=_("Budgeted headcount"), min_value=0,
                                          max_value=1_000_000)
    budget_fte = forms.DecimalField(label=_("Budgeted FTE"), min_value=0, max_digits=8,
                                    decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX: department_code, month (YYYY-MM), "
                                   "budget_headcount, budget_fte"))


class PayFilterForm(WorkforceFilterForm):
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    changes_from = forms.DateField(label=_("Changes from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    changes_to = forms.DateField(label=_("to"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["months"]


class PayBandForm(forms.Form):
    job_title = forms.ModelChoiceField(JobTitle.objects.all(), label=_("Job title"))
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    minimum = forms.DecimalField(label=_("Minimum"), min_value=Decimal("0.01"), max_digits=12,
                                 decimal_places=2)
    midpoint = forms.DecimalField(label=_("Midpoint"), max_digits=12, decimal_places=2)
    maximum = forms.DecimalField(label=_("Maximum"), max_digits=12, decimal_places=2)

    def clean(self):
        data = super().clean()
        low, mid, high = data.get("minimum"), data.get("midpoint"), data.get("maximum")
        if None not in (low, mid, high) and not low <= mid <= high:
            raise forms.ValidationError(_("Minimum ≤ midpoint ≤ maximum."))
        if data.get("currency"):
            data["currency"] = data["currency"].upper()
        return data


class SaveReportForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(choices=SavedReport.Kind.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    schedule = forms.ChoiceField(label=_("Send"), choices=SavedReport.Schedule.choices,
                                 required=False)
    recipients = forms.CharField(label=_("Recipients (emails)"), required=False,
                                 max_length=2000)


class SelfIdentificationForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=SelfIdentification.Sex.choices,
                            widget=forms.RadioSelect)
    race_ethnicity = forms.ChoiceField(label=_("Race / ethnicity"),
                                       choices=SelfIdentification.Race.choices,
                                       widget=forms.RadioSelect)


class EEOCategoryForm(forms.Form):
    job_title = forms.ModelChoiceField(JobTitle.objects.all(), label=_("Job title"))
    category = forms.ChoiceField(label=_("EEO-1 job category"),
                                 choices=EEOJobCategory.Category.choices)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Snapshot date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


class AbsenceForm(forms.Form):
    first = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))

    def period(self):
        """The chosen days; by default the 52 weeks ending today (the usual Bradford window)."""
        data = self.cleaned_data if self.is_valid() else {}
        last = data.get("last") or timezone.localdate()
        first = data.get("first") or last - timedelta(weeks=52) + timedelta(days=1)
        return (first, last) if first <= last else (last, first)
