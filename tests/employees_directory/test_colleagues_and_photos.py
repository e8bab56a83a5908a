"""Issue 13 item 10: the colleague directory (work fields only, on by default, switchable on
Access levels), the org chart following the same rule, org chart search, and profile photos
(validated, re-encoded, permission-checked)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEvent
from employees.models import AccessPolicy, Employee, ProfilePhoto
from employees.services.access_policy import access_policy_update
from employees.services.photos import PHOTO_SIZE
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"employees:{name}", args=args)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}


def _png(width=400, height=300, colour=(200, 30, 30), exif=False) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), colour)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        image.save(out, format="JPEG", exif=data.tobytes())
        return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")
    image.save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def _directory_off(hr_admin):
    access_policy_update(acting_user=hr_admin, managers_see_team_pay=False,
                         colleague_directory=False)


# Colleague directory -------------------------------------------------------------------------

def test_employee_sees_colleagues_work_fields_only_by_default(org, login):
    # given: the peer, a plain employee; the manager has a personal email and a phone
    org.manager.personal_email = "private.home@example.test"
    org.manager.phone = "+44 7700 900999"
    org.manager.save()
    # when
    response = login(org.users["other"]).get(url("colleagues"))
    # then: everyone current is listed, with work fields and nothing personal
    assert response.status_code == 200
    body = response.content.decode()
    assert {p.pk for p in response.context["page"].object_list} == {
        org.boss.pk, org.manager.pk, org.report.pk, org.intern.pk, org.peer.pk}
    assert org.manager.work_email in body
    assert "private.home@example.test" not in body and "900999" not in body
    assert org.manager.employee_number not in body


def test_colleague_search_does_not_match_personal_email(org, login):
    org.intern.personal_email = "secret-hobby@example.test"
    org.intern.save()
    client = login(org.users["other"])
    found = client.get(url("colleagues"), {"q": "secret-hobby"}).context["page"]
    assert list(found.object_list) == []
    by_name = client.get(url("colleagues"), {"q": org.intern.legal_last_name}).context["page"]
    assert org.intern in list(by_name.object_list)


def test_leavers_are_not_colleagues(org, login):
    gone = EmployeeFactory(manager=org.boss, status=Employee.Status.TERMINATED)
    client = login(org.users["other"])
    assert gone not in list(client.get(url("colleagues")).context["page"].object_list)
    assert client.get(url("colleague", gone.pk)).status_code == 404


def test_employee_opens_their_managers_card(org, login):
    # given: the report's manager is org.manager (not a profile the report may open)
    response = login(org.users["employee"]).get(url("colleague", org.manager.pk))
    # then
    assert response.status_code == 200
    assert org.manager.work_email in response.content.decode()
    assert login(org.users["employee"]).get(url("profile", org.manager.pk)).status_code == 404


def test_hr_admin_switches_the_colleague_directory_off(org, hr_admin, login):
    # when
    _directory_off(hr_admin)
    # then: audited with before/after
    event = AuditEvent.objects.filter(object_type="employees.accesspolicy").latest("id")
    assert event.changes["colleague_directory"] == [True, False]
    client = login(org.users["other"])
    assert client.get(url("colleagues")).status_code == 403
    # the peer's own place on the chart: themself, the boss, the boss's reports
    assert client.get(url("colleague", org.boss.pk)).status_code == 200
    assert client.get(url("colleague", org.manager.pk)).status_code == 200
    assert client.get(url("colleague", org.intern.pk)).status_code == 404
    # and the org chart follows the same rule
    assert client.get(url("org_chart_for", org.intern.pk)).status_code == 404
    assert client.get(url("org_children", org.manager.pk)).status_code == 404


def test_org_chart_is_open_to_employees_while_the_directory_is_on(org, login):
    client = login(org.users["other"])
    assert client.get(url("org_chart_for", org.intern.pk)).status_code == 200
    assert client.get(url("org_children", org.manager.pk)).status_code == 200


def test_access_levels_form_saves_the_switch(org, hr_admin, login):
    client = login(hr_admin)
    response = client.post(url("access_levels"), {"colleague_directory": ""})
    assert response.status_code == 302
    assert AccessPolicy.objects.get(pk=1).colleague_directory is False
    client.post(url("access_levels"), {"colleague_directory": "on"})
    assert AccessPolicy.objects.get(pk=1).colleague_directory is True


def test_the_directory_switch_is_hr_admins(org, hr_staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        access_policy_update(acting_user=hr_staff, managers_see_team_pay=False,
                             colleague_directory=False)


def test_colleague_directory_query_count_does_not_grow_with_headcount(
        org, login, django_assert_num_queries):
    client = login(org.users["other"])
    client.get(url("colleagues"))  # warm the session

    def queries_for_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("colleagues")).status_code == 200
        return len(ctx.captured_queries)

    small = queries_for_page()
    for _ in range(60):  # past one page of 50
        EmployeeFactory(manager=org.boss)
    # session, user, groups, employee record, access policy, count, page rows (+ nav checks)
    assert queries_for_page() == small


def test_anonymous_and_recordless_users_have_no_colleague_directory(org, login, client):
    from tests.factories import UserFactory

    assert client.get(url("colleagues")).status_code == 302
    assert login(UserFactory()).get(url("colleagues")).status_code == 403


# Org chart search ----------------------------------------------------------------------------

def test_org_chart_search_finds_people_and_answers_htmx_with_a_fragment(org, login):
    client = login(org.users["other"])
    response = client.get(url("org_chart"), {"q": org.intern.legal_last_name},
                          headers={"HX-Request": "true", "HX-Target": "org-results"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert org.intern in response.context["results"]
    assert url("org_chart_for", org.intern.pk) in body


def test_org_chart_search_stays_within_the_viewers_scope(org, hr_admin, login):
    _directory_off(hr_admin)
    # A surname nobody in the viewer's own chain can share (factory names are random).
    Employee.objects.filter(pk=org.intern.pk).update(legal_last_name="Quillfeather")
    org.intern.refresh_from_db()
    client = login(org.users["other"])
    results = client.get(url("org_chart"), {"q": org.intern.legal_last_name}).context["results"]
    assert results == []


def test_org_chart_boxes_show_initials_and_report_counts(org, login):
    body = login(org.users["other"]).get(url("org_chart_for", org.boss.pk)).content.decode()
    assert 'class="org-card' in body and org.boss.initials in body
    assert f'hx-get="{url("org_children", org.manager.pk)}"' in body
    assert 'hx-trigger="toggle once"' in body


def test_org_children_query_count_does_not_grow_with_headcount(
        org, hr_admin, login, django_assert_max_num_queries):
    for _ in range(40):
        reportee = EmployeeFactory(manager=org.boss)
        EmployeeFactory(manager=reportee)
    client = login(hr_admin)
    # session, user, groups, employee record of the viewer, the person, reports with counts
    # and photos (one query), + session bookkeeping
    with django_assert_max_num_queries(9):
        response = client.get(url("org_children", org.boss.pk))
    assert len(response.context["reports"]) == 42


# Photos --------------------------------------------------------------------------------------

def test_employee_uploads_their_photo_resized_and_stripped(org, login):
    # given
    client = login(org.users["other"])
    # when
    response = client.post(url("photo_change", org.peer.pk), {"photo": _png(exif=True)})
    # then: a square JPEG of PHOTO_SIZE px without the upload's metadata, audited
    assert response.status_code == 302
    photo = ProfilePhoto.objects.get(employee=org.peer)
    with default_storage.open(photo.image.name) as fh, Image.open(fh) as stored:
        assert stored.format == "JPEG" and stored.size == (PHOTO_SIZE, PHOTO_SIZE)
        assert not stored.getexif()
    event = AuditEvent.objects.filter(object_type="employees.profilephoto").latest("id")
    assert event.employee_id == org.peer.pk and event.changes["photo"][0] is None


def test_replacing_a_photo_deletes_the_old_file(org, hr_admin, login,
                                                django_capture_on_commit_callbacks):
    client = login(hr_admin)
    client.post(url("photo_change", org.peer.pk), {"photo": _png()})
    first = ProfilePhoto.objects.get(employee=org.peer).image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("photo_change", org.peer.pk), {"photo": _png(colour=(0, 0, 200))})
    second = ProfilePhoto.objects.get(employee=org.peer).image.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png"),
     "not a photo"),
    (None, "too small"),
])
def test_bad_photos_are_refused(org, login, upload, message):
    upload = upload or _png(width=10, height=10)
    client = login(org.users["other"])
    response = client.post(url("photo_change", org.peer.pk), {"photo": upload}, follow=True)
    assert message in response.content.decode()
    assert not ProfilePhoto.objects.filter(employee=org.peer).exists()


def test_who_may_change_a_photo(org, hr_staff, login):
    # a colleague (404: they may not see the record), a manager (403: see, not change)
    assert login(org.users["other"]).post(
        url("photo_change", org.report.pk), {"photo": _png()}).status_code == 404
    assert login(org.users["manager"]).post(
        url("photo_change", org.report.pk), {"photo": _png()}).status_code == 403
    # HR changes anyone's
    assert login(hr_staff).post(
        url("photo_change", org.report.pk), {"photo": _png()}).status_code == 302
    assert ProfilePhoto.objects.filter(employee=org.report).exists()


def test_photo_is_served_only_to_who_may_see_the_person(org, hr_admin, login):
    login(org.users["employee"]).post(url("photo_change", org.report.pk), {"photo": _png()})
    # a colleague sees it while the directory is on
    response = login(org.users["other"]).get(url("photo", org.report.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # and not once it is off (the report is not on the peer's own place on the chart)
    _directory_off(hr_admin)
    assert login(org.users["other"]).get(url("photo", org.report.pk)).status_code == 404
    assert login(org.users["manager"]).get(url("photo", org.report.pk)).status_code == 200


def test_photo_shows_on_the_chart_and_can_be_removed(org, login):
    client = login(org.users["other"])
    client.post(url("photo_change", org.peer.pk), {"photo": _png()})
    body = client.get(url("org_chart_for", org.boss.pk)).content.decode()
    assert url("photo", org.peer.pk) in body
    assert client.post(url("photo_delete", org.peer.pk)).status_code == 302
    assert not ProfilePhoto.objects.filter(employee=org.peer).exists()
    assert client.get(url("photo", org.peer.pk)).status_code == 404
