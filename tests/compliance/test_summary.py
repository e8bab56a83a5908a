"""The stored compliance summary (compliance.models.ComplianceSummary) that the dashboard and
the HR home card read: whenever a page uses it, it equals the figures counted live from the
stored statuses; any change takes it out of use until it is built again."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import ComplianceSummary, ComplianceSummaryChange
from compliance.selectors_stored import dashboard, live_figures, summary_current
from compliance.services.records import RecordData, record_add, requirement_rule_save
from compliance.services.summary import (
    compliance_figures,
    compliance_summary_build,
    compliance_summary_changed,
    compliance_summary_refresh,
)
from compliance.tasks import compliance_status_roll_task, compliance_summary_build_task
from employees.models import Employee
from employees.services.core import employee_terminate
from tests.compliance.test_status_table import OPS, World
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementTypeFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def _world_with_record(hr_admin):
    rtype = RequirementTypeFactory()
    requirement_rule_save(acting_user=hr_admin, data={"requirement_type": rtype,
                                                       "scope": "everyone"})
    people = EmployeeFactory.create_batch(3)
    today = timezone.localdate()
    record_add(acting_user=hr_admin, employee=people[0], requirement_type=rtype, verify=True,
               data=RecordData(completed_on=today, expires_on=today + timedelta(days=20)))
    return rtype, people


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(st.tuples(st.integers(0, 2), OPS), min_size=1, max_size=12))
def test_the_figures_a_page_gets_always_equal_a_live_count(hr_admin, ops):
    with transaction.atomic():
        # given a company, and any sequence of changes through the services, with pages
        # (which build the summary when it is out of use) looked at in between, and leavers
        world = World(hr_admin)
        today = timezone.localdate()
        for look, op in ops:
            world.apply(op)
            if look == 1:
                compliance_figures(today)
            elif look == 2 and op[1] == 0:
                employee_terminate(acting_user=hr_admin, employee=world.people[0])
            # then what a page gets is what a live count gives
            assert compliance_figures(today) == live_figures(today)
            # and it came from the summary (a page right after another uses the stored row)
            assert summary_current(today) is not None
        transaction.set_rollback(True)


def test_a_change_takes_the_summary_out_of_use_until_it_is_built(hr_admin):
    # given a built summary
    rtype, people = _world_with_record(hr_admin)
    today = timezone.localdate()
    compliance_summary_build()
    assert summary_current(today) is not None
    # when a record is added (the stored statuses change)
    record_add(acting_user=hr_admin, employee=people[1], requirement_type=rtype, verify=True,
               data=RecordData(completed_on=today, expires_on=today + timedelta(days=200)))
    # then the summary is out of use: the page counts again, and finds the new record
    assert summary_current(today) is None
    assert status_of(compliance_figures(today), rtype.pk) == {"compliant": 1,
                                                              "expiring_soon": 1, "missing": 1}
    assert summary_current(today) is not None  # that page stored it for the next


def status_of(data: dict, type_id: int) -> dict[str, int]:
    return {status: n for t, status, n in data["cells"] if t == type_id}


def test_a_change_committed_while_building_keeps_the_summary_out_of_use(hr_admin):
    # given a change waiting, and a build that starts counting
    _world_with_record(hr_admin)
    today = timezone.localdate()
    real_count = live_figures

    def count_while_a_change_commits(day):
        figures = real_count(day)
        compliance_summary_changed()  # another transaction's change, after the build's read
        return figures

    # when a change commits after the build has read which changes it includes
    with mock.patch("compliance.services.summary.live_figures", count_while_a_change_commits):
        compliance_summary_build()
    # then that change's row survives the build, and the summary stays out of use
    assert ComplianceSummaryChange.objects.count() == 1
    assert summary_current(today) is None
    compliance_summary_build()
    assert summary_current(today) is not None


def test_a_leaver_or_a_hire_takes_the_summary_out_of_use(hr_admin):
    # given a built summary with three people in scope
    _rtype, people = _world_with_record(hr_admin)
    today = timezone.localdate()
    compliance_summary_build()
    # when one leaves by a bulk UPDATE that runs no compliance code (updated_at unchanged)
    Employee.objects.filter(pk=people[2].pk).update(status=Employee.Status.TERMINATED)
    # then the summary is out of use, and the page counts two people
    assert summary_current(today) is None
    assert sum(n for _d, n, _c in compliance_figures(today)["departments"]) == 2
    # and a hire (a new row) does the same
    EmployeeFactory()
    assert summary_current(today) is None
    assert sum(n for _d, n, _c in compliance_figures(today)["departments"]) == 3


def test_the_summary_is_rebuilt_for_a_new_day(hr_admin):
    # given a summary built yesterday
    _world_with_record(hr_admin)
    today = timezone.localdate()
    compliance_summary_build(today=today - timedelta(days=1))
    assert summary_current(today) is None
    # when the daily roll runs, the summary is built for today even with no status changed
    compliance_status_roll_task()
    assert summary_current(today) is not None


def test_the_background_build_runs_once_for_a_burst_of_changes(hr_admin):
    # given changes waiting
    _world_with_record(hr_admin)
    # when the build task runs twice (two changes published two)
    assert compliance_summary_build_task() is True
    # then the second finds the summary current and does nothing
    assert compliance_summary_build_task() is False
    assert compliance_summary_refresh() is False


def test_a_broker_outage_never_fails_the_change(hr_admin, django_capture_on_commit_callbacks):
    # given a broker that refuses every message
    rtype = RequirementTypeFactory()
    # when a change commits
    with mock.patch("compliance.tasks.compliance_summary_build_task.delay",
                    side_effect=ConnectionError("broker down")), \
            django_capture_on_commit_callbacks(execute=True):
        requirement_rule_save(acting_user=hr_admin, data={"requirement_type": rtype,
                                                           "scope": "everyone"})
    # then the change is kept and the next page builds the summary itself
    assert ComplianceSummaryChange.objects.exists()
    assert compliance_figures(timezone.localdate()) == live_figures(timezone.localdate())
    assert ComplianceSummary.objects.count() == 1


def test_a_published_build_runs_after_commit(hr_admin, django_capture_on_commit_callbacks):
    rtype = RequirementTypeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        requirement_rule_save(acting_user=hr_admin, data={"requirement_type": rtype,
                                                           "scope": "everyone"})
    # tasks run eagerly without a broker (settings): the summary is current already
    assert summary_current(timezone.localdate()) is not None


def test_dashboard_and_home_read_the_summary(client, hr_admin, django_assert_max_num_queries):
    # given a built summary
    _world_with_record(hr_admin)
    compliance_summary_build()
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    client.get(reverse("compliance:requirements"))  # per-session caches
    expected = dashboard()
    # when the dashboard is opened, then it shows the live figures from the stored row
    response = client.get(reverse("compliance:dashboard"))
    assert response.context["data"] == expected
    # and the HR home's card reads it too (session, user, groups, MFA, other cards' counts;
    # the summary row and the fingerprint)
    assert b"Compliance" in client.get(reverse("home")).content
    with mock.patch("compliance.services.summary.live_figures") as counted:
        client.get(reverse("home"))
        client.get(reverse("compliance:dashboard"))
    counted.assert_not_called()


def test_the_matrix_counts_from_the_summary_what_sql_counts(client, hr_admin):
    # given two requirements, four people (one a leaver) with mixed statuses, a built summary
    from compliance.selectors import employees_in_scope
    from compliance.selectors_stored import employees_with_status, matrix_count

    rtype, people = _world_with_record(hr_admin)
    other = RequirementTypeFactory()
    requirement_rule_save(acting_user=hr_admin, data={"requirement_type": other,
                                                       "scope": "everyone"})
    today = timezone.localdate()
    record_add(acting_user=hr_admin, employee=people[1], requirement_type=other, verify=False,
               data=RecordData(completed_on=today, expires_on=today + timedelta(days=300)))
    employee_terminate(acting_user=hr_admin, employee=EmployeeFactory())
    data = compliance_figures(today)
    # then for every requirement/status filter the stored count is the SQL count
    for type_id in (None, rtype.pk, other.pk):
        for status in ("", "compliant", "expiring_soon", "missing", "pending_verification",
                       "expired"):
            qs = employees_in_scope()
            if status or type_id:
                qs = employees_with_status(qs, status=status,
                                           type_ids=None if type_id is None else [type_id])
            assert matrix_count(data, status=status, type_id=type_id) == qs.count(), (
                type_id, status)
    # and the page shows it (3 people missing something, 1 pending)
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    page = client.get(reverse("compliance:matrix"), {"status": "missing"}).context["page"]
    assert page.paginator.count == 3 and len(page.object_list) == 3
