from timeoff.views.approvals import approvals, delegations, request_decide
from timeoff.views.calendar import ical_feed, ical_reset, team_calendar
from timeoff.views.opening import opening_balances, opening_template
from timeoff.views.payout import payout
from timeoff.views.people import (
    employee_adjust,
    employee_leave,
    employee_pattern,
    employee_sickness,
    fit_note_download,
    fit_note_upload,
    kit_day_add,
)
from timeoff.views.portal import (
    my_leave,
    request_cancel,
    request_new,
    request_preview,
    sickness_self,
)
from timeoff.views.reports import report_export, report_page
from timeoff.views.setup import policy_edit, setup, type_edit

__all__ = [
    "approvals", "delegations", "employee_adjust", "employee_leave", "employee_pattern",
    "employee_sickness", "fit_note_download", "fit_note_upload", "ical_feed", "ical_reset",
    "kit_day_add", "my_leave", "opening_balances", "opening_template", "payout", "policy_edit",
    "report_export", "report_page", "request_cancel", "request_decide", "request_new",
    "request_preview", "setup", "sickness_self", "team_calendar", "type_edit",
]
