"""Every records view against every relation: HR Admin, HR Staff, Payroll Admin, manager of,
manager not of, the employee themself and another employee."""

import pytest
from django.urls import reverse

from employees.services.bank import national_id_set
from tests.factories.employees_records import BankAccountFactory

pytestmark = pytest.mark.django_db

ROLES = ["hr_admin", "hr_staff", "payroll_admin", "manager_of", "manager_not_of", "self",
         "other_employee"]

# (url name, method, expected status per role in ROLES order)
MATRIX = [
    ("employees:personal", "get", [200, 200, 200, 403, 404, 200, 404]),
    ("employees:bank", "get", [200, 200, 200, 403, 404, 200, 404]),
    ("employees:documents", "get", [200, 200, 403, 403, 404, 200, 404]),
    ("employees:history", "get", [200, 200, 403, 403, 404, 403, 404]),
    ("employees:reveal_national_id", "post", [200, 403, 200, 403, 404, 403, 404]),
    ("employees:bank_account_add", "get", [200, 403, 200, 403, 404, 403, 404]),
    ("employees:bank_request_create", "get", [403, 403, 403, 403, 404, 200, 404]),
    ("employees:contact_add", "get", [200, 200, 403, 403, 404, 200, 404]),
]


@pytest.mark.parametrize(("url_name", "method", "expected"), MATRIX,
                         ids=[m[0].split(":")[1] for m in MATRIX])
def test_records_view_permissions(viewers, client_for, url_name, method, expected):
    for role, status in zip(ROLES, expected, strict=True):
        user, target = viewers[role]
        if url_name == "employees:reveal_national_id":
            national_id_set(acting_user=None, employee=target, country="GB", value="AB123456C")
        response = getattr(client_for(user), method)(reverse(url_name, args=[target.pk]))
        assert response.status_code == status, (role, response.status_code)


def test_account_reveal_permissions(viewers, client_for):
    expected = [200, 403, 200, 403, 404, 403, 404]
    accounts = {}
    for role, status in zip(ROLES, expected, strict=True):
        user, target = viewers[role]
        account = accounts.get(target.pk) or BankAccountFactory(employee=target)
        accounts[target.pk] = account
        url = reverse("employees:reveal_account", args=[target.pk, account.pk])
        assert client_for(user).post(url).status_code == status, role


def test_bank_request_queue_only_hr_admin_and_payroll(viewers, client_for):
    expected = [200, 403, 200, 403, 403, 403, 403]
    for role, status in zip(ROLES, expected, strict=True):
        user, _ = viewers[role]
        assert client_for(user).get(reverse("employees:bank_requests")).status_code == status


def test_my_profile_redirects_to_own_personal_tab(org, client_for):
    response = client_for(org.users["employee"]).get(reverse("employees:my_profile"))
    assert response.url == reverse("employees:personal", args=[org.report.pk])
