from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import scopes

EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("1 year")),
                  ("", _("Never (revoke it by hand)"))]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("Name"),
                           help_text=_("What uses it, e.g. 'laptop script'."))
    scopes = forms.MultipleChoiceField(choices=scopes.choices, widget=forms.CheckboxSelectMultiple,
                                       label=_("Scopes"))
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, initial="90",
                                   label=_("Expires"))

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["scopes"].choices = [c for c in scopes.choices() if c[0] in allowed]

    def expires_at(self):
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


class ServiceAccountForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("Name"))
    description = forms.CharField(max_length=255, required=False, label=_("What it is for"))
    scopes = forms.MultipleChoiceField(choices=scopes.choices, widget=forms.CheckboxSelectMultiple,
                                       label=_("Scopes (the most its tokens may have)"))
