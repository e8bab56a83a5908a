from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.models import Event


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.URLField(label=_("Target URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.CHOICES,
                                       widget=forms.CheckboxSelectMultiple)
    sees_compensation = forms.BooleanField(
        label=_("Compensation scope (receives compensation.changed)"), required=False)
