"""The schedule's US supplemental wages method (IRS Pub 15 section 7): shown on the schedule
page, changed there by a Payroll Admin only, audited, refused for a UK schedule."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from payroll.models import PaySchedule
from payroll.services.schedules import schedule_supplemental_method_set
from tests.factories.payroll_runs import USBiweeklyScheduleFactory
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def us_schedule(db):
    return USBiweeklyScheduleFactory(name="US biweekly (supplemental)")


def test_payroll_admin_changes_the_method_on_the_page_and_it_is_audited(
        client, us_schedule, payroll_admin):
    # given
    login(client, payroll_admin)
    page = client.get(reverse("payroll:schedule_detail", args=[us_schedule.pk])).content.decode()
    assert "Aggregate with regular wages" in page and 'id="supplemental-method"' in page
    # when
    response = client.post(reverse("payroll:schedule_supplemental_method", args=[us_schedule.pk]),
                           {"supplemental_method": "flat"}, follow=True)
    # then
    us_schedule.refresh_from_db()
    assert us_schedule.supplemental_method == "flat"
    assert "Optional flat rate (22%)" in response.content.decode()
    event = AuditEvent.objects.get(object_type="payroll.payschedule")
    assert event.changes == {"supplemental_method": ["aggregate", "flat"]}


def test_bad_choice_is_a_clear_message_and_changes_nothing(client, us_schedule, payroll_admin):
    # given
    login(client, payroll_admin)
    # when
    response = client.post(reverse("payroll:schedule_supplemental_method", args=[us_schedule.pk]),
                           {"supplemental_method": "37%"}, follow=True)
    # then
    assert "Choose how supplemental wages are withheld." in response.content.decode()
    assert PaySchedule.objects.get(pk=us_schedule.pk).supplemental_method == "aggregate"
    assert not AuditEvent.objects.filter(object_type="payroll.payschedule").exists()


def test_uk_schedule_has_no_supplemental_method(uk_schedule, payroll_admin, client):
    # when / then: the service refuses, the page offers no form
    with pytest.raises(ValidationError, match="US federal rule"):
        schedule_supplemental_method_set(schedule=uk_schedule, method="flat",
                                         acting_user=payroll_admin)
    login(client, payroll_admin)
    page = client.get(reverse("payroll:schedule_detail", args=[uk_schedule.pk])).content.decode()
    assert 'id="supplemental-method"' not in page and "US supplemental wages" not in page


def test_hr_sees_the_method_but_cannot_change_it(client, us_schedule, hr_admin):
    # given
    login(client, hr_admin)
    url = reverse("payroll:schedule_supplemental_method", args=[us_schedule.pk])
    # when / then
    assert client.post(url, {"supplemental_method": "flat"}).status_code == 403
    page = client.get(reverse("payroll:schedule_detail", args=[us_schedule.pk])).content.decode()
    assert "Aggregate with regular wages" in page and 'id="supplemental-method"' not in page
    assert PaySchedule.objects.get(pk=us_schedule.pk).supplemental_method == "aggregate"


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_managers_and_employees_do_not_see_the_page_exists(client, us_schedule, org, who):
    # given
    client.force_login(org.users[who])
    url = reverse("payroll:schedule_supplemental_method", args=[us_schedule.pk])
    # when / then
    assert client.post(url, {"supplemental_method": "flat"}).status_code == 404
    assert PaySchedule.objects.get(pk=us_schedule.pk).supplemental_method == "aggregate"


def test_admin_lists_the_method(client, us_schedule, django_user_model):
    # given a superuser
    admin = django_user_model.objects.create_superuser(email="root@example.test",
                                                       password="x-very-long-password-1")
    login(client, admin)
    # when
    page = client.get(reverse("admin:payroll_payschedule_changelist")).content.decode()
    # then
    assert "Aggregate with regular wages" in page
