from django import forms
from django.utils.translation import gettext_lazy as _

from rti.messages import LATE_REASONS
from rti.models import RtiPerson, RtiSubmission

S = RtiSubmission.Status


class AnswerForm(forms.Form):
    """HMRC's answer, as the filing software or the Transaction Engine reported it."""

    outcome = forms.ChoiceField(label=_("HMRC's answer"), choices=[
        (S.SUBMITTED, _("Sent, no answer yet")), (S.ACCEPTED, _("Accepted")),
        (S.REJECTED, _("Rejected"))])
    correlation_id = forms.CharField(label=_("Correlation ID"), max_length=40)
    acknowledgement = forms.CharField(label=_("Acknowledgement or errors"), required=False,
                                      max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class EpsPrepareForm(forms.Form):
    final_for_year = forms.BooleanField(
        label=_("Final submission for the tax year"), required=False,
        help_text=_("Tick on the year's last EPS (month 12) when no FPS after it will say so."))


class PersonForm(forms.Form):
    gender = forms.ChoiceField(label=_("Gender reported to HMRC"),
                               choices=RtiPerson.Gender.choices,
                               help_text=_("As on the person's legal documents (passport, birth "
                                           "or gender recognition certificate)."))


class FpsPrepareForm(forms.Form):
    late_reason = forms.ChoiceField(
        label=_("Late reporting reason"), required=False,
        choices=[("", _("Not late (sent on or before payday)"))]
        + [(code, f"{code}: {text}") for code, text in LATE_REASONS.items()],
        help_text=_("HMRC expects one when the FPS goes after the employees' payday."))
