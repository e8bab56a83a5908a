"""Users and roles page (HR Admin) and configurable access levels (issue 12 items 1 and 3)."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, user_roles
from accounts.services import user_set_roles
from audit.models import AuditEvent
from employees.access import Section, can_view
from employees.services.access_policy import access_policy_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def test_hr_admin_searches_users_and_sees_mfa_and_last_sign_in(client_for, hr_admin,
                                                               django_assert_max_num_queries):
    # given
    UserFactory(email="zed@example.test", full_name="Zed Zulu")
    UserFactory(email="amy@example.test", full_name="Amy Alpha")
    client = client_for(hr_admin)
    # when: session, user, (MFA check), users + TOTP flag, groups prefetch, nav, count
    with django_assert_max_num_queries(14):
        html = client.get(reverse("accounts:users"), {"q": "zulu"}).text
    # then
    assert "zed@example.test" in html and "amy@example.test" not in html
    assert "Not set up" in html and "Never" in html


@pytest.mark.parametrize("role", ["hr_staff", "payroll_admin"])
def test_users_page_is_for_hr_admin_only(request, role, client_for):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse("accounts:users")).status_code == 403


def test_invite_creates_user_with_roles_and_emails_a_set_password_link(
        client_for, hr_admin, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hr_admin).post(reverse("accounts:user_invite"), {
            "email": "New.Person@Example.test", "full_name": "New Person",
            "roles": [Role.PAYROLL_ADMIN, Role.EMPLOYEE]})
    # then
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert _roles(user) == {Role.PAYROLL_ADMIN, Role.EMPLOYEE}
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk),
                                     action="create").exists()


def test_invite_with_taken_email_is_a_form_error(client_for, hr_admin):
    UserFactory(email="taken@example.test")
    response = client_for(hr_admin).post(reverse("accounts:user_invite"), {
        "email": "taken@example.test", "full_name": "X", "roles": [Role.EMPLOYEE]})
    assert response.status_code == 400
    assert "already exists" in response.text


def test_role_change_is_audited_with_before_after_and_ip(client_for, hr_admin):
    # given
    target = UserFactory(email="t@example.test", roles=[Role.EMPLOYEE])
    # when
    client_for(hr_admin).post(reverse("accounts:user_roles", args=[target.pk]),
                              {"roles": [Role.HR_STAFF, Role.EMPLOYEE]},
                              REMOTE_ADDR="192.0.2.44")
    # then
    assert _roles(target) == {Role.HR_STAFF, Role.EMPLOYEE}
    event = AuditEvent.objects.filter(object_id=str(target.pk), action="update").latest("at")
    assert event.changes == {"roles": [[Role.EMPLOYEE], [Role.EMPLOYEE, Role.HR_STAFF]]}
    assert event.ip_address == "192.0.2.44" and event.actor == hr_admin


def test_nobody_changes_their_own_roles(client_for, hr_admin):
    # given
    before = _roles(hr_admin)
    # when: the HR Admin tries to drop their own roles (or add Payroll Admin)
    client_for(hr_admin).post(reverse("accounts:user_roles", args=[hr_admin.pk]),
                              {"roles": [Role.HR_ADMIN, Role.PAYROLL_ADMIN]})
    # then
    assert _roles(hr_admin) == before
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        user_set_roles(acting_user=hr_admin, user=hr_admin, roles=[Role.EMPLOYEE])


def test_deactivate_ends_sessions_and_reactivate_restores_sign_in(client_for, hr_admin,
                                                                  password):
    from django.test import Client

    # given: a signed-in employee
    target = UserFactory(email="leaver@example.test", roles=[Role.EMPLOYEE])
    theirs = Client()
    theirs.post(reverse("account_login"), {"login": target.email, "password": password})
    assert UserSession.objects.filter(user=target).exists()
    admin = client_for(hr_admin)
    # when
    admin.post(reverse("accounts:user_action", args=[target.pk, "deactivate"]))
    # then
    assert not User.objects.get(pk=target.pk).is_active
    assert theirs.get(reverse("portal:home")).status_code == 302
    # when
    admin.post(reverse("accounts:user_action", args=[target.pk, "reactivate"]))
    # then
    assert User.objects.get(pk=target.pk).is_active
    assert AuditEvent.objects.filter(object_id=str(target.pk),
                                     changes__is_active=[False, True]).exists()


def test_hr_admin_cannot_deactivate_themself(client_for, hr_admin):
    client_for(hr_admin).post(reverse("accounts:user_action", args=[hr_admin.pk,
                                                                     "deactivate"]))
    assert User.objects.get(pk=hr_admin.pk).is_active


def test_hr_staff_sees_no_payslips_or_tax_setup_without_the_payroll_viewer_grant(hr_staff,
                                                                                 org):
    # given / then: by default not
    assert not can_view(hr_staff, org.report, Section.PAYSLIPS)
    assert not can_view(hr_staff, org.report, Section.PAY_SETUP)
    assert can_view(hr_staff, org.report, Section.COMPENSATION)
    # when: granted Payroll Viewer
    hr_staff.groups.add(Group.objects.get(name=Role.PAYROLL_VIEWER))
    viewer = User.objects.get(pk=hr_staff.pk)
    # then
    assert Role.PAYROLL_VIEWER in user_roles(viewer)
    assert can_view(viewer, org.report, Section.PAYSLIPS)
    assert can_view(viewer, org.report, Section.PAY_SETUP)


def test_hr_staff_has_no_payroll_pages_by_default(client, hr_staff):
    client.force_login(hr_staff)
    assert client.get(reverse("payroll:run_list")).status_code == 404
    hr_staff.groups.add(Group.objects.get(name=Role.PAYROLL_VIEWER))
    assert client.get(reverse("payroll:run_list")).status_code == 200


def test_managers_see_team_pay_only_when_hr_admin_turns_it_on(client_for, hr_admin, org):
    manager = org.users["manager"]
    # given / then: off by default
    assert not can_view(manager, org.report, Section.COMPENSATION)
    # when: the HR Admin turns it on, on the access levels page
    response = client_for(hr_admin).post(reverse("employees:access_levels"),
                                         {"managers_see_team_pay": "on",
                                          "colleague_directory": "on"})
    # then
    assert response.status_code == 302
    fresh = User.objects.get(pk=manager.pk)
    assert can_view(fresh, org.report, Section.COMPENSATION)
    assert not can_view(fresh, org.peer, Section.COMPENSATION)  # only their own reports
    assert not can_view(fresh, org.report, Section.BANK)
    event = AuditEvent.objects.get(object_type="employees.accesspolicy")
    assert event.changes == {"managers_see_team_pay": [False, True]}


def test_access_levels_are_hr_admin_only(client_for, hr_staff, payroll_admin):
    from django.core.exceptions import PermissionDenied

    for user in (hr_staff, payroll_admin):
        assert client_for(user).post(reverse("employees:access_levels"),
                                     {"managers_see_team_pay": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        access_policy_update(acting_user=hr_staff, managers_see_team_pay=True)
