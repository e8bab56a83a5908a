"""Plain inputs of the output builders (no Django)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class OutputError(ValueError):
    """The file cannot be made from these inputs (missing bank details, wrong currency...)."""


@dataclass(frozen=True, slots=True)
class Payee:
    """One credit in a payment file: an employee's net pay and where it goes."""

    employee_id: int
    employee_number: str
    name: str
    amount: Decimal
    holder_name: str = ""
    routing_number: str = ""
    account_number: str = ""
    account_type: str = "checking"  # NACHA: checking -> 22, savings -> 32
    iban: str = ""
    bic: str = ""
    sort_code: str = ""  # UK (BACS)
    reference: str = ""  # end-to-end id / individual id, e.g. the payslip number


@dataclass(frozen=True, slots=True)
class Originator:
    """The paying company and its bank: the schedule's payment details, else settings
    (payroll.services.payment_details.originator)."""

    company_name: str
    # NACHA
    company_id: str = ""  # 10 chars, usually "1" + EIN
    odfi_routing: str = ""  # the company's bank (9 digits)
    destination_routing: str = ""  # immediate destination, usually = ODFI or the Fed
    destination_name: str = ""
    origin_name: str = ""
    # ISO 20022
    iban: str = ""
    bic: str = ""
    # BACS Standard 18 (UK): service user number and the account the contra debits
    bacs_sun: str = ""
    bacs_sort_code: str = ""
    bacs_account_number: str = ""


@dataclass(frozen=True, slots=True)
class PaymentBatch:
    run_reference: str  # stable id of the run, e.g. "RUN-42"
    currency: str
    pay_date: date
    created_at: datetime  # the run's finalisation time: the same run gives the same file
    payees: tuple[Payee, ...]
    description: str = "PAYROLL"


@dataclass(frozen=True, slots=True)
class SlipLine:
    code: str
    description: str
    category: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SlipSummary:
    """One payslip as the register and the GL journal see it."""

    employee_number: str
    name: str
    department: str
    gross: Decimal
    total_pre_tax: Decimal
    total_employee_tax: Decimal
    total_post_tax: Decimal
    net: Decimal
    employer_cost: Decimal
    lines: tuple[SlipLine, ...] = field(default_factory=tuple)
    number: str = ""
    futa_wages: Decimal = Decimal("0")  # US: the part of the first 7,000 a year paid here
