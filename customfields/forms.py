from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customfields.models import CustomField


class CustomFieldForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice field: one choice a line."))

    class Meta:
        model = CustomField
        fields = ["section", "label", "key", "kind", "required", "manager_sees", "manager_edits",
                  "employee_sees", "employee_edits", "position", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])

    def clean(self):
        data = super().clean()
        data["choices"] = [c.strip() for c in (data.get("choices_text") or "").splitlines()
                           if c.strip()]
        self.instance.choices = data["choices"]  # the model's clean() checks them
        return data

    def add_error(self, field, error) -> None:
        # The model's errors about "choices" belong to the text box that holds them.
        if isinstance(error, ValidationError) and hasattr(error, "error_dict") \
                and "choices" in error.error_dict:
            error.error_dict["choices_text"] = error.error_dict.pop("choices")
        super().add_error(field, error)


_WIDGETS = {
    CustomField.Kind.DATE: lambda: forms.DateInput(attrs={"type": "date"}),
    CustomField.Kind.NUMBER: lambda: forms.TextInput(attrs={"inputmode": "decimal"}),
}


def values_form_class(shown) -> type[forms.Form]:
    """A form with one field per editable custom field (validated by the service)."""
    attrs = {}
    for item in shown:
        field = item.field
        if field.kind == CustomField.Kind.CHOICE:
            attrs[field.column] = forms.ChoiceField(
                label=field.label, required=field.required,
                choices=[("", "—"), *((c, c) for c in field.choices)])
        elif field.kind == CustomField.Kind.YES_NO:
            attrs[field.column] = forms.ChoiceField(
                label=field.label, required=field.required,
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))])
        else:
            widget = _WIDGETS.get(field.kind, forms.TextInput)()
            attrs[field.column] = forms.CharField(label=field.label, required=field.required,
                                                  max_length=500, widget=widget)
    return type("CustomValuesForm", (forms.Form,), attrs)
