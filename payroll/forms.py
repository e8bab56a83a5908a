from django import forms
from django.utils.translation import gettext_lazy as _

from employees.models import Employee
from payroll.models import (
    EmployeePayItem,
    PayComponent,
    PayPeriod,
    PayRun,
    PaySchedule,
    RunInput,
    TaxProfile,
)


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
    """One grid cell: a new input (employee picked by number or name), or a change to one
    existing input (``input``: its id; all values empty removes it)."""

    input = forms.IntegerField(required=False, widget=forms.HiddenInput)
    employee_number = forms.CharField(
        label=_("Employee"), required=False, max_length=120,
        help_text=_("Type a name or an employee number."))
    component = forms.ModelChoiceField(PayComponent.objects.filter(is_active=True),
                                       label=_("Component"), required=False)
    quantity = forms.DecimalField(label=_("Hours / qty"), required=False, max_digits=9,
                                  decimal_places=2)
    rate = forms.DecimalField(label=_("Rate"), required=False, max_digits=12, decimal_places=4)
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=12,
                                decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, run=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run

    def clean(self):
        data = super().clean()
        if data.get("input"):
            data["run_input"] = RunInput.objects.select_related("employee", "component").filter(
                pk=data["input"], run=self.run).first()
            if data["run_input"] is None:
                raise forms.ValidationError(_("That input no longer exists; reload the page."))
            data["employee"], data["component"] = (data["run_input"].employee,
                                                   data["run_input"].component)
            return data
        data["run_input"] = None
        if not data.get("component") and "component" not in self.errors:
            self.add_error("component", _("Choose a component."))
        data["employee"] = self._employee((data.get("employee_number") or "").strip())
        return data

    def _employee(self, text: str) -> Employee | None:
        """By number ("E0042"), "Name (E0042)" as the picker shows it, or a unique full name."""
        if not text:
            self.add_error("employee_number", _("Choose an employee."))
            return None
        number = text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") else text
        employee = Employee.objects.filter(employee_number__iexact=number).first()
        if employee is None:
            from payroll.selectors_inputs import employees_named

            found = employees_named(text)
            if len(found) == 1:
                return found[0]
            self.add_error("employee_number", _(
                "Several employees are called %(t)s: pick one from the list (it adds their "
                "number).") % {"t": text} if found else
                _("No employee has the number or name %(t)s.") % {"t": text})
        return employee


class BulkEntryForm(forms.Form):
    rows = forms.CharField(
        label=_("Rows"), max_length=500_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Paste from a spreadsheet (tab separated) or type CSV: employee_number, "
                    "component, quantity, rate, amount, note. The header line is optional."))


class BulkOverrideForm(forms.Form):
    code = forms.ChoiceField(label=_("Flag"))
    comment = forms.CharField(label=_("Why these flags are acceptable"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    employee_numbers = forms.CharField(
        label=_("Only these employee numbers"), required=False, max_length=20_000,
        help_text=_("Comma or space separated; empty: every payslip with this flag."))

    def __init__(self, *args, codes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = list(codes)

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say why these flags are acceptable."))
        return comment

    def clean_employee_numbers(self) -> list[str]:
        return self.cleaned_data["employee_numbers"].replace(",", " ").split()


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
            "student_loan_plan", "postgraduate_loan",
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
        component = data.get("component")
        if component is not None and not component.allows_negative and (
            data.get("amount") is not None and data["amount"] < 0
        ):
            self.add_error("amount", _("%(c)s does not allow negative amounts.")
                           % {"c": component.code})
        for name in ("rate", "quantity", "percent"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Cannot be negative."))
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
    bacs_sun = forms.CharField(label=_("BACS service user number (UK)"), max_length=8,
                               required=False)
    bacs_sort_code = forms.CharField(label=_("Company sort code (BACS)"), max_length=8,
                                     required=False)
    bacs_account_number = forms.CharField(label=_("Company account number (BACS)"),
                                          max_length=10, required=False)


class SupplementalMethodForm(forms.Form):
    """US supplemental wages withholding (IRS Pub 15 section 7) for one schedule."""

    supplemental_method = forms.ChoiceField(
        label=_("US supplemental wages withholding"),
        choices=PaySchedule.SupplementalMethod.choices,
        help_text=_("Bonuses, commissions and off-cycle payments. 37% is withheld on "
                    "supplemental wages above 1,000,000 in a year whatever you choose."))


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
    small_employer_relief = forms.BooleanField(
        label=_("Qualifies for Small Employer Relief (UK)"), required=False,
        help_text=_("Class 1 National Insurance of 45,000 or less in the last complete tax "
                    "year: 108.5% of statutory maternity, paternity, adoption, shared "
                    "parental, parental bereavement and neonatal care pay is recoverable "
                    "instead of 92% (103% before 6 April 2025)."))
