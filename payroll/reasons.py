"""Words for the codes stored on a payslip (set by payroll.services.calculation): reasons why it
differs from the previous finalised one (Payslip.reasons) and flags to review (Payslip.flags,
overrides)."""

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
    "retro_pay": _("Retro pay"),
    "ssp": _("SSP"),
    "maternity_pay": _("Maternity pay"),
    "paternity_pay": _("Paternity pay"),
    "adoption_pay": _("Adoption pay"),
    "shared_parental_pay": _("Shared parental pay"),
    "neonatal_care_pay": _("Neonatal care pay"),
    "parental_bereavement_pay": _("Parental bereavement pay"),
}


FLAG_LABELS = {
    "variance": _("Large change"),
    "negative_net": _("Negative net pay"),
    "missing_tax_setup": _("No tax details"),
    "missing_bank_details": _("No bank account"),
    "calculation_error": _("Calculation error"),
    "missing_hours": _("No hours entered"),
    "retro_recovery": _("Recovery to confirm"),
    "statutory_pay_not_due": _("Statutory pay not due"),
    "changed_by_calculator": _("Changed by the calculator"),
}


def _words(code: str) -> str:
    # An unknown code (e.g. from an older release) is shown as readable words, not hidden.
    return code.replace("_", " ").capitalize()


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, _words(code)))


def flag_label(code: str) -> str:
    return str(FLAG_LABELS.get(code, _words(code)))
