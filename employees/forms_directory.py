"""Forms of the directory, job/pay changes, reference data and import pages."""

import zoneinfo
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employees.countries import country_code
from employees.directory import SORTS, DirectoryFilters
from employees.hooks import record_extensions
from employees.models import (
    ChangeReason,
    CompensationRecord,
    Department,
    Employee,
    EmploymentType,
    JobRecord,
    JobTitle,
    Location,
)
from employees.pay_checks import PayWarning, pay_plausibility_warnings
from employees.picker import EmployeePicker
from employees.selectors import job_as_of
from employees.services.core import JobData, PayData
from payroll.models import PaySchedule

SORT_LABELS = {
    "name": _("Name A–Z"), "-name": _("Name Z–A"), "number": _("Number"),
    "-number": _("Number (descending)"), "hire_date": _("Hire date (oldest)"),
    "-hire_date": _("Hire date (newest)"), "department": _("Department"),
    "-department": _("Department (Z–A)"),
}


class ListSelect(forms.Select):
    """A select whose options are written inline by one template (a long list of departments
    renders in a fraction of Django's two includes per option). Options carry no attributes
    but "selected"."""

    template_name = "employees/widgets/select.html"


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={
                            "placeholder": _("Name, email or number"), "autocomplete": "off"}))
    department = forms.ModelChoiceField(Department.objects.all(), required=False,
                                        empty_label=_("All departments"), widget=ListSelect)
    location = forms.ModelChoiceField(Location.objects.all(), required=False,
                                      empty_label=_("All locations"), widget=ListSelect)
    status = forms.ChoiceField(
        required=False, widget=ListSelect,
        choices=[("", _("Current staff")), *Employee.Status.choices, ("all", _("Everyone"))],
    )
    employment_type = forms.ChoiceField(
        label=_("Type"), required=False, widget=ListSelect,
        choices=[("", _("All types")), *EmploymentType.choices],
    )
    # The searchable employee picker (employees.picker): type a name or number, pick a
    # suggestion (only people the viewer may see); the filter takes the employee number.
    # Its own htmx request must not push its URL as the form's live search does.
    manager = forms.CharField(label=_("Manager"), required=False, max_length=20,
                              widget=EmployeePicker(attrs={"size": 16, "hx-push-url": "false"}))
    sort = forms.ChoiceField(required=False, choices=list(SORT_LABELS.items()), widget=ListSelect)
    custom_field = forms.ChoiceField(label=_("Field"), required=False, widget=ListSelect)
    custom_value = forms.CharField(label=_("is"), required=False, max_length=100,
                                   widget=forms.TextInput(attrs={"size": 10}))

    def __init__(self, *args, viewer=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Fields kept by apps above (custom fields), those the viewer may see on everyone listed.
        choices = [] if viewer is None else [
            c for ext in record_extensions() for c in ext.directory_filter_choices(viewer)]
        if choices:
            self.fields["custom_field"].choices = [("", _("Any field")), *choices]
        else:
            del self.fields["custom_field"], self.fields["custom_value"]

    def filters(self) -> DirectoryFilters:
        self.is_valid()  # a bad value drops only that filter; the valid ones still apply
        data = self.cleaned_data
        status = data.get("status") or ""
        return DirectoryFilters(
            q=data.get("q") or "",
            department=data.get("department"),
            location=data.get("location"),
            status="" if status == "all" else status,
            include_leavers=status == "all",
            employment_type=data.get("employment_type") or "",
            manager_number=data.get("manager") or "",
            sort=data.get("sort") if data.get("sort") in SORTS else "name",
            custom_field=data.get("custom_field") or "",
            custom_value=data.get("custom_value") or "",
        )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Values in force on"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


class ManagerNumberField(forms.CharField):
    """A manager (or any employee) chosen by employee number, with the searchable picker as its
    widget: type a name or number (a 20,000-option select would be unusable). `current_only`
    refuses leavers."""

    def __init__(self, *args, current_only: bool = False, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", EmployeePicker())
        kwargs.setdefault("help_text", _("Type a name or employee number and pick from the list."))
        super().__init__(*args, **kwargs)
        self.current_only = current_only

    def prepare_value(self, value):
        return value.employee_number if isinstance(value, Employee) else value

    def clean(self, value: str) -> Employee | None:
        value = super().clean(value).strip()
        if not value:
            return None
        candidates = Employee.objects.all()
        if self.current_only:
            candidates = candidates.exclude(status=Employee.Status.TERMINATED)
        manager = candidates.filter(employee_number__iexact=value).first()
        if manager is None:
            raise ValidationError(_("No current employee has the number %(number)s.")
                                  if self.current_only else
                                  _("No employee has the number %(number)s."),
                                  params={"number": value})
        return manager


class JobChangeForm(forms.Form):
    effective_date = forms.DateField(label=_("Effective date"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    job_title = forms.ModelChoiceField(JobTitle.objects.all(), label=_("Job title"))
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Department"))
    location = forms.ModelChoiceField(Location.objects.all(), label=_("Location"))
    manager = ManagerNumberField(label=_("Manager"), required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"),
                                        choices=EmploymentType.choices)
    fte = forms.DecimalField(label=_("FTE"), max_digits=4, decimal_places=3,
                             min_value=Decimal("0.01"), max_value=Decimal("1.5"))
    weekly_hours = forms.DecimalField(
        label=_("Contracted hours a week"), max_digits=5, decimal_places=2, required=False,
        min_value=Decimal("0.01"), max_value=Decimal("168"),
        help_text=_("Payroll pays a salaried person's overtime at salary / 52 / these hours; "
                    "blank: overtime cannot be paid to them."))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in ChangeReason.choices if c[0] not in ("hire", "rehire")],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    @classmethod
    def for_employee(cls, employee: Employee, data=None, *,
                     current: JobRecord | object | None = ...) -> "JobChangeForm":
        """Pre-filled from today's job; `current`: today's JobRecord when the caller has it."""
        if current is ...:
            current = job_as_of(employee, timezone.localdate())
        initial = {
            "effective_date": timezone.localdate(), "job_title": employee.job_title_id,
            "department": employee.department_id, "location": employee.location_id,
            "manager": employee.manager.employee_number if employee.manager else "",
            "employment_type": employee.employment_type, "fte": employee.fte,
            "weekly_hours": current.weekly_hours if current is not None else None,
        }
        return cls(data=data, initial=initial, prefix="job")

    def job(self) -> JobData:
        d = self.cleaned_data
        return JobData(job_title=d["job_title"], department=d["department"],
                       location=d["location"], manager=d["manager"],
                       employment_type=d["employment_type"], fte=d["fte"],
                       weekly_hours=d.get("weekly_hours"))


class PayFieldsMixin(forms.Form):
    basis = forms.ChoiceField(label=_("Pay basis"), choices=CompensationRecord.Basis.choices)
    amount = forms.DecimalField(label=_("Annual salary or hourly rate"), max_digits=12,
                                decimal_places=4, min_value=Decimal("0.0001"))
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="GBP")
    pay_schedule = forms.ModelChoiceField(PaySchedule.objects.all(), label=_("Pay schedule"),
                                          required=False)

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].upper()
        if not value.isalpha():
            raise ValidationError(_("Use a three-letter currency code, e.g. GBP."))
        return value

    def pay(self) -> PayData:
        d = self.cleaned_data
        salary = d["basis"] == CompensationRecord.Basis.SALARY
        return PayData(basis=d["basis"], currency=d["currency"], pay_schedule=d["pay_schedule"],
                       annual_salary=d["amount"] if salary else None,
                       hourly_rate=None if salary else d["amount"])


class CompensationChangeForm(PayFieldsMixin):
    effective_date = forms.DateField(label=_("Effective date"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in ChangeReason.choices if c[0] not in ("hire", "rehire")],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    # Shown (as a checkbox) only once the figures raised plausibility warnings.
    confirm_warnings = forms.BooleanField(
        required=False, widget=forms.HiddenInput,
        label=_("I have checked these figures: save anyway"))
    field_order = ["effective_date", "basis", "amount", "currency", "pay_schedule", "reason",
                   "note"]

    def __init__(self, *args, current: CompensationRecord | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.warnings: list[PayWarning] = []

    @classmethod
    def for_record(cls, current: CompensationRecord | None, data=None):
        initial: dict[str, object] = {"effective_date": timezone.localdate()}
        if current is not None:
            initial.update(basis=current.basis, currency=current.currency,
                           pay_schedule=current.pay_schedule_id,
                           amount=current.annual_salary or current.hourly_rate)
        return cls(data=data, initial=initial, prefix="pay", current=current)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or not all(data.get(k) for k in ("basis", "amount", "currency")):
            return data
        self.warnings = pay_plausibility_warnings(pay=self.pay(), current=self.current)
        if self.warnings and not data.get("confirm_warnings"):
            self.fields["confirm_warnings"].widget = forms.CheckboxInput()
            raise ValidationError(_("Nothing is saved yet: check the warnings, then tick “save "
                                    "anyway” to save."), code="unconfirmed_warnings")
        return data


class StatusForm(forms.Form):
    ACTIONS = {"leave": Employee.Status.ON_LEAVE, "return": Employee.Status.ACTIVE}
    action = forms.ChoiceField(choices=[("leave", _("Put on leave")),
                                        ("return", _("Return from leave"))])
    note = forms.CharField(required=False, max_length=255)


class RehireForm(JobChangeForm, PayFieldsMixin):
    field_order = ["effective_date", "job_title", "department", "location", "manager",
                   "employment_type", "fte", "weekly_hours", "basis", "amount", "currency",
                   "pay_schedule"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].label = _("Start date")
        for name in ("reason", "note"):
            del self.fields[name]


# Reference data ----------------------------------------------------------------------------

class _UniqueNameMixin:
    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = type(self.instance).objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("“%(name)s” already exists."), params={"name": name})
        return name


class DepartmentForm(_UniqueNameMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "code", "parent", "cost_centre"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if Department.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("The code %(code)s is already used."), params={"code": code})
        return code

    def clean_parent(self) -> Department | None:
        parent = self.cleaned_data.get("parent")
        seen: set[int] = set()
        node = parent
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                raise ValidationError(_("A department cannot sit under itself."))
            seen.add(node.pk)
            node = node.parent
        return parent


class LocationForm(_UniqueNameMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = ["name", "city", "country", "timezone"]

    def clean_country(self) -> str:
        return country_code(self.cleaned_data["country"])

    def clean_timezone(self) -> str:
        tz = self.cleaned_data["timezone"].strip()
        if tz not in zoneinfo.available_timezones():
            raise ValidationError(_("Unknown time zone; use e.g. Europe/London."))
        return tz


class JobTitleForm(_UniqueNameMixin, forms.ModelForm):
    class Meta:
        model = JobTitle
        fields = ["name", "job_family"]


# Import ------------------------------------------------------------------------------------

class ImportForm(forms.Form):
    KINDS = [("employees", _("New employees")), ("changes", _("Job and pay changes"))]
    kind = forms.ChoiceField(label=_("What the file contains"), choices=KINDS)
    file = forms.FileField(label=_("CSV or Excel (.xlsx) file"))
