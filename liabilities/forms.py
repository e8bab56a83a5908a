import re

from django import forms
from django.utils.translation import gettext_lazy as _

from liabilities.models import Employer

TAX_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class PaymentForm(forms.Form):
    payment_key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=12, decimal_places=2,
                                min_value=0.01)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), max_length=60, required=False)


class UkSettingsForm(forms.Form):
    employment_allowance_years = forms.CharField(
        label=_("Employment Allowance claimed for tax years"), required=False, max_length=200,
        help_text=_("Comma-separated, e.g. 2025-26, 2026-27."))
    quarterly_payer = forms.BooleanField(label=_("Pay HMRC quarterly"), required=False)
    # HMRC "Accounts Office reference": 3 digits, P, a letter, 8 digits or 7 digits and X
    # (e.g. 123PA00012345, as on the PAYE registration letter and the P30BC payment booklet).
    accounts_office_reference = forms.RegexField(
        label=_("Accounts Office reference (RTI)"), regex=r"(?i)^\d{3}P[A-Z](\d{8}|\d{7}X)$",
        required=False, max_length=13,
        error_messages={"invalid": _("13 characters like 123PA00012345.")})

    def clean_accounts_office_reference(self) -> str:
        return self.cleaned_data["accounts_office_reference"].upper()

    def clean_employment_allowance_years(self) -> list[str]:
        years = [y.strip() for y in self.cleaned_data["employment_allowance_years"].split(",")
                 if y.strip()]
        for year in years:
            match = TAX_YEAR.match(year)
            if not match or (int(match[1]) + 1) % 100 != int(match[2]):
                raise forms.ValidationError(_("%(y)s is not a tax year like 2026-27.")
                                            % {"y": year})
        return sorted(set(years))


class UsSettingsForm(forms.Form):
    deposit_schedule = forms.ChoiceField(label=_("Deposit schedule"), required=False,
                                         choices=Employer.DepositSchedule.choices)
    lookback_prior_total = forms.DecimalField(
        label=_("Look-back taxes paid before HROps"), required=False, max_digits=12,
        decimal_places=2, min_value=0)
    unemployment_state = forms.RegexField(
        label=_("State unemployment (SUTA) state"), regex=r"^[A-Za-z]{2}$", required=False,
        max_length=2, error_messages={"invalid": _("A two-letter state code, e.g. CA.")})

    def clean_unemployment_state(self) -> str:
        return self.cleaned_data["unemployment_state"].upper()
