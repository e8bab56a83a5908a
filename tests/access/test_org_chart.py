"""The org chart follows the colleague directory's rule (issues 12 and 13): while HR Admin has
the colleague directory off, an employee sees their own place on it, not the chart around
anyone; HR, payroll and managers browse it all."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_employee_cannot_browse_the_chart_around_someone_else(client, org, hr_admin):
    # given: the peer, a plain employee, with the colleague directory switched off
    from employees.services.access_policy import access_policy_update

    access_policy_update(acting_user=hr_admin, managers_see_team_pay=False,
                         colleague_directory=False)
    client.force_login(org.users["other"])
    # when / then: their own chart and their manager's open; anyone else's does not
    assert client.get(reverse("employees:org_chart")).status_code == 200
    assert client.get(reverse("employees:org_chart_for", args=[org.boss.pk])).status_code == 200
    assert client.get(reverse("employees:org_chart_for",
                              args=[org.intern.pk])).status_code == 404
    assert client.get(reverse("employees:org_children",
                              args=[org.manager.pk])).status_code == 404


def test_manager_and_hr_browse_the_whole_chart(client, org, hr_staff):
    for user in (org.users["manager"], hr_staff):
        client.force_login(user)
        assert client.get(reverse("employees:org_chart_for",
                                  args=[org.peer.pk])).status_code == 200
        assert client.get(reverse("employees:org_children",
                                  args=[org.report.pk])).status_code == 200
