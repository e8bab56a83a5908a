from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lifecycle.forms import ConditionsMixin
from timeoff.models import EntryKind, LeavePolicy, LeaveType
from timeoff.services.requests import Dates

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    leave_type = forms.ModelChoiceField(LeaveType.objects.none(), label=_("Type"))
    first_day = forms.DateField(label=_("First day"), widget=DATE)
    last_day = forms.DateField(label=_("Last day"), widget=DATE)
    half_day_start = forms.BooleanField(required=False, label=_("First day: afternoon only"))
    half_day_end = forms.BooleanField(required=False, label=_("Last day: morning only"))
    hours = forms.DecimalField(required=False, min_value=Decimal("0.25"), max_value=24,
                               decimal_places=2, label=_("Hours (one day, hourly types)"))
    expected_week = forms.DateField(required=False, widget=DATE,
                                    label=_("Expected week of childbirth / matching date / "
                                            "neonatal care began / date of death"))
    note = forms.CharField(required=False, max_length=500, label=_("Note"))

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.filter(
            pk__in=[t.pk for t in types])

    def dates(self) -> Dates:
        data = self.cleaned_data
        return Dates(data["first_day"], data["last_day"], data["half_day_start"],
                     data["half_day_end"], data.get("hours"))


class SicknessForm(forms.Form):
    first_day = forms.DateField(label=_("First day off sick"), widget=DATE)
    last_day = forms.DateField(label=_("Last day off sick"), widget=DATE)
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(required=False, max_length=255, label=_("Reason"))


class AdjustmentForm(forms.Form):
    leave_type = forms.ModelChoiceField(LeaveType.objects.filter(tracks_balance=True),
                                        label=_("Type"))
    kind = forms.ChoiceField(choices=[(EntryKind.ADJUSTMENT, _("Adjustment")),
                                      (EntryKind.OPENING, _("Opening balance"))])
    amount = forms.DecimalField(max_digits=9, decimal_places=3, label=_("Amount (+/-)"))
    effective_date = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(max_length=255, label=_("Reason"))


class PatternForm(forms.Form):
    effective_from = forms.DateField(label=_("From"), widget=DATE)
    mon = forms.DecimalField(min_value=0, max_value=24, initial=Decimal("7.5"), label=_("Mon"))
    tue = forms.DecimalField(min_value=0, max_value=24, initial=Decimal("7.5"), label=_("Tue"))
    wed = forms.DecimalField(min_value=0, max_value=24, initial=Decimal("7.5"), label=_("Wed"))
    thu = forms.DecimalField(min_value=0, max_value=24, initial=Decimal("7.5"), label=_("Thu"))
    fri = forms.DecimalField(min_value=0, max_value=24, initial=Decimal("7.5"), label=_("Fri"))
    sat = forms.DecimalField(min_value=0, max_value=24, initial=0, label=_("Sat"))
    sun = forms.DecimalField(min_value=0, max_value=24, initial=0, label=_("Sun"))

    def hours(self) -> list[Decimal]:
        return [self.cleaned_data[d] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]


class KitDayForm(forms.Form):
    day = forms.DateField(label=_("Keeping-in-touch day worked"), widget=DATE)
    note = forms.CharField(required=False, max_length=255, label=_("Note"))


class FitNoteForm(forms.Form):
    file = forms.FileField(label=_("Fit note (PDF or image)"))


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(queryset=None, label=_("Who decides while I am away"))
    first_day = forms.DateField(label=_("From"), widget=DATE)
    last_day = forms.DateField(label=_("Until"), widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = people


class LeaveTypeForm(forms.ModelForm):
    class Meta:
        model = LeaveType
        fields = ["name", "category", "unit", "tracks_balance", "max_weeks_per_12_months",
                  "is_active"]


class LeavePolicyForm(ConditionsMixin, forms.ModelForm):
    tenure_steps_text = forms.CharField(
        required=False, label=_("Tenure steps"),
        help_text=_("years=extra, comma-separated, e.g. 2=1, 5=3"))

    class Meta:
        model = LeavePolicy
        fields = ["name", "leave_type", "priority", "method", "annual_amount", "per_hour_rate",
                  "pro_rata", "year_start_month", "carry_over_limit", "carry_over_expiry_months",
                  "allow_negative", "payout_on_termination", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for key, value in self.initial_conditions(self.instance).items():
                self.initial[key] = value
            self.initial["tenure_steps_text"] = ", ".join(
                f"{y}={a}" for y, a in self.instance.tenure_steps)

    def clean_tenure_steps_text(self) -> list[list]:
        steps = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["tenure_steps_text"]
                                  .split(","))):
            years, _sep, amount = part.partition("=")
            if not years.strip().isdigit() or not amount.strip():
                raise forms.ValidationError(_("Write steps as years=extra, e.g. 5=3."))
            steps.append([int(years), amount.strip()])
        return steps

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {**data, **self.conditions(), "tenure_steps": self.cleaned_data["tenure_steps_text"]}

    def _post_clean(self):
        # The service validates and saves (full_clean there); the ModelForm must not write.
        pass


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)
    department = forms.IntegerField(required=False)
    location = forms.IntegerField(required=False)
    page = forms.IntegerField(required=False, min_value=0, max_value=10_000)
