"""Demo data for everyday HR (issue 13): generated profile photos and a custom-field section
with values, seeded through the services, idempotently."""

import pytest

from accounts.demo import DemoContext
from accounts.roles import Role
from customfields import demo as customfields_demo
from customfields.models import CustomField, CustomFieldValue
from employees import demo_photos
from employees.models import ProfilePhoto
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_photos_and_custom_fields_are_seeded_once(settings, tmp_path):
    # given an HR Admin demo login (with an employee record of their own) and a few people
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    admin = UserFactory(email=demo_photos.HR_ADMIN, roles=[Role.HR_ADMIN, Role.EMPLOYEE])
    own = EmployeeFactory(user=admin)
    people = [EmployeeFactory() for _ in range(3)]
    ctx = DemoContext(users={admin.email: admin})
    # when seeded twice
    for _ in range(2):
        demo_photos.seed(ctx)
        customfields_demo.seed(ctx)
    # then photos exist (real JPEGs from the photo service), the section has its three fields,
    # and everyone but HR's own record has values, once
    assert ProfilePhoto.objects.count() == 4
    assert ProfilePhoto.objects.first().image.read(3) == b"\xff\xd8\xff"
    assert set(CustomField.objects.values_list("section", flat=True)) == {customfields_demo.SECTION}
    assert CustomField.objects.count() == 3
    valued = set(CustomFieldValue.objects.values_list("employee_id", flat=True))
    assert valued == {p.pk for p in people}
    assert own.pk not in valued
