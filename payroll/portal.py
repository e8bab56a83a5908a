"""Portal home card: the employee's latest payslip and a link to all of them."""

from payroll.selectors_payslips import payslips_issued_to


def portal_cards(user, employee) -> list[dict]:
    return [{"template": "payroll/cards/payslips.html",
             "latest": payslips_issued_to(employee.pk).first()}]
