"""The optional parts of the hire form (issue 13 item 7): date of birth and home address,
national ID, a bank account, so nothing must be re-opened after the hire. Each is the profile's
own form (same validation), prefixed; blank parts are skipped. All are checked together with
the main form, so every error shows in one submit; the hire service saves them through the
profile's services in the hire's transaction (a bad IBAN leaves no half-hired person)."""

from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from employees.record_forms import BankAccountForm, NationalIdForm, PersonalForm
from lifecycle.services.flows import HireExtras

ADDRESS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")
BANK_TYPED = ("holder_name", "iban", "sort_code", "routing_number", "account_number")


class _Optional:
    """A form that counts as valid and empty when none of `typed` was filled in."""

    typed: tuple[str, ...] = ()

    def filled(self) -> bool:
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.typed)

    def full_clean(self) -> None:
        if self.is_bound and not self.filled():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def use_required_attribute_for(self):  # pragma: no cover - documentation only
        return False


class HirePersonalForm(_Optional, PersonalForm):
    typed = ("date_of_birth", *ADDRESS)

    class Meta(PersonalForm.Meta):
        fields = ["date_of_birth", *ADDRESS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"], self.fields["loaded"]


class HireNationalIdForm(_Optional, NationalIdForm):
    typed = ("national_id",)


class HireBankForm(_Optional, BankAccountForm):
    typed = BANK_TYPED


class HireExtraForms:
    def __init__(self, data=None, *, work_country: str = "") -> None:
        options = {"use_required_attribute": False}
        self.personal = HirePersonalForm(data, prefix="personal", **options)
        self.national_id = HireNationalIdForm(data, prefix="nid", **options)
        self.bank = HireBankForm(data, prefix="bank", initial={"country": work_country},
                                 **options)
        self.sections = [
            (_("Date of birth and home address"), self.personal),
            (_("National ID"), self.national_id),
            (_("Bank account for salary"), self.bank),
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for _title, form in self.sections])

    def extras(self) -> HireExtras:
        personal = {k: v for k, v in self.personal.cleaned_data.items() if v not in ("", None)}
        nid = self.national_id.cleaned_data
        return HireExtras(
            personal=personal,
            national_id=(nid["national_id_country"], nid["national_id"]) if nid else None,
            bank=self.bank.details() if self.bank.cleaned_data else None,
        )


