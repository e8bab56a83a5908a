"""Messages that say what happened (issue 13 item 6), not "Record added." or "Declined."."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementRuleFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_adding_a_compliance_record_says_what_was_recorded_for_whom(client, hr_admin):
    # given
    rtype = RequirementRuleFactory(requirement_type__name="Forklift licence").requirement_type
    person = EmployeeFactory(legal_first_name="Mo", legal_last_name="Driver", preferred_name="")
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    # when
    response = client.post(reverse("compliance:record_add", args=[person.pk]), {
        "rec-requirement_type": rtype.pk, "rec-completed_on": timezone.localdate().isoformat()})
    # then
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Forklift licence recorded for Mo Driver."]
