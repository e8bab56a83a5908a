"""EEO-1 Component 1 counts and voluntary self-identification (HR Admin only, audited without
the answers, never to managers or on the profile)."""

from datetime import date

import pytest

from accounts.roles import Role
from analytics.eeo1 import NO_CATEGORY, NOT_IDENTIFIED, eeo1_report, eeo_category_set
from analytics.models import SelfIdentification
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 10, 15)


@pytest.fixture
def us_company(db, hr_admin):
    dept = DepartmentFactory()
    us, gb = LocationFactory(country="US", city="Austin"), LocationFactory(country="GB")
    engineer, seller, other = JobTitleFactory(), JobTitleFactory(), JobTitleFactory()
    eeo_category_set(acting_user=hr_admin, job_title=engineer, category="2")
    eeo_category_set(acting_user=hr_admin, job_title=seller, category="4")
    answers = [(engineer, "male", "asian"), (engineer, "female", "asian"),
               (engineer, "female", "white"), (engineer, "declined", "white"),
               (seller, "male", "hispanic"), (seller, None, None), (other, "female", "black")]
    people = []
    for title, sex, race in answers:
        e = person(hire=date(2024, 1, 8), department=dept, location=us, title=title,
                   today=AS_OF)
        if sex:
            SelfIdentification.objects.create(employee=e, sex=sex, race_ethnicity=race)
        people.append(e)
    gb_person = person(hire=date(2024, 1, 8), department=dept, location=gb, title=engineer,
                       today=AS_OF)
    SelfIdentification.objects.create(employee=gb_person, sex="male", race_ethnicity="white")
    person(hire=date(2024, 1, 8), department=dept, location=us, title=engineer,
           end=date(2025, 9, 30), reason="resignation", today=AS_OF)
    return people


def test_component_1_counts(us_company):
    report = eeo1_report(AS_OF)
    assert report.total == 7  # US, employed on the day: the GB person and the leaver are out
    assert dict(report.counts) == {
        ("2", "asian", "male"): 1, ("2", "asian", "female"): 1, ("2", "white", "female"): 1,
        ("2", NOT_IDENTIFIED, ""): 1, ("4", "hispanic", "male"): 1, ("4", NOT_IDENTIFIED, ""): 1,
        (NO_CATEGORY, "black", "female"): 1}
    rows = report.rows()
    assert rows[-1][0] == "Total" and rows[-1][-1] == 7
    professionals = next(r for r in rows if r[0] == "Professionals")
    assert professionals[-2:] == [1, 4]


def test_employee_answers_in_the_portal_audited_without_values(client):
    # given
    user = UserFactory(roles=[Role.EMPLOYEE])
    me = person(hire=date(2024, 1, 8), department=DepartmentFactory(),
                location=LocationFactory(country="US"), title=JobTitleFactory())
    me.user, me.work_country = user, "US"
    me.save(update_fields=["user", "work_country"])
    client.force_login(user)
    assert b"Voluntary self-identification" in client.get("/portal/").content
    # when
    client.post("/analytics/self-identification/", {"sex": "female",
                                                    "race_ethnicity": "declined"})
    # then
    record = SelfIdentification.objects.get(employee=me)
    assert (record.sex, record.race_ethnicity) == ("female", "declined")
    event = AuditEvent.objects.get(object_type="analytics.selfidentification")
    assert event.employee_id == me.pk
    assert "female" not in str(event.changes) and "declined" not in str(event.changes)
    assert client.get("/analytics/eeo1/").status_code == 403


def test_never_to_managers_hr_staff_or_on_the_profile(us_company, client, org, hr_staff,
                                                      hr_admin):
    SelfIdentification.objects.create(employee=org.report, sex="female", race_ethnicity="asian")
    client.force_login(org.users["manager"])
    assert client.get("/analytics/eeo1/").status_code == 403
    profile = client.get(f"/employees/{org.report.pk}/")
    assert profile.status_code == 200 and b"Asian" not in profile.content
    enrol_totp(hr_staff)
    client.force_login(hr_staff)
    assert client.get("/analytics/eeo1/").status_code == 403
    assert b"Asian" not in client.get(f"/employees/{org.report.pk}/").content
    assert b"Asian" not in client.get("/employees/", {"q": org.report.legal_last_name}).content
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    csv = client.get("/analytics/eeo1/", {"as_of": "2025-10-15", "format": "csv"})
    assert csv.content.decode("utf-8-sig").splitlines()[-1].endswith(",7")
