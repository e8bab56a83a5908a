"""The employee record's part of a GDPR subject-access export (Art. 15), beyond what compliance's
export already writes (the employee row, employments, jobs, pay records).

Called by ``compliance.services.exports`` as ``employees.privacy.subject_access_data``. Bank
details are exported in full: a subject-access export gives the person their own data, and the
archive is produced for HR Admin only and audited (masking applies to screens, not to this).
Uploaded documents are copied into the archive under files/documents/ (``files``).
"""

from datetime import date, datetime

from django.forms.models import model_to_dict

from employees.models import BankAccount, BankChangeRequest, Document, EmergencyContact, Employee
from hrops.uploads import safe_file_name

BANK_FIELDS = ["holder_name", "country", "scheme", "account_type", "iban", "bic",
               "routing_number", "sort_code", "account_number"]


def _plain(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in row.items()}


def document_archive_name(document: Document) -> str:
    name = safe_file_name(document.original_name, default="document")
    return f"files/documents/{document.pk}-{name}"


def subject_access_data(employee: Employee) -> dict:
    user = employee.user
    documents = list(Document.objects.filter(employee=employee).order_by("uploaded_at", "pk"))
    return {
        "login": None if user is None else {
            "email": user.email, "active": user.is_active,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "bank_accounts": [
            _plain(model_to_dict(account, fields=BANK_FIELDS) | {
                "primary": account.is_primary, "active": account.is_active,
                "added": account.created_at})
            for account in BankAccount.objects.filter(employee=employee).order_by("created_at")
        ],
        "bank_change_requests": [
            _plain(model_to_dict(change, fields=BANK_FIELDS) | {
                "status": change.status, "requested": change.requested_at,
                "decided": change.decided_at, "reason": change.reason})
            for change in BankChangeRequest.objects.filter(employee=employee)
            .order_by("requested_at")
        ],
        "emergency_contacts": [
            model_to_dict(contact, fields=["name", "relationship", "phone", "email", "is_primary"])
            for contact in EmergencyContact.objects.filter(employee=employee)
        ],
        "documents": [
            {"title": d.title, "type": d.get_doc_type_display(), "file_name": d.original_name,
             "uploaded": d.uploaded_at.isoformat(), "size": d.size,
             "archive_file": document_archive_name(d)}
            for d in documents
        ],
        "files": [(document_archive_name(d), d.file.name) for d in documents],
    }
