"""Forms for the sensitive-data and self-service pages (personal, bank, documents, history)."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from employees.countries import country_code
from employees.models import (
    AccountType,
    BankScheme,
    Document,
    EmergencyContact,
    Employee,
)
from employees.validation import NATIONAL_ID_COUNTRIES, clean_bank_details, validate_national_id
from hrops.uploads import format_size, validate_upload

_PHONE = re.compile(r"^\+?[0-9 ()\-.]{7,20}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and (not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 7):
        raise ValidationError(_("Enter a phone number: digits, spaces and + ( ) - only, "
                                "at least 7 digits."))
    return value


def clean_country(value: str) -> str:
    """An ISO 3166 code, code of three letters or English name ("UK" is GB): the alpha-2 code."""
    return country_code(value)


class VersionedForm(forms.ModelForm):
    """Carries the version (and a signed snapshot) the form was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)
    # Wider than the column so a typed country name gets the helpful message, not "2 chars max".
    country = forms.CharField(label=_("Country"), required=False, max_length=60,
                              help_text=_("Two-letter code, e.g. GB or US."))

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_country(self) -> str:
        return clean_country(self.cleaned_data.get("country", ""))

    def personal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class PersonalForm(VersionedForm):
    """What HR edits on the Personal tab (the work email too: HR keeps it, not the employee)."""

    class Meta:
        model = Employee
        fields = ["legal_first_name", "legal_last_name", "preferred_name", "date_of_birth",
                  "work_email", "personal_email", "phone", "address_line1", "address_line2",
                  "city", "region", "postal_code", "country"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def validate_unique(self) -> None:
        """The service checks the work email (case-insensitively, in its transaction)."""

    def clean_work_email(self) -> str | None:
        # Empty is "no work email" (NULL): the column is unique, so "" could be held only once.
        return (self.cleaned_data.get("work_email") or "").strip() or None

    def clean_date_of_birth(self) -> date | None:
        dob = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if dob and dob > today:
            raise ValidationError(_("The date of birth cannot be in the future."))
        if dob and (today.year - dob.year) < 14:
            raise ValidationError(_("Employees must be at least 14 years old."))
        if dob and dob.year < 1900:
            raise ValidationError(_("Check the year of birth."))
        return dob


class SelfContactForm(VersionedForm):
    """What an employee changes about themself directly: how to reach them and where they live."""

    class Meta:
        model = Employee
        fields = ["preferred_name", "personal_email", "phone", "address_line1", "address_line2",
                  "city", "region", "postal_code", "country"]


class EmergencyContactForm(forms.ModelForm):
    class Meta:
        model = EmergencyContact
        fields = ["name", "relationship", "phone", "email", "is_primary"]

    def clean_phone(self) -> str:
        value = clean_phone(self.cleaned_data.get("phone", ""))
        if not value:
            raise ValidationError(_("A phone number is needed to reach this contact."))
        return value


class NationalIdForm(forms.Form):
    national_id_country = forms.ChoiceField(label=_("Country"), choices=NATIONAL_ID_COUNTRIES)
    national_id = forms.CharField(label=_("National ID"), max_length=20,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("national_id_country") and data.get("national_id"):
            try:
                data["national_id"] = validate_national_id(data["national_id_country"],
                                                           data["national_id"])
            except ValidationError as exc:
                self.add_error("national_id", exc)
        return data


class BankAccountForm(forms.Form):
    holder_name = forms.CharField(label=_("Account holder"), max_length=140)
    scheme = forms.ChoiceField(label=_("Account format"), choices=BankScheme.choices)
    country = forms.CharField(label=_("Bank country"), max_length=2,
                              help_text=_("Two-letter code, e.g. GB, US, DE."))
    account_type = forms.ChoiceField(label=_("Account type"), choices=AccountType.choices)
    iban = forms.CharField(label=_("IBAN"), required=False, max_length=42,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bic = forms.CharField(label=_("BIC / SWIFT"), required=False, max_length=11)
    sort_code = forms.CharField(label=_("Sort code"), required=False, max_length=8)
    routing_number = forms.CharField(label=_("Routing number"), required=False, max_length=11)
    account_number = forms.CharField(label=_("Account number"), required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))

    # Which account fields each format uses: static/js/app.js shows only the chosen format's
    # (all of them stay visible without JavaScript; the service ignores the others).
    SCHEME_FIELDS = {"iban": BankScheme.IBAN, "bic": BankScheme.IBAN,
                     "sort_code": BankScheme.UK, "routing_number": BankScheme.US_ACH,
                     "account_number": f"{BankScheme.UK} {BankScheme.US_ACH}"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].widget.attrs["data-scheme-select"] = ""
        for name, schemes in self.SCHEME_FIELDS.items():
            self.fields[name].widget.attrs["data-schemes"] = str(schemes)

    def clean_country(self) -> str:
        value = clean_country(self.cleaned_data.get("country", ""))
        if not value:
            raise ValidationError(_("Enter the bank's country."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(clean_bank_details(
                scheme=data["scheme"], country=data["country"],
                **{k: data.get(k, "") for k in ("iban", "bic", "routing_number", "sort_code",
                                                "account_number")}))
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data

    def details(self) -> dict:
        keys = ("holder_name", "scheme", "country", "account_type", "iban", "bic", "sort_code",
                "routing_number", "account_number")
        return {k: self.cleaned_data.get(k, "") for k in keys}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the employee)"), max_length=255)


DOCUMENT_KINDS = ("pdf", "png", "jpeg", "docx")


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["doc_type", "title", "file"]

    def size_limit(self) -> str:
        return format_size(settings.HROPS_MAX_UPLOAD_BYTES)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        # Store and serve back the type we checked, not the one the browser claimed.
        upload.content_type = validate_upload(upload, kinds=DOCUMENT_KINDS)
        return upload


OBJECT_KINDS = [
    ("", _("All records")),
    ("employees.employee", _("Employee")),
    ("employees.employment", _("Employment")),
    ("employees.jobrecord", _("Job")),
    ("employees.compensationrecord", _("Compensation")),
    ("employees.bankaccount", _("Bank account")),
    ("employees.bankchangerequest", _("Bank change request")),
    ("employees.emergencycontact", _("Emergency contact")),
    ("employees.document", _("Document")),
]


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Record"), choices=OBJECT_KINDS, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *AuditEvent.Action.choices])
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError(_("'From' must be on or before 'To'."))
        return data
