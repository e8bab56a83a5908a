from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from compliance.models import (
    ComplianceRecord,
    RequirementKind,
    RequirementRule,
    RequirementType,
)
from compliance.services.records import RecordData
from compliance.status import Status
from employees.models import Department, Location
from hrops.uploads import validate_upload


def validate_document(upload) -> None:
    """Evidence and policy documents: PDF or images only, up to HROPS_MAX_UPLOAD_BYTES."""
    validate_upload(upload, kinds=("pdf", "png", "jpeg"))


class DateInput(forms.DateInput):
    input_type = "date"


class RequirementTypeForm(forms.ModelForm):
    class Meta:
        model = RequirementType
        fields = ["name", "kind", "description", "evidence_required", "requires_document",
                  "validity_months", "expiring_window_days", "country", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Policy requirements are created by publishing a policy.
        self.fields["kind"].choices = [
            c for c in RequirementKind.choices if c[0] != RequirementKind.POLICY
        ]

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()


class RequirementRuleForm(forms.ModelForm):
    class Meta:
        model = RequirementRule
        fields = ["requirement_type", "scope", "department", "location", "job_title",
                  "employment_type", "country", "active"]
        widgets = {"requirement_type": forms.HiddenInput}

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        needed = {
            "department": "department", "location": "location", "job_title": "job_title",
            "employment_type": "employment_type", "country": "country",
        }.get(scope or "")
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose who this rule applies to."))
        if data.get("country"):
            data["country"] = data["country"].upper()
        return data


class RecordForm(forms.Form):
    """HR records evidence (optionally verifying it at once) or an employee uploads their own."""

    requirement_type = forms.ModelChoiceField(
        queryset=RequirementType.objects.filter(active=True).exclude(kind="policy"),
        label=_("Requirement"),
    )
    completed_on = forms.DateField(label=_("Completed / issued / checked on"), required=False,
                                   widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)
    reverify_on = forms.DateField(
        label=_("Re-verification date (time-limited right to work)"), required=False,
        widget=DateInput,
    )
    document_kind = forms.CharField(label=_("Document kind"), max_length=120, required=False,
                                    help_text=_("e.g. US passport, BRP, share code"))
    document_number = forms.CharField(label=_("Document / licence number"), max_length=80,
                                      required=False)
    issuer = forms.CharField(label=_("Issuer"), max_length=120, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence file (PDF, PNG, JPEG)"), required=False,
                               validators=[validate_document])
    verify = forms.BooleanField(label=_("I have checked the original: mark verified"),
                                required=False)

    def __init__(self, *args, staff: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["verify"]

    def record_data(self) -> RecordData:
        d = self.cleaned_data
        return RecordData(
            completed_on=d.get("completed_on"), expires_on=d.get("expires_on"),
            reverify_on=d.get("reverify_on"), document_kind=d.get("document_kind", ""),
            document_number=d.get("document_number", ""), issuer=d.get("issuer", ""),
            notes=d.get("notes", ""),
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(label=_("Summary"), max_length=255, required=False)
    scope = forms.ChoiceField(label=_("Who must acknowledge"),
                              choices=RequirementRule.Scope.choices)
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)
    location = forms.ModelChoiceField(queryset=Location.objects.all(), required=False)
    country = forms.CharField(max_length=2, required=False)

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope in ("department", "location", "country") and not data.get(scope):
            self.add_error(scope, _("Choose who this policy applies to."))
        if scope in ("job_title", "employment_type"):
            self.add_error("scope", _("Add job-title or employment-type rules on the "
                                      "requirement after creating the policy."))
        return data

    def rule_data(self) -> dict:
        d = self.cleaned_data
        data = {"scope": d["scope"]}
        if d["scope"] == "department":
            data["department"] = d["department"]
        elif d["scope"] == "location":
            data["location"] = d["location"]
        elif d["scope"] == "country":
            data["country"] = d["country"].upper()
        return data


class PolicyVersionForm(forms.Form):
    label = forms.CharField(label=_("Version label"), max_length=40, help_text=_("e.g. 2026.1"))
    body = forms.CharField(label=_("Policy text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    document = forms.FileField(label=_("Or the policy document (PDF)"), required=False,
                               validators=[validate_document])

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("document"):
            raise ValidationError(_("Give the policy text or upload its document."))
        return data


class MatrixFilterForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False,
                                        empty_label=_("All departments"))
    location = forms.ModelChoiceField(queryset=Location.objects.all(), required=False,
                                      empty_label=_("All locations"))
    requirement = forms.ModelChoiceField(
        queryset=RequirementType.objects.filter(active=True), required=False,
        empty_label=_("All requirements"),
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status"))] + [(s.value, s.label) for s in Status], required=False
    )
    q = forms.CharField(required=False, label=_("Name"))


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("'To' is before 'From'."))
        return data


class LegalHoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason (case, claim, request)"), max_length=255)
    record = forms.ModelChoiceField(queryset=ComplianceRecord.objects.none(), required=False,
                                    label=_("Only this record (empty: everything)"))

    def __init__(self, *args, employee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employee is not None:
            self.fields["record"].queryset = ComplianceRecord.objects.filter(
                employee=employee).select_related("requirement_type")

