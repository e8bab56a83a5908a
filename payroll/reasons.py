"""Why a payslip differs from the previous finalised one: the codes stored on Payslip.reasons
(set by payroll.services.calculation) and the words a payroll admin reads for them."""

from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "new_hire": _("New hire"),
    "leaver": _("Leaver"),
    "rate_change": _("Pay rate change"),
    "proration": _("Part period (prorated)"),
    "unpaid_leave": _("Unpaid leave"),
    "unpaid_leave_ended": _("Back from unpaid leave"),
    "one_off_input": _("One-off input"),
    "tax_table_change": _("New tax year tables"),
}


def reason_label(code: str) -> str:
    """The label for a stored reason code; an unknown code (e.g. from an older release) is shown
    as readable words rather than hidden."""
    return str(REASON_LABELS.get(code, code.replace("_", " ").capitalize()))
