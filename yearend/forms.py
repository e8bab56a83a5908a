from django import forms
from django.utils.translation import gettext_lazy as _

from yearend.models import FilingSettings


class CloseForm(forms.Form):
    """The year-end close, with HMRC's P9X uplifts for the new UK tax year (0 when frozen)."""

    uplift_l = forms.IntegerField(label=_("Add to codes ending L"), min_value=0, max_value=9999,
                                  initial=0, required=False)
    uplift_m = forms.IntegerField(label=_("Add to codes ending M"), min_value=0, max_value=9999,
                                  initial=0, required=False)
    uplift_n = forms.IntegerField(label=_("Add to codes ending N"), min_value=0, max_value=9999,
                                  initial=0, required=False)
    confirm = forms.BooleanField(label=_("Lock this tax year: no run or correction can be paid "
                                         "in it afterwards"))

    def uplifts(self) -> dict[str, int]:
        return {suffix: self.cleaned_data.get(f"uplift_{suffix.lower()}") or 0
                for suffix in ("L", "M", "N")}


class FilingSettingsForm(forms.ModelForm):
    class Meta:
        model = FilingSettings
        fields = ["bso_user_id", "contact_name", "contact_phone", "contact_email",
                  "employer_city", "employer_state", "employer_zip"]
