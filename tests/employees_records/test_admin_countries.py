"""The Django admin refuses a work country that is no ISO 3166 code, and says what to use."""

import pytest
from django.urls import reverse

from employees.models import Employee
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "message"), [("UK", "use GB"), ("ZZ", "not an ISO 3166")])
def test_admin_refuses_a_country_that_is_not_iso_3166(org, client_for, typed, message):
    # given a superuser on the employee's admin page
    client = client_for(UserFactory(email="root@example.test", is_superuser=True,
                                    is_staff=True))
    url = reverse("admin:employees_employee_change", args=[org.report.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"work_country": typed, "employments-TOTAL_FORMS": "1",
                 "employments-INITIAL_FORMS": "1", "employments-MIN_NUM_FORMS": "0",
                 "employments-MAX_NUM_FORMS": "1000",
                 "employments-0-id": str(org.report.employments.get().pk),
                 "employments-0-employee": str(org.report.pk)})
    # when it is saved with that country
    response = client.post(url, data)
    # then it is a form error naming the fix, and nothing changed
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["work_country"])
    assert Employee.objects.get(pk=org.report.pk).work_country == org.report.work_country
