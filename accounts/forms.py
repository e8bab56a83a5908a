from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

ROLE_CHOICES = [(r.value, r.value) for r in Role]


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=ROLE_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple)


class InviteForm(RolesForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    field_order = ["email", "full_name", "roles"]
