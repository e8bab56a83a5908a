from employees.models import BankChangeRequest


def portal_cards(user, employee) -> list[dict]:
    """"My profile" on the portal home: contact details, emergency contacts, bank, documents."""
    pending = BankChangeRequest.objects.filter(
        employee=employee, status=BankChangeRequest.Status.PENDING).first()
    return [{
        "template": "employees/cards/my_profile.html",
        "employee": employee,
        "has_emergency_contact": employee.emergency_contacts.exists(),
        "pending_bank_change": pending,
    }]
