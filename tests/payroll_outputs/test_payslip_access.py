"""Who sees whose payslips: self (also after leaving), HR and Payroll anyone's, managers never."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from payroll.models import Payslip
from payroll.services.payslips import payslip_render
from tests.factories import UserFactory
from tests.factories.payroll_outputs import add_bank, finalised_run


@pytest.fixture
def report_payslip(org, hr_admin):
    """A finalised, rendered payslip of org.report (managed by org.manager, then org.boss)."""
    add_bank(org.report, hr_admin)
    run = finalised_run([org.report])
    payslip = run.payslips.get()
    payslip_render(payslip.pk)
    payslip.refresh_from_db()
    return payslip


def _viewer(who, org, hr_admin, hr_staff, payroll_admin):
    return {
        "self": org.users["employee"], "hr_admin": hr_admin, "hr_staff": hr_staff,
        "payroll_admin": payroll_admin, "manager_of": org.users["manager"],
        "skip_manager_of": org.users["boss"], "manager_not_of": org.users["intern"],
        "other_employee": org.users["other"],
    }[who]


# (viewer, profile tab status, download status)
MATRIX = [
    ("self", 200, 200),
    ("hr_admin", 200, 200),
    ("hr_staff", 403, 403),  # no payslips without the Payroll Viewer grant (issue 12)
    ("payroll_admin", 200, 200),
    ("manager_of", 403, 403),
    ("skip_manager_of", 403, 403),
    ("manager_not_of", 404, 404),  # the intern manages nobody above them
    ("other_employee", 404, 404),
]


@pytest.mark.parametrize(("who", "tab_status", "download_status"), MATRIX)
def test_payslip_permission_matrix(
    who, tab_status, download_status, org, hr_admin, hr_staff, payroll_admin, report_payslip,
    login,
):
    client = login(_viewer(who, org, hr_admin, hr_staff, payroll_admin))
    tab = client.get(reverse("payroll:employee_payslips", args=[org.report.pk]))
    assert tab.status_code == tab_status
    download = client.get(reverse("payroll:payslip_download", args=[report_payslip.pk]))
    assert download.status_code == download_status
    if download_status == 200:
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_download_is_audited(org, report_payslip, login):
    client = login(org.users["employee"])
    client.get(reverse("payroll:payslip_download", args=[report_payslip.pk]))
    event = AuditEvent.objects.get(action="download", object_id=str(report_payslip.pk))
    assert event.actor == org.users["employee"] and event.employee_id == org.report.pk


def test_my_payslips_lists_only_my_finalised_payslips(org, report_payslip, login, hr_admin):
    # given a draft run for me and a finalised one for someone else
    finalised_run([org.report], finalise=False)
    finalised_run([org.peer])
    client = login(org.users["employee"])
    # when
    response = client.get(reverse("payroll:my_payslips"))
    # then
    assert response.status_code == 200
    assert list(response.context["years"][0][1]) == [report_payslip]
    assert report_payslip.display_number.encode() in response.content


def test_former_employee_with_an_active_login_still_sees_their_payslips(
    org, report_payslip, login
):
    # given the employee has left, but their login was kept open
    org.report.status = "terminated"
    org.report.save(update_fields=["status"])
    client = login(org.users["employee"])
    assert client.get(reverse("payroll:my_payslips")).status_code == 200
    response = client.get(reverse("payroll:payslip_download", args=[report_payslip.pk]))
    assert response.status_code == 200


def test_a_disabled_login_sees_nothing(org, report_payslip, client):
    user = org.users["employee"]
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("payroll:payslip_download", args=[report_payslip.pk]))
    assert response.status_code in (302, 404)


def test_not_ready_or_draft_payslips_cannot_be_downloaded(org, login, hr_admin):
    add_bank(org.report, hr_admin)
    pending = finalised_run([org.report]).payslips.get()  # finalised, PDF still pending
    draft = finalised_run([org.report], finalise=False).payslips.get()
    client = login(org.users["employee"])
    for payslip in (pending, draft):
        assert client.get(reverse("payroll:payslip_download", args=[payslip.pk])).status_code \
            == 404


def test_portal_card_shows_the_latest_payslip(org, report_payslip, login):
    client = login(org.users["employee"])
    response = client.get(reverse("portal:home"))
    assert reverse("payroll:payslip_download", args=[report_payslip.pk]).encode() \
        in response.content


def test_profile_tab_lists_payslips_with_few_queries(
    org, hr_admin, login, django_assert_max_num_queries
):
    for _ in range(5):
        finalised_run([org.report])
    client = login(hr_admin)
    # session, user, roles, employee, profile tabs' access checks, payslips (one join), audit
    # context, allauth MFA check: a fixed number whatever the count of payslips
    with django_assert_max_num_queries(14):
        response = client.get(reverse("payroll:employee_payslips", args=[org.report.pk]))
    assert response.status_code == 200
    assert Payslip.objects.filter(employee=org.report).count() == 5


def test_run_delivery_page_and_retry_are_payroll_admin_only(
    org, report_payslip, login, hr_admin, django_capture_on_commit_callbacks
):
    url = reverse("payroll:run_delivery", args=[report_payslip.run_id])
    assert login(hr_admin).get(url).status_code == 403
    assert login(org.users["employee"]).get(url).status_code == 403
    payroll = UserFactory(email="pay3@example.test", roles=[Role.PAYROLL_ADMIN])
    client = login(payroll)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["progress"]["counts"]["ready"] == 1
    # a retry is a POST; GET is refused
    retry = reverse("payroll:payslip_retry", args=[report_payslip.pk])
    assert client.get(retry).status_code == 405
    Payslip.objects.filter(pk=report_payslip.pk).update(pdf_status="failed", pdf_error="boom")
    assert b"boom" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302
    assert Payslip.objects.get(pk=report_payslip.pk).pdf_status == "ready"
