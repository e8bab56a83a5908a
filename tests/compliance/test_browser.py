"""In a real browser: an employee reads a policy in the portal and acknowledges it."""

import pytest

from compliance.models import Acknowledgement
from compliance.services.policies import policy_create, policy_version_publish
from tests.browser import login


@pytest.mark.browser
def test_employee_reads_and_acknowledges_policy(page, org, hr_staff, password):
    # given a published policy for everyone
    policy = policy_create(acting_user=hr_staff, title="Code of Conduct")
    version = policy_version_publish(acting_user=hr_staff, policy=policy, label="2026.1",
                                     body="Treat everyone with respect.")
    # when the employee opens it from their compliance page and acknowledges
    login(page, "employee@example.test", password)
    page.goto("/compliance/my/")
    page.click("text=Code of Conduct (v2026.1)")
    assert page.is_visible("text=Treat everyone with respect.")
    page.click("text=I have read and understood this policy")
    page.wait_for_load_state("networkidle")
    # then it is recorded with the version's hash and shown as done
    assert page.is_visible("text=your acknowledgement is recorded")
    ack = Acknowledgement.objects.get(employee=org.report)
    assert ack.version_hash == version.content_hash
