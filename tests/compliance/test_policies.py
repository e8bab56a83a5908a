"""Policies: versions, read-before-acknowledge (server-side), re-acknowledge on a new version,
nudges at most once a day."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance.models import Acknowledgement, PolicyOpen
from compliance.selectors import policy_acknowledgement_status, status_matrix
from compliance.services.policies import (
    policy_acknowledge,
    policy_create,
    policy_nudge,
    policy_open,
    policy_version_publish,
)
from compliance.status import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(hr_admin):
    policy = policy_create(acting_user=hr_admin, title="Code of Conduct")
    policy_version_publish(acting_user=hr_admin, policy=policy, label="1", body="Be kind.")
    return policy


def _cell(employee, policy):
    return status_matrix([employee])[0].cells[policy.requirement_type.pk]


def test_acknowledge_requires_opening_first(org, policy):
    version = policy.versions.get()
    user = org.users["employee"]
    with pytest.raises(ValidationError):
        policy_acknowledge(acting_user=user, employee=org.report, version=version)
    policy_open(employee=org.report, version=version)
    ack = policy_acknowledge(acting_user=user, employee=org.report, version=version)
    assert ack.version_hash == version.content_hash
    assert _cell(org.report, policy).status is Status.COMPLIANT


def test_new_version_asks_again(org, policy, hr_admin):
    v1 = policy.versions.get()
    policy_open(employee=org.report, version=v1)
    policy_acknowledge(acting_user=org.users["employee"], employee=org.report, version=v1)
    # when a new version is published
    v2 = policy_version_publish(acting_user=hr_admin, policy=policy, label="2",
                                body="Be kind. Be on time.")
    # then the person must acknowledge again, and the old version cannot be acknowledged
    assert v2.number == 2 and v2.content_hash != v1.content_hash
    assert _cell(org.report, policy).status is Status.MISSING
    policy_open(employee=org.peer, version=v1)
    with pytest.raises(ValidationError):
        policy_acknowledge(acting_user=org.users["other"], employee=org.peer, version=v1)
    status = policy_acknowledgement_status(policy)
    assert status["version"] == v2 and status["done"] == 0 and status["total"] == 5


def test_portal_acknowledge_view_refuses_crafted_post_without_read(client, org, policy):
    version = policy.versions.get()
    client.force_login(org.users["employee"])
    url = reverse("compliance:my_policy_acknowledge", args=[version.pk])
    # a crafted POST without opening the policy is refused
    client.post(url)
    assert not Acknowledgement.objects.exists()
    # opening the page records the read; then acknowledging works
    page = client.get(reverse("compliance:my_policy", args=[version.pk]))
    assert page.status_code == 200 and b"Be kind." in page.content
    assert PolicyOpen.objects.filter(employee=org.report, version=version).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(employee=org.report, version=version).exists()


def test_policy_out_of_scope_is_404(client, org, hr_admin):
    from employees.models import Department

    dept = Department.objects.create(name="Elsewhere", code="ELSE")
    policy = policy_create(acting_user=hr_admin, title="Warehouse safety",
                           rule_data={"scope": "department", "department": dept})
    version = policy_version_publish(acting_user=hr_admin, policy=policy, label="1", body="x")
    client.force_login(org.users["employee"])
    assert client.get(reverse("compliance:my_policy", args=[version.pk])).status_code == 404


def test_nudge_at_most_once_a_day(org, policy, hr_admin):
    version = policy.versions.get()
    people = [org.report, org.peer]
    policy_open(employee=org.peer, version=version)
    policy_acknowledge(acting_user=org.users["other"], employee=org.peer, version=version)
    assert policy_nudge(acting_user=hr_admin, version=version, employees=people) == 1
    assert policy_nudge(acting_user=hr_admin, version=version, employees=people) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [org.report.work_email]


def test_hr_policy_pages_and_export(client, login, hr_admin, org, policy):
    login(hr_admin)
    page = client.get(reverse("compliance:policy", args=[policy.pk]))
    assert page.status_code == 200
    csv = client.get(reverse("compliance:policy", args=[policy.pk]) + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").count("\n") == 6  # header + 5 people
    response = client.post(reverse("compliance:policy_nudge", args=[policy.pk]))
    assert response.status_code == 302 and len(mail.outbox) == 5
    for user in (org.users["employee"], org.users["manager"]):
        client.force_login(user)
        assert client.get(reverse("compliance:policy", args=[policy.pk])).status_code == 403


def test_publish_without_text_or_file_is_refused(client, login, hr_admin, policy):
    login(hr_admin)
    response = client.post(reverse("compliance:policy_publish", args=[policy.pk]),
                           {"label": "2", "body": "  "})
    assert response.status_code == 400
    assert policy.versions.count() == 1
