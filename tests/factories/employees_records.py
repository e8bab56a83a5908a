import factory

from employees.models import BankAccount, BankScheme, EmergencyContact
from tests.factories.employees import EmployeeFactory

# Valid test numbers: an ECBS example IBAN, the Federal Reserve's test routing number.
GB_IBAN = "GB82WEST12345698765432"
US_ROUTING = "111000025"


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    employee = factory.SubFactory(EmployeeFactory)
    holder_name = factory.LazyAttribute(lambda o: o.employee.legal_name)
    country = "GB"
    scheme = BankScheme.IBAN
    iban = GB_IBAN
    bic = "NWBKGB2L"
    last4 = "5432"
    is_primary = True
    is_active = True


class UsBankAccountFactory(BankAccountFactory):
    country = "US"
    scheme = BankScheme.US_ACH
    iban = ""
    bic = ""
    routing_number = US_ROUTING
    account_number = "000123456789"
    last4 = "6789"


class EmergencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyContact

    employee = factory.SubFactory(EmployeeFactory)
    name = factory.Faker("name")
    relationship = "Partner"
    phone = "+44 7700 900123"
    is_primary = True
