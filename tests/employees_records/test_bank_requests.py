import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import BankAccount, BankChangeRequest
from employees.selectors import bank_details_for_payment
from employees.services.bank import bank_change_request_approve, bank_change_request_create
from tests.factories.employees import EmployeeFactory
from tests.factories.employees_records import GB_IBAN, BankAccountFactory

NEW = {"holder_name": "Jo Report", "scheme": "uk", "country": "GB", "account_type": "checking",
       "sort_code": "20-00-00", "account_number": "55779911"}


@pytest.fixture
def report_with_account(org):
    org.report.personal_email = "jo@home.example"
    org.report.save()
    return BankAccountFactory(employee=org.report)


@pytest.mark.django_db
def test_request_approve_flow_with_emails(org, report_with_account, hr_admin, client_for,
                                          mailoutbox, django_capture_on_commit_callbacks):
    me = client_for(org.users["employee"])
    # when the employee asks for a new account
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(reverse("employees:bank_request_create", args=[org.report.pk]), NEW)
    assert response.status_code == 302
    change = BankChangeRequest.objects.get(employee=org.report)
    assert change.status == "pending" and change.last4 == "9911"
    # then nothing changes yet, and they are emailed at work and at home
    assert bank_details_for_payment([org.report.pk])[org.report.pk].iban == GB_IBAN
    assert set(mailoutbox[0].to) == {org.report.work_email, "jo@home.example"}
    assert "received a request" in mailoutbox[0].subject
    assert "55779911" not in mailoutbox[0].body
    assert "waiting for HR" in me.get(reverse("employees:bank", args=[org.report.pk])).text
    # when HR approves in the queue
    with django_capture_on_commit_callbacks(execute=True):
        client_for(hr_admin).post(reverse("employees:bank_request_decide",
                                          args=[change.pk, "approve"]))
    # then the new account is the primary one, the old one is kept but not primary
    details = bank_details_for_payment([org.report.pk])[org.report.pk]
    assert (details.sort_code, details.account_number) == ("200000", "55779911")
    report_with_account.refresh_from_db()
    assert report_with_account.is_active and not report_with_account.is_primary
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == hr_admin
    assert change.resulting_account.is_primary
    assert "approved" in mailoutbox[-1].subject and len(mailoutbox) == 2
    create = AuditEvent.objects.get(object_type="employees.bankchangerequest", action="create")
    assert create.source == "portal" and create.changes["account_number"][1] == "••••9911"


@pytest.mark.django_db
def test_reject_needs_reason_and_tells_employee(org, report_with_account, payroll_admin,
                                                client_for, mailoutbox,
                                                django_capture_on_commit_callbacks):
    change = bank_change_request_create(acting_user=org.users["employee"], employee=org.report,
                                        details=NEW, notify=False)
    client = client_for(payroll_admin)
    url = reverse("employees:bank_request_decide", args=[change.pk, "reject"])
    client.post(url, {"reason": ""})
    change.refresh_from_db()
    assert change.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Holder name does not match"})
    change.refresh_from_db()
    assert change.status == "rejected" and change.reason == "Holder name does not match"
    assert "rejected" in mailoutbox[0].subject
    assert "Holder name does not match" in mailoutbox[0].body
    assert BankAccount.objects.filter(employee=org.report).count() == 1


@pytest.mark.django_db
def test_one_pending_request_at_a_time_and_cancel(org, client_for):
    me = client_for(org.users["employee"])
    url = reverse("employees:bank_request_create", args=[org.report.pk])
    me.post(url, NEW)
    response = me.post(url, {**NEW, "account_number": "11112222"})
    assert response.status_code == 400
    assert "already have a bank change waiting" in response.text
    change = BankChangeRequest.objects.get()
    me.post(reverse("employees:bank_request_cancel", args=[org.report.pk, change.pk]))
    change.refresh_from_db()
    assert change.status == "cancelled"
    assert me.post(url, {**NEW, "account_number": "11112222"}).status_code == 302


@pytest.mark.django_db
def test_bad_details_in_request_are_form_errors(org, client_for):
    response = client_for(org.users["employee"]).post(
        reverse("employees:bank_request_create", args=[org.report.pk]),
        {**NEW, "sort_code": "12"})
    assert response.status_code == 400
    assert "sort code" in response.text
    assert not BankChangeRequest.objects.exists()


@pytest.mark.django_db
def test_decided_request_cannot_be_decided_again(org, hr_admin, payroll_admin):
    change = bank_change_request_create(acting_user=None, employee=org.report, details=NEW,
                                        notify=False)
    bank_change_request_approve(acting_user=hr_admin, change=change)
    with pytest.raises(ValidationError, match="already Approved"):
        bank_change_request_approve(acting_user=payroll_admin, change=change)
    assert BankAccount.objects.filter(employee=org.report).count() == 1


@pytest.mark.django_db
def test_nobody_approves_their_own_bank_change(hr_admin):
    me = EmployeeFactory(user=hr_admin)
    change = bank_change_request_create(acting_user=hr_admin, employee=me, details=NEW,
                                        notify=False)
    with pytest.raises(ValidationError, match="your own"):
        bank_change_request_approve(acting_user=hr_admin, change=change)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_create_exactly_one_account(hr_admin, payroll_admin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given one pending request and two approvers clicking at the same moment
    employee = EmployeeFactory()
    change = bank_change_request_create(acting_user=None, employee=employee, details=NEW,
                                        notify=False)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user) -> None:
        barrier.wait()
        try:
            bank_change_request_approve(acting_user=user, change=change)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (hr_admin, payroll_admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one wins, the other is told it was already decided; one account, one primary
    assert sorted(outcomes) == ["approved", "refused"]
    assert BankAccount.objects.filter(employee=employee).count() == 1
