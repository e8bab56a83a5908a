from django import forms

from payroll.models import PaySchedule
from pensions.models import PensionScheme


class SchemeForm(forms.ModelForm):
    schedules = forms.ModelMultipleChoiceField(
        queryset=PaySchedule.objects.filter(country="GB"), required=False)

    class Meta:
        model = PensionScheme
        fields = ["name", "provider_name", "scheme_reference", "employer_reference", "schedules",
                  "relief", "basis", "employee_percent", "employer_percent", "postponement_days",
                  "duties_start_date"]
        widgets = {"duties_start_date": forms.DateInput(attrs={"type": "date"})}


class DateForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
