"""Plain inputs for the pure output builders."""

from datetime import UTC, date, datetime
from decimal import Decimal

from payroll.outputs.types import Originator, Payee, PaymentBatch, SlipLine, SlipSummary

US_ORIGINATOR = Originator(
    company_name="Acme Widgets Ltd", company_id="1123456789", odfi_routing="021000021",
    destination_routing="021000021", destination_name="JPMORGAN CHASE", origin_name="ACME",
)
EU_ORIGINATOR = Originator(
    company_name="Acme Widgets Ltd", iban="DE89370400440532013000", bic="COBADEFFXXX",
)


def us_payee(n: int, amount: str, routing: str = "011000015", kind: str = "checking") -> Payee:
    return Payee(
        employee_id=n, employee_number=f"E{n:04d}", name=f"Person {n}", amount=Decimal(amount),
        routing_number=routing, account_number=f"0000{n:06d}", account_type=kind,
        reference=f"PS-{n:08d}",
    )


def eu_payee(n: int, amount: str, iban: str = "FR1420041010050500013M02606",
             bic: str = "PSSTFRPPXXX") -> Payee:
    return Payee(
        employee_id=n, employee_number=f"E{n:04d}", name=f"Personne {n}", amount=Decimal(amount),
        iban=iban, bic=bic, reference=f"PS-{n:08d}",
    )


def batch(payees, currency: str = "USD") -> PaymentBatch:
    return PaymentBatch(
        run_reference="RUN-7", currency=currency, pay_date=date(2026, 11, 27),
        created_at=datetime(2026, 11, 25, 14, 30, tzinfo=UTC), payees=tuple(payees),
    )


def slip(number: str, department: str, *lines: tuple[str, str, str]) -> SlipSummary:
    """A payslip whose totals add up from its lines, like the engine's."""
    built = tuple(SlipLine(code, code.title(), cat, Decimal(amount)) for code, cat, amount in lines)

    def total(*cats: str) -> Decimal:
        return sum((x.amount for x in built if x.category in cats), Decimal("0.00"))

    gross = total("earning", "reimbursement")
    pre, tax, post = total("pre_tax_deduction"), total("employee_tax"), total("post_tax_deduction")
    return SlipSummary(
        employee_number=number, name=f"Name {number}", department=department, gross=gross,
        total_pre_tax=pre, total_employee_tax=tax, total_post_tax=post,
        net=gross - pre - tax - post,
        employer_cost=gross + total("employer_tax", "employer_contribution"),
        lines=built, number=f"PS-{number}",
    )
