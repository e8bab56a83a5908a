from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from compliance.models import RequirementType
from employees.countries import country_code
from employees.forms_directory import ManagerNumberField
from employees.models import (
    CompensationRecord,
    Department,
    Employee,
    Employment,
    EmploymentType,
    JobTitle,
    Location,
)
from employees.services.core import JobData, PayData
from lifecycle.models import (
    Anchor,
    AssigneeRule,
    ChecklistKind,
    Requirement,
)
from lifecycle.services.checklists import EMPLOYEE_FORM_FIELDS, OPTIONAL_FORM_FIELDS
from payroll.models import PaySchedule

DATE = forms.DateInput(attrs={"type": "date"})


def _countries(value: str) -> list[str]:
    """ISO 3166 codes (or names; "UK" is GB), comma-separated: the sorted alpha-2 codes."""
    codes, bad = set(), []
    for item in (value or "").replace(";", ",").split(","):
        if not item.strip():
            continue
        try:
            codes.add(country_code(item))
        except forms.ValidationError:
            bad.append(item.strip())
    if bad:
        raise forms.ValidationError(_("Not ISO 3166 countries: %s. Use two-letter country "
                                      "codes, e.g. GB, US.") % ", ".join(bad))
    return sorted(codes)


class ConditionsMixin(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        Department.objects.all(), required=False, label=_("Only departments"),
        help_text=_("Leave empty for all."))
    locations = forms.ModelMultipleChoiceField(
        Location.objects.all(), required=False, label=_("Only locations"))
    employment_types = forms.MultipleChoiceField(
        choices=EmploymentType.choices, required=False, label=_("Only employment types"))
    countries = forms.CharField(required=False, label=_("Only work countries"),
                                help_text=_("Comma-separated codes, e.g. GB, US."))

    def clean_countries(self) -> list[str]:
        return _countries(self.cleaned_data.get("countries", ""))

    def conditions(self) -> dict:
        data = self.cleaned_data
        return {
            "departments": sorted(d.pk for d in data.get("departments") or []),
            "locations": sorted(loc.pk for loc in data.get("locations") or []),
            "employment_types": sorted(data.get("employment_types") or []),
            "countries": data.get("countries") or [],
        }

    @staticmethod
    def initial_conditions(obj) -> dict:
        return {"departments": obj.departments, "locations": obj.locations,
                "employment_types": obj.employment_types, "countries": ", ".join(obj.countries)}


class TemplateForm(ConditionsMixin):
    name = forms.CharField(max_length=150, label=_("Name"))
    kind = forms.ChoiceField(choices=ChecklistKind.choices, label=_("Kind"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  label=_("Description"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"),
                                   help_text=_("Inactive templates are never started."))

    field_order = ["name", "kind", "description", "is_active"]


class TemplateTaskForm(ConditionsMixin):
    # A row without a title is an unused extra row and is ignored (the other fields carry
    # defaults, so "has the row changed?" cannot tell).
    title = forms.CharField(max_length=200, required=False, label=_("Task"),
                            help_text=_("Leave empty to ignore this row."))
    instructions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   label=_("Instructions"))
    assignee_rule = forms.ChoiceField(choices=AssigneeRule.choices, required=False,
                                      label=_("Assignee"))
    assignee_user = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True), required=False,
        label=_("Named person"), help_text=_("Only for “A named person”."))
    anchor = forms.ChoiceField(choices=Anchor.choices, required=False, label=_("Due relative to"))
    offset_days = forms.IntegerField(min_value=-365, max_value=365, initial=0, required=False,
                                     label=_("Offset (days)"),
                                     help_text=_("Negative = before, e.g. -5."))
    business_days = forms.BooleanField(required=False, label=_("Count business days"))
    roll_weekend = forms.BooleanField(required=False, label=_("Move off weekends and holidays"))
    requirement = forms.ChoiceField(choices=Requirement.choices, required=False,
                                    label=_("Requirement"))
    acknowledge_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                       label=_("Text to acknowledge"))
    form_fields = forms.MultipleChoiceField(
        choices=list(EMPLOYEE_FORM_FIELDS.items()), required=False,
        label=_("Employee fields to fill in"))

    compliance_requirement = forms.ModelChoiceField(
        RequirementType.objects.filter(active=True), required=False,
        label=_("Compliance requirement"),
        help_text=_("Completing the task with its evidence records this requirement (and "
                    "recording the requirement completes the task)."))

    field_order = ["title", "instructions", "assignee_rule", "assignee_user", "anchor",
                   "offset_days", "business_days", "roll_weekend", "requirement",
                   "acknowledge_text", "form_fields", "compliance_requirement"]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("title"):
            return data
        for name in ("assignee_rule", "anchor"):
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        if data.get("offset_days") is None and "offset_days" not in self.errors:
            data["offset_days"] = 0
        if data.get("assignee_rule") == AssigneeRule.USER and not data.get("assignee_user"):
            self.add_error("assignee_user", _("Choose the named person."))
        if data.get("requirement") == Requirement.ACKNOWLEDGE and not data.get("acknowledge_text"):
            self.add_error("acknowledge_text", _("Give the text to acknowledge."))
        if data.get("requirement") == Requirement.FORM and not data.get("form_fields"):
            self.add_error("form_fields", _("Choose at least one field."))
        return data

    def task_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"], "instructions": data.get("instructions", ""),
            "assignee_rule": data["assignee_rule"], "assignee_user": data.get("assignee_user"),
            "anchor": data["anchor"], "offset_days": data["offset_days"],
            "business_days": data.get("business_days", False),
            "roll_weekend": data.get("roll_weekend", False),
            "requirement": data.get("requirement") or "",
            "acknowledge_text": data.get("acknowledge_text", ""),
            "form_fields": list(data.get("form_fields") or []),
            "compliance_requirement": data.get("compliance_requirement"),
            **self.conditions(),
        }



class HireForm(forms.Form):
    legal_first_name = forms.CharField(max_length=100, label=_("Legal first name"))
    legal_last_name = forms.CharField(max_length=100, label=_("Legal last name"))
    preferred_name = forms.CharField(max_length=100, required=False, label=_("Preferred name"))
    employee_number = forms.CharField(max_length=20, label=_("Employee number"))
    work_email = forms.EmailField(required=False, label=_("Work email"))
    personal_email = forms.EmailField(required=False, label=_("Personal email"))
    start_date = forms.DateField(widget=DATE, label=_("Start date"))
    # Wider than the code so "UK" or "United Kingdom" reach clean_work_country and become GB.
    work_country = forms.CharField(max_length=60, initial="GB", label=_("Work country"),
                                   help_text=_("ISO 3166 code, e.g. GB, US."))
    job_title = forms.ModelChoiceField(JobTitle.objects.all(), label=_("Job title"))
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Department"))
    location = forms.ModelChoiceField(Location.objects.all(), label=_("Location"))
    manager = ManagerNumberField(required=False, current_only=True, label=_("Manager"))
    employment_type = forms.ChoiceField(choices=EmploymentType.choices,
                                        label=_("Employment type"))
    fte = forms.DecimalField(max_digits=4, decimal_places=3, initial=Decimal("1.000"),
                             min_value=Decimal("0.01"), max_value=Decimal("1.5"), label=_("FTE"))
    weekly_hours = forms.DecimalField(
        max_digits=5, decimal_places=2, required=False, min_value=Decimal("0.01"),
        max_value=Decimal("168"), label=_("Contracted hours a week"),
        help_text=_("Needed to pay a salaried person's overtime."))
    basis = forms.ChoiceField(choices=CompensationRecord.Basis.choices, label=_("Pay basis"))
    amount = forms.DecimalField(max_digits=12, decimal_places=4, min_value=Decimal("0.01"),
                                label=_("Annual salary or hourly rate"))
    currency = forms.CharField(max_length=3, initial="GBP", label=_("Currency"))
    pay_schedule = forms.ModelChoiceField(PaySchedule.objects.filter(is_active=True),
                                          required=False, label=_("Pay schedule"))
    create_login = forms.BooleanField(
        required=False, initial=True, label=_("Create a login now"),
        help_text=_("Sends a welcome email to the work address to choose a password."))

    def clean_work_country(self) -> str:
        return _countries(self.cleaned_data["work_country"])[0]

    # The service checks these again under its transaction; checking here as well puts them on
    # the form with every other error, instead of one more round trip after the rest is fixed.
    def clean_employee_number(self) -> str:
        number = self.cleaned_data["employee_number"].strip()
        if Employee.objects.filter(employee_number__iexact=number).exists():
            raise forms.ValidationError(_("This employee number is already taken."))
        return number

    def clean_work_email(self) -> str:
        email = self.cleaned_data["work_email"]
        if email and Employee.objects.filter(work_email__iexact=email).exists():
            raise forms.ValidationError(_("Another employee has this work email."))
        return email

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise forms.ValidationError(_("Use a three-letter currency code, e.g. GBP."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("create_login") and not data.get("work_email"):
            self.add_error("work_email", _("A login needs a work email address."))
        amount = data.get("amount")
        # Annual salaries are stored to the cent; hourly rates keep 4 places.
        is_salary = data.get("basis") == CompensationRecord.Basis.SALARY
        if amount is not None and is_salary and amount != amount.quantize(Decimal("0.01")):
            self.add_error("amount", _("An annual salary has at most 2 decimal places."))
        return data

    def hire_data(self):
        """What the hire flow takes (the web form and the API build it the same way)."""
        from lifecycle.services.flows import HireData

        d = self.cleaned_data
        salary = d["basis"] == "salary"
        return HireData(
            employee_number=d["employee_number"], legal_first_name=d["legal_first_name"],
            legal_last_name=d["legal_last_name"], preferred_name=d["preferred_name"],
            start_date=d["start_date"], work_country=d["work_country"],
            work_email=d["work_email"] or None, personal_email=d["personal_email"],
            create_login=d["create_login"],
            job=JobData(job_title=d["job_title"], department=d["department"],
                        location=d["location"], manager=d["manager"],
                        employment_type=d["employment_type"], fte=d["fte"],
                        weekly_hours=d.get("weekly_hours")),
            pay=PayData(basis=d["basis"], currency=d["currency"],
                        annual_salary=d["amount"] if salary else None,
                        hourly_rate=None if salary else d["amount"],
                        pay_schedule=d["pay_schedule"]),
        )


class OffboardForm(forms.Form):
    REHIRE = [("", _("Not decided")), ("yes", _("Yes")), ("no", _("No"))]

    last_day = forms.DateField(widget=DATE, label=_("Last working day"))
    reason = forms.ChoiceField(choices=Employment.TerminationReason.choices, label=_("Reason"))
    notice_given_on = forms.DateField(widget=DATE, required=False, label=_("Notice given on"))
    notice_end_date = forms.DateField(widget=DATE, required=False,
                                      label=_("Notice period ends"))
    rehire_eligible = forms.ChoiceField(choices=REHIRE, required=False,
                                        label=_("Eligible for rehire"))
    final_pay_flag = forms.BooleanField(required=False, initial=True,
                                        label=_("Flag final pay for payroll"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           label=_("Note"))
    OPEN_TASKS = [("keep", _("Keep them open until the last day; close what is left then")),
                  ("cancel", _("Cancel them now"))]
    open_tasks = forms.ChoiceField(
        choices=OPEN_TASKS, initial="keep", widget=forms.RadioSelect, required=False,
        label=_("Their open onboarding tasks"))
    hand_tasks_to = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("full_name", "email"),
        required=False, label=_("Tasks assigned to them: hand over to"),
        empty_label=_("Nobody yet (they go to HR when the employee has left)"))

    def clean_rehire_eligible(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("rehire_eligible") or "")

    def offboard_data(self):
        from lifecycle.services.flows import OffboardData

        d = self.cleaned_data
        return OffboardData(
            last_day=d["last_day"], reason=d["reason"], notice_given_on=d["notice_given_on"],
            notice_end_date=d["notice_end_date"], rehire_eligible=d["rehire_eligible"],
            final_pay_flag=d["final_pay_flag"], note=d["note"],
            cancel_open_tasks=d["open_tasks"] == "cancel", hand_tasks_to=d["hand_tasks_to"])


class NoteForm(forms.Form):
    note = forms.CharField(max_length=255, required=False, label=_("Note"))


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=255, label=_("Reason for skipping"))


class ReassignForm(forms.Form):
    user = forms.ModelChoiceField(get_user_model().objects.filter(is_active=True),
                                  label=_("Reassign to"))
    note = forms.CharField(max_length=200, required=False, label=_("Note"))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=_("PDF, PNG or JPEG, up to 5 MB."))


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read and understood this"))


def employee_fields_form(task, data=None):
    """A form for the task's whitelisted employee fields, bound to the employee record."""
    fields = [f for f in task.form_fields if f in EMPLOYEE_FORM_FIELDS]
    form_class = modelform_factory(
        Employee, fields=fields, widgets={"date_of_birth": DATE},
    )
    form = form_class(data=data, instance=task.checklist.employee, prefix="fields")
    for name, field in form.fields.items():
        field.required = name not in OPTIONAL_FORM_FIELDS
    return form


class BoardFilterForm(forms.Form):
    SHOW = [("open", _("Open")), ("today", _("Due today or overdue")),
            ("overdue", _("Overdue")), ("done", _("Done")), ("all", _("All"))]
    show = forms.ChoiceField(choices=SHOW, required=False, label=_("Show"))
    kind = forms.ChoiceField(choices=[("", _("All kinds")), *ChecklistKind.choices],
                             required=False, label=_("Kind"))
    q = forms.CharField(required=False, max_length=100, label=_("Search"))


class DigestSettingsForm(forms.Form):
    receives_task_digest = forms.BooleanField(
        required=False, label=_("Email me a daily digest of tasks due today or overdue"))
