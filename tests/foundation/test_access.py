"""employees.access: the one permissions module."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from employees.access import (
    Relation,
    Section,
    can_change,
    can_reveal_secrets,
    can_view,
    employee_get_for_viewer,
    employees_visible_to,
    relation,
)

pytestmark = pytest.mark.django_db


def test_hr_sees_and_changes_everyone(org, hr_staff):
    assert relation(hr_staff, org.intern) is Relation.HR
    assert can_view(hr_staff, org.intern, Section.COMPENSATION)
    assert can_change(hr_staff, org.intern, Section.EMPLOYMENT)
    assert set(employees_visible_to(hr_staff)) >= {org.boss, org.intern, org.peer}


def test_manager_sees_direct_and_indirect_reports_but_not_pay(org):
    manager = org.users["manager"]
    # direct and indirect
    assert relation(manager, org.report) is Relation.MANAGER
    assert relation(manager, org.intern) is Relation.MANAGER
    assert can_view(manager, org.intern, Section.EMPLOYMENT)
    # never pay, bank or national ID without a grant
    assert not can_view(manager, org.report, Section.COMPENSATION)
    assert not can_view(manager, org.report, Section.BANK)
    assert not can_view(manager, org.report, Section.NATIONAL_ID)
    assert not can_view(manager, org.report, Section.PAYSLIPS)
    assert not can_change(manager, org.report, Section.EMPLOYMENT)


def test_manager_grant_opens_team_pay(org):
    manager = org.users["manager"]
    manager.user_permissions.add(
        Permission.objects.get(codename="view_team_compensation")
    )
    manager = type(manager).objects.get(pk=manager.pk)  # fresh permission cache
    assert can_view(manager, org.report, Section.COMPENSATION)
    assert not can_view(manager, org.report, Section.BANK)
    assert not can_view(manager, org.report, Section.PAYSLIPS)


def test_manager_does_not_see_peers_or_own_boss(org):
    manager = org.users["manager"]
    assert relation(manager, org.peer) is Relation.NONE
    assert relation(manager, org.boss) is Relation.NONE
    assert set(employees_visible_to(manager)) == {org.manager, org.report, org.intern}


def test_employee_sees_self_only(org):
    me = org.users["employee"]
    assert relation(me, org.report) is Relation.SELF
    assert can_view(me, org.report, Section.PAYSLIPS)
    assert can_change(me, org.report, Section.PERSONAL)
    assert not can_change(me, org.report, Section.COMPENSATION)
    assert not can_change(me, org.report, Section.BANK)  # bank changes go through a request
    assert relation(org.users["other"], org.report) is Relation.NONE


def test_payroll_admin_sees_pay_but_cannot_edit_jobs(org, payroll_admin):
    assert can_view(payroll_admin, org.intern, Section.BANK)
    assert can_change(payroll_admin, org.intern, Section.COMPENSATION)
    assert not can_change(payroll_admin, org.intern, Section.EMPLOYMENT)
    assert not can_view(payroll_admin, org.intern, Section.DOCUMENTS)


def test_only_hr_admin_and_payroll_admin_reveal_secrets(org, hr_admin, hr_staff, payroll_admin):
    assert can_reveal_secrets(hr_admin)
    assert can_reveal_secrets(payroll_admin)
    assert not can_reveal_secrets(hr_staff)
    assert not can_reveal_secrets(org.users["manager"])


def test_gate_returns_404_for_strangers_and_403_for_forbidden_sections(org):
    other = org.users["other"]
    with pytest.raises(Http404):
        employee_get_for_viewer(other, org.report.pk)
    manager = org.users["manager"]
    assert employee_get_for_viewer(manager, org.report.pk) == org.report
    with pytest.raises(PermissionDenied):
        employee_get_for_viewer(manager, org.report.pk, section=Section.COMPENSATION)
    with pytest.raises(PermissionDenied):
        employee_get_for_viewer(manager, org.report.pk, section=Section.EMPLOYMENT,
                                for_write=True)


def test_inactive_user_sees_nothing(org):
    user = org.users["employee"]
    user.is_active = False
    assert relation(user, org.report) is Relation.NONE
