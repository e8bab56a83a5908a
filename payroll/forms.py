from django import forms
from django.utils.translation import gettext_lazy as _

from employees.models import Employee
from payroll.models import EmployeePayItem, PayComponent, PayPeriod, PayRun, PaySchedule, TaxProfile


class RunCreateForm(forms.Form):
    schedule = forms.ModelChoiceField(PaySchedule.objects.filter(is_active=True))
    period = forms.ModelChoiceField(PayPeriod.objects.select_related("schedule"))
    kind = forms.ChoiceField(choices=[c for c in PayRun.Kind.choices if c[0] != "correction"])
    employee_numbers = forms.CharField(
        required=False, label=_("Employee numbers (off-cycle and final pay)"),
        help_text=_("Comma or space separated."))
    pay_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=255)

    def clean(self):
        data = super().clean()
        numbers = (data.get("employee_numbers") or "").replace(",", " ").split()
        employees = list(Employee.objects.filter(employee_number__in=numbers))
        unknown = set(numbers) - {e.employee_number for e in employees}
        if unknown:
            self.add_error("employee_numbers", _("Unknown: %(n)s") % {
                "n": ", ".join(sorted(unknown))})
        data["employees"] = employees
        return data


class CorrectionForm(forms.Form):
    employee_numbers = forms.CharField(label=_("Employee numbers to correct"))
    pay_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=255)


class OverrideForm(forms.Form):
    code = forms.CharField(max_length=40)
    comment = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RunInputForm(forms.Form):
    employee = forms.ModelChoiceField(Employee.objects.all(), widget=forms.HiddenInput,
                                      required=False)
    employee_number = forms.CharField(required=False)
    component = forms.ModelChoiceField(PayComponent.objects.filter(is_active=True))
    quantity = forms.DecimalField(required=False, max_digits=9, decimal_places=2)
    rate = forms.DecimalField(required=False, max_digits=12, decimal_places=4)
    amount = forms.DecimalField(required=False, max_digits=12, decimal_places=2)
    note = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("employee"):
            number = (data.get("employee_number") or "").strip()
            data["employee"] = Employee.objects.filter(employee_number=number).first()
            if data["employee"] is None:
                self.add_error("employee_number", _("No employee with that number."))
        return data


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class TaxProfileForm(forms.ModelForm):
    class Meta:
        model = TaxProfile
        fields = [
            "w4_form_year", "filing_status", "step2_checkbox", "step3_credits",
            "step4a_other_income", "step4b_deductions", "step4c_extra_withholding", "exempt",
            "nonresident_alien", "marital_status", "allowances", "extra_withholding",
            "tax_code", "week1_month1", "ni_category", "starter_declaration",
            "is_director", "director_method", "director_appointed_on",
        ]
        widgets = {"director_appointed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only meaningful for a director: left out, it is the standard annual method.
        self.fields["director_method"].required = False

    def clean_director_method(self):
        return self.cleaned_data["director_method"] or TaxProfile.DirectorMethod.ANNUAL

    def clean_tax_code(self):
        code = self.cleaned_data["tax_code"].strip().upper().replace(" ", "")
        if self.instance.jurisdiction == "UK":
            from payroll.engine.jurisdictions.uk_paye import parse_tax_code

            try:
                parse_tax_code(code or "1257L")
            except (ValueError, LookupError) as exc:
                raise forms.ValidationError(_("Not a valid tax code: %(e)s") % {"e": exc}) from exc
        return code

    def clean_ni_category(self):
        cat = self.cleaned_data["ni_category"].strip().upper()
        if self.instance.jurisdiction == "UK" and cat and cat not in "ABCDEFHIJLMNSVXZ":
            raise forms.ValidationError(_("Unknown NI category letter."))
        return cat

    def clean(self):
        data = super().clean()
        if self.instance.jurisdiction == "US" and data.get("w4_form_year") and not (
            1990 <= data["w4_form_year"] <= 2100
        ):
            self.add_error("w4_form_year", _("Enter the year of the W-4 form."))
        if self.instance.jurisdiction != "UK":
            # Directors' NI is a UK rule; the US form never shows these fields.
            data["is_director"], data["director_appointed_on"] = False, None
        elif not data.get("is_director") and data.get("director_appointed_on"):
            self.add_error("director_appointed_on",
                           _("Only a company director has an appointment date."))
        return data


class PayItemForm(forms.ModelForm):
    class Meta:
        model = EmployeePayItem
        fields = ["component", "amount", "rate", "quantity", "percent", "effective_from",
                  "effective_to", "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}),
                   "effective_to": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("Ends before it starts."))
        if all(data.get(f) is None for f in ("amount", "rate", "quantity", "percent")):
            component = data.get("component")
            if component is not None and component.default_amount is None and (
                component.default_percent is None
            ):
                raise forms.ValidationError(_("Give an amount, rate, hours or percent."))
        return data


class UnpaidLeaveForm(forms.Form):
    first_day = forms.DateField(label=_("First day"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Inclusive."))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day is before the first day."))
        return data


class PaymentDetailsForm(forms.Form):
    """The company's side of a schedule's payment file. The IBAN is never shown back: leave it
    empty to keep the one on file, or tick "remove"."""

    payer_name = forms.CharField(label=_("Payer name on payment files"), max_length=70,
                                 required=False)
    ach_company_id = forms.CharField(label=_("ACH company ID"), max_length=10, required=False,
                                     help_text=_("Usually 1 followed by the EIN."))
    ach_odfi_routing = forms.CharField(label=_("ACH originating bank routing number"),
                                       max_length=11, required=False)
    ach_destination_routing = forms.CharField(
        label=_("ACH immediate destination routing number"), max_length=11, required=False,
        help_text=_("Empty: the originating bank's."))
    ach_destination_name = forms.CharField(label=_("ACH immediate destination name"),
                                           max_length=23, required=False)
    debtor_iban = forms.CharField(label=_("Company IBAN (SEPA)"), max_length=42, required=False)
    clear_debtor_iban = forms.BooleanField(label=_("Remove the IBAN on file"), required=False)
    debtor_bic = forms.CharField(label=_("Company BIC (SEPA)"), max_length=11, required=False)


class EmployerDetailsForm(forms.Form):
    """The legal employer printed on the schedule's payslips (payroll.services.employer)."""

    employer_legal_name = forms.CharField(label=_("Employer legal name"), max_length=140,
                                          required=False)
    employer_address = forms.CharField(label=_("Employer address"), max_length=500,
                                       required=False, widget=forms.Textarea(attrs={"rows": 3}))
    employer_paye_reference = forms.CharField(
        label=_("Employer PAYE reference (UK)"), max_length=20, required=False,
        help_text=_("3 digits, a slash and the reference, e.g. 123/AB45678."))
    employer_ein = forms.CharField(label=_("EIN (US)"), max_length=12, required=False,
                                   help_text=_("NN-NNNNNNN, e.g. 12-3456789."))
