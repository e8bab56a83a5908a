"""Demo data for the sensitive-data half of the employee record: national IDs, bank accounts
(valid GB IBANs, valid US routing numbers), emergency contacts, personal details, a pending bank
change request and a few audited edits for the History tab. Deterministic and idempotent:
each employee gets its own seeded random source and is skipped where data already exists.

Called by the seed_demo command after employees.demo.seed(ctx)."""

from datetime import date
from random import Random

from django.core.exceptions import ValidationError
from stdnum import iban as stdnum_iban

from accounts.demo import DemoContext
from audit.context import audit_context
from employees.models import BankChangeRequest, EmergencyContact, Employee
from employees.services.bank import bank_account_add, bank_change_request_create, national_id_set
from employees.services.personal import emergency_contact_save, employee_update_personal
from employees.validation import validate_national_id

# Real banks' identifiers (public), with made-up account numbers.
GB_BANKS = [("NWBK", "NWBKGB2L", "60"), ("BARC", "BARCGB22", "20"), ("LOYD", "LOYDGB2L", "30"),
            ("HBUK", "HBUKGB4B", "40"), ("MIDL", "MIDLGB22", "40")]
US_ROUTING = ["021000021", "026009593", "121000248", "071000013", "322271627", "063100277"]
NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
RELATIONS = ["Partner", "Spouse", "Parent", "Sibling", "Friend", "Son", "Daughter"]
CONTACT_FIRST = ["Alex", "Sam", "Jordan", "Chris", "Pat", "Robin", "Jamie", "Morgan", "Kim"]
STREETS = ["High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road",
           "Mill Lane", "Maple Street", "Oak Avenue", "Elm Street"]
GB_PLACES = [("London", "Greater London", "SE1 7PB"), ("Manchester", "Greater Manchester",
             "M1 3HU"), ("Edinburgh", "City of Edinburgh", "EH1 1YZ")]
US_PLACES = [("New York", "NY", "10001"), ("Austin", "TX", "78701"), ("Brooklyn", "NY", "11201")]
HR_ADMIN_EMAIL = "hr.admin@demo.hrops.test"
REQUESTER_EMAIL = "employee@demo.hrops.test"


def _national_id(country: str, rng: Random) -> str:
    while True:
        if country == "US":
            value = f"{rng.randint(1, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        else:
            value = (rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)
                     + f"{rng.randint(0, 999999):06d}" + rng.choice("ABCD"))
        try:
            return validate_national_id(country, value)
        except ValidationError:  # an unallocatable combination: draw again
            continue


def _gb_iban(rng: Random) -> tuple[str, str]:
    bank, bic, sort_prefix = rng.choice(GB_BANKS)
    bban = f"{bank}{sort_prefix}{rng.randint(0, 9999):04d}{rng.randint(0, 99999999):08d}"
    return f"GB{stdnum_iban.calc_check_digits('GB00' + bban)}{bban}", bic


def _bank_details(employee: Employee, rng: Random) -> dict:
    common = {"holder_name": employee.legal_name, "account_type": "checking"}
    if employee.work_country == "US":
        return {**common, "country": "US", "scheme": "us_ach",
                "routing_number": rng.choice(US_ROUTING),
                "account_number": str(rng.randint(10**9, 10**12 - 1)),
                "account_type": rng.choice(["checking", "checking", "savings"])}
    iban, bic = _gb_iban(rng)
    return {**common, "country": "GB", "scheme": "iban", "iban": iban, "bic": bic}


def _personal(employee: Employee, rng: Random) -> dict:
    city, region, postcode = rng.choice(US_PLACES if employee.work_country == "US" else GB_PLACES)
    phone = (f"+1 212 555 {rng.randint(100, 199):04d}" if employee.work_country == "US"
             else f"+44 7700 900{rng.randint(0, 999):03d}")
    first = employee.legal_first_name.lower()
    return {
        "date_of_birth": date(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        "personal_email": f"{first}.{employee.legal_last_name.lower()}@mail.example.com",
        "phone": phone,
        "address_line1": f"{rng.randint(1, 220)} {rng.choice(STREETS)}",
        "city": city, "region": region, "postal_code": postcode,
        "country": employee.work_country,
    }


def _seed_employee(employee: Employee, hr_admin, has_bank: bool, has_contact: bool) -> None:
    # One random source per aspect, so skipping one (already seeded) never shifts the others.
    def rng_for(aspect: str) -> Random:
        return Random(f"hrops-records-{employee.employee_number}-{aspect}")

    if not employee.personal_email and not employee.phone:
        employee_update_personal(acting_user=None, employee=employee,
                                 data=_personal(employee, rng_for("personal")),
                                 version=employee.version)
        employee.refresh_from_db()
    rng = rng_for("national_id")
    if not employee.national_id_last4 and rng.random() < 0.95:
        national_id_set(acting_user=None, employee=employee, country=employee.work_country
                        if employee.work_country in {"US", "GB"} else "GB",
                        value=_national_id(employee.work_country, rng))
    rng = rng_for("bank")
    if not has_bank and rng.random() < 0.92:
        bank_account_add(acting_user=None, employee=employee,
                         details=_bank_details(employee, rng), notify=False)
        if rng.random() < 0.08 and employee.user_id != getattr(hr_admin, "pk", None):
            # A few people changed bank once: HR's edit shows on their History tab (never
            # HR's own: nobody changes their own bank details).
            bank_account_add(acting_user=hr_admin, employee=employee,
                             details=_bank_details(employee, rng), notify=False)
    rng = rng_for("contacts")
    if not has_contact:
        for index in range(rng.choice([1, 1, 2])):
            emergency_contact_save(acting_user=None, employee=employee, data={
                "name": f"{rng.choice(CONTACT_FIRST)} {employee.legal_last_name}",
                "relationship": rng.choice(RELATIONS),
                "phone": f"+44 7700 900{rng.randint(0, 999):03d}",
                "email": "", "is_primary": index == 0})


def seed(ctx: DemoContext) -> None:
    hr_admin = ctx.users.get(HR_ADMIN_EMAIL)
    # An anonymised record (retention purge) never gets demo data again.
    employees = Employee.objects.filter(anonymised_at__isnull=True).order_by("employee_number")
    with_bank = set(employees.filter(bank_accounts__isnull=False).values_list("id", flat=True))
    with_contact = set(EmergencyContact.objects.values_list("employee_id", flat=True))
    with audit_context(source="system"):
        for employee in employees:
            _seed_employee(employee, hr_admin, employee.pk in with_bank,
                           employee.pk in with_contact)
        requester = Employee.objects.filter(user__email=REQUESTER_EMAIL).first()
        if requester and not BankChangeRequest.objects.filter(employee=requester).exists():
            rng = Random("hrops-records-request")
            bank_change_request_create(
                acting_user=requester.user, employee=requester,
                details=_bank_details(requester, rng), notify=False)
