"""The tabs of an employee's profile. Each tab is shown only if its page exists and the viewer may
see that section (employees.access)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from employees.access import Section, can_view
from employees.models import Employee


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str


# (key, label, URL name taking the employee pk, section the viewer must be allowed to see)
PROFILE_TABS = [
    ("overview", _("Overview"), "employees:profile", Section.SUMMARY),
    ("personal", _("Personal"), "employees:personal", Section.PERSONAL),
    ("employment", _("Job history"), "employees:employment", Section.EMPLOYMENT),
    ("compensation", _("Compensation"), "employees:compensation", Section.COMPENSATION),
    ("bank", _("Bank & tax IDs"), "employees:bank", Section.BANK),
    ("documents", _("Documents"), "employees:documents", Section.DOCUMENTS),
    ("tasks", _("Tasks"), "lifecycle:employee_checklists", Section.TASKS),
    ("compliance", _("Compliance"), "compliance:employee", Section.COMPLIANCE),
    ("pay", _("Payslips"), "payroll:employee_payslips", Section.PAYSLIPS),
    ("yearend", _("Tax documents"), "yearend:employee_documents", Section.PAYSLIPS),
    # Balances, ledger and sickness history: HR only, the section only HR sees.
    ("timeoff", _("Time off"), "timeoff:employee_leave", Section.HISTORY),
    ("history", _("History"), "employees:history", Section.HISTORY),
    # Custom fields (customfields app); each field says who besides HR may see it.
    ("custom", _("More details"), "customfields:employee", Section.SUMMARY),
]


def profile_tabs(viewer, employee: Employee) -> list[Tab]:
    tabs: list[Tab] = []
    for key, label, url_name, section in PROFILE_TABS:
        if not can_view(viewer, employee, section):
            continue
        try:
            url = reverse(url_name, args=[employee.pk])
        except NoReverseMatch:
            continue  # that app's page is not installed in this build
        tabs.append(Tab(key, str(label), url))
    return tabs
