"""The Django admin records unpaid leave through the same services: checks, audit, source."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from payroll.models import UnpaidLeave
from tests.factories import UserFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_admin_adds_changes_and_deletes_through_the_services(client, org):
    admin = UserFactory(is_superuser=True, is_staff=True)
    enrol_totp(admin)
    client.force_login(admin)
    add = reverse("admin:payroll_unpaidleave_add")
    # when a range is added, then an overlapping one
    ok = client.post(add, {"employee": org.report.pk, "first_day": "2025-05-06",
                           "last_day": "2025-05-08", "reason": "Sabbatical"})
    assert ok.status_code == 302
    clash = client.post(add, {"employee": org.report.pk, "first_day": "2025-05-08",
                              "last_day": "2025-05-09"})
    # then the first is saved and audited from the admin, the second explained on the form
    assert clash.status_code == 200 and b"overlaps unpaid leave" in clash.content
    leave = UnpaidLeave.objects.get()
    assert leave.created_by == admin
    change = reverse("admin:payroll_unpaidleave_change", args=[leave.pk])
    assert client.post(change, {"first_day": "2025-05-06", "last_day": "2025-05-09",
                                "reason": "Sabbatical"}).status_code == 302
    leave.refresh_from_db()
    assert leave.last_day == date(2025, 5, 9)
    delete = reverse("admin:payroll_unpaidleave_delete", args=[leave.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    events = AuditEvent.objects.filter(object_type="payroll.unpaidleave").order_by("id")
    assert [(e.action, e.source) for e in events] == [
        ("create", "admin"), ("update", "admin"), ("delete", "admin")]
    assert client.get(reverse("admin:payroll_unpaidleave_changelist")).status_code == 200
