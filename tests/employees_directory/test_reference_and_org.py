import pytest
from django.urls import reverse

from accounts.navigation import navigation_for
from audit.models import AuditEvent
from employees.models import Department, Employee, JobTitle, Location
from tests.factories import DepartmentFactory, EmployeeFactory, JobTitleFactory, LocationFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"employees:{name}", args=args)


@pytest.mark.parametrize("kind", ["departments", "locations", "job-titles"])
def test_hr_lists_reference_data(kind, hr_staff, login):
    DepartmentFactory(), LocationFactory(), JobTitleFactory()
    assert login(hr_staff).get(url("reference_list", kind)).status_code == 200


@pytest.mark.parametrize("who", ["manager", "employee", "other"])
def test_non_hr_cannot_manage_reference_data(who, org, login):
    client = login(org.users[who])
    dept = org.report.department
    assert client.get(url("reference_list", "departments")).status_code == 403
    assert client.post(url("reference_create", "departments"),
                       {"name": "X", "code": "X"}).status_code == 403
    assert client.post(url("reference_delete", "departments", dept.pk)).status_code == 403


def test_payroll_cannot_manage_reference_data(payroll_admin, login):
    assert login(payroll_admin).get(url("reference_list", "locations")).status_code == 403


def test_create_department_is_validated_and_audited(hr_admin, login):
    client = login(hr_admin)
    DepartmentFactory(name="Sales", code="SAL")
    clash = client.post(url("reference_create", "departments"), {"name": " sales ", "code": "sal"})
    assert clash.status_code == 400
    assert set(clash.context["form"].errors) == {"name", "code"}
    ok = client.post(url("reference_create", "departments"),
                     {"name": "Research", "code": "rnd"})
    assert ok.status_code == 302
    dept = Department.objects.get(name="Research")
    assert dept.code == "RND"
    assert AuditEvent.objects.filter(object_type="employees.department", action="create",
                                     object_id=str(dept.pk)).exists()


def test_department_cannot_sit_under_itself(hr_admin, login):
    top = DepartmentFactory()
    child = DepartmentFactory(parent=top)
    response = login(hr_admin).post(url("reference_edit", "departments", top.pk),
                                    {"name": top.name, "code": top.code, "parent": child.pk})
    assert response.status_code == 400 and "parent" in response.context["form"].errors


def test_location_country_and_timezone_are_validated(hr_admin, login):
    response = login(hr_admin).post(url("reference_create", "locations"), {
        "name": "Mars base", "city": "", "country": "Mars", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert {"country", "timezone"} <= set(response.context["form"].errors)
    ok = login(hr_admin).post(url("reference_create", "locations"), {
        "name": "Paris", "city": "Paris", "country": "fr", "timezone": "Europe/Paris"})
    assert ok.status_code == 302 and Location.objects.get(name="Paris").country == "FR"


@pytest.mark.parametrize("kind, factory, field", [
    ("departments", DepartmentFactory, "department"),
    ("locations", LocationFactory, "location"),
    ("job-titles", JobTitleFactory, "job_title"),
])
def test_cannot_delete_reference_data_in_use(kind, factory, field, hr_admin, login):
    # given one in use and one unused
    used, unused = factory(), factory()
    EmployeeFactory(**{field: used})
    client = login(hr_admin)
    # when
    refused = client.post(url("reference_delete", kind, used.pk), follow=True)
    client.post(url("reference_delete", kind, unused.pk))
    # then
    model = type(used)
    assert model.objects.filter(pk=used.pk).exists()
    assert not model.objects.filter(pk=unused.pk).exists()
    assert "is in use by 1 current employee(s), 1 job history record(s)" in \
        refused.content.decode()


def test_job_title_in_history_only_is_still_protected(hr_admin, login):
    from django.utils import timezone

    from employees.services.changes import job_change
    from tests.factories.employees_directory import job_like

    old = JobTitleFactory()
    person = EmployeeFactory(job_title=old)
    job_change(acting_user=hr_admin, employee=person, effective_date=timezone.localdate(),
               job=job_like(person, job_title=JobTitleFactory()), reason="promotion")
    login(hr_admin).post(url("reference_delete", "job-titles", old.pk))
    assert JobTitle.objects.filter(pk=old.pk).exists()


# Org chart -----------------------------------------------------------------------------------

def test_org_chart_shows_chain_up_and_reports_down(org, login):
    response = login(org.users["manager"]).get(url("org_chart"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["chain"]] == [org.boss.pk]
    assert [p.pk for p in response.context["reports"]] == [org.report.pk]
    body = response.content.decode()
    assert 'class="org-chart"' in body
    # the report has a report of their own: loaded on demand
    assert url("org_children", org.report.pk) in body


def test_org_children_partial(org, login):
    response = login(org.users["manager"]).get(url("org_children", org.report.pk),
                                               headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert org.intern.display_name in body


def test_org_chart_links_only_profiles_the_viewer_may_open(org, login):
    # the peer sees the boss's chart (names and titles) but may open only their own profile
    response = login(org.users["other"]).get(url("org_chart_for", org.boss.pk))
    assert response.context["linkable"] == {org.peer.pk}
    assert url("profile", org.manager.pk) not in response.content.decode()


def test_org_chart_top_level_for_people_without_a_record(hr_admin, org, login):
    response = login(hr_admin).get(url("org_chart"))
    assert [p.pk for p in response.context["roots"]] == [org.boss.pk]


def test_org_chart_query_count_is_constant(hr_admin, org, login, django_assert_max_num_queries):
    for _ in range(30):
        EmployeeFactory(manager=org.boss)
    client = login(hr_admin)
    # session, user, groups, person, chain (1 level), reports with report counts,
    # + savepoint/session update/release (session tracking)
    with django_assert_max_num_queries(9):
        response = client.get(url("org_chart_for", org.manager.pk))
    assert response.status_code == 200


def test_leavers_are_not_on_the_org_chart(hr_admin, org, login):
    gone = EmployeeFactory(manager=org.boss, status=Employee.Status.TERMINATED)
    response = login(hr_admin).get(url("org_chart_for", org.boss.pk))
    assert gone.pk not in {p.pk for p in response.context["reports"]}
    assert login(hr_admin).get(url("org_chart_for", gone.pk)).status_code == 404


def test_org_chart_needs_an_employee_record_or_staff_role(login):
    from tests.factories import UserFactory

    assert login(UserFactory()).get(url("org_chart")).status_code == 403


# Navigation and home ---------------------------------------------------------------------

def _labels(rf, user):
    request = rf.get("/")
    request.user = user
    return [str(i.label) for i in navigation_for(request)]


def test_navigation_by_role(rf, hr_admin, org):
    assert {"People", "Org chart", "Import"} <= set(_labels(rf, hr_admin))
    manager = _labels(rf, org.users["manager"])
    assert "People" in manager and "Org chart" in manager and "Import" not in manager
    other = _labels(rf, org.users["other"])
    assert "People" not in other and "Org chart" in other and "Colleagues" in other


def test_home_shows_starting_soon(hr_admin, login):
    from datetime import timedelta

    from django.utils import timezone

    EmployeeFactory(status=Employee.Status.PRE_HIRE, legal_last_name="Newstart",
                    hire_date=timezone.localdate() + timedelta(days=3))
    body = login(hr_admin).get(reverse("home")).content.decode()
    assert "Starting soon" in body and "Newstart" in body
