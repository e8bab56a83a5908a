"""Year-end pages: own documents in the portal, others' only for HR Admin and Payroll Admin (404
for everyone else, like the employee gate), the year page's close, and the US W-3 and EFW2."""

from datetime import date

import pytest
from django.test import Client

from delivery.files import store_atomically
from employees.models import Employee
from payroll.models import PayComponent, PaySchedule, TaxProfile
from payroll.services.periods import periods_generate
from tests.factories import EmployeeFactory, UserFactory
from tests.factories.payroll_runs import USBiweeklyScheduleFactory
from tests.mfa import enrol_totp
from tests.yearend.builders import finalised, us_pay
from yearend.models import DocumentKind, FilingSettings, YearEndClose, YearEndDocument
from yearend.pdf import document_html
from yearend.services.documents import year_documents_produce

pytestmark = pytest.mark.django_db


def _ready(document: YearEndDocument) -> None:
    """A stored PDF without rendering one (the rendering has its own test)."""
    name = store_atomically(f"yearend/test/{document.pk}.pdf", b"%PDF-1.7 test")
    YearEndDocument.objects.filter(pk=document.pk).update(
        pdf_status=YearEndDocument.PdfStatus.READY, pdf_file=name)


def _client(client, user):
    if user.groups.exclude(name="Employee").exists():
        enrol_totp(user)
    client.force_login(user)
    return client


def test_only_the_leaver_hr_admin_and_payroll_admin_get_the_p45(
        uk_year, hr_admin, hr_staff, payroll_admin):
    # given
    p45 = YearEndDocument.objects.get(kind=DocumentKind.P45)
    _ready(p45)
    url = f"/year-end/documents/{p45.pk}/download/"
    leaver = _client(Client(), uk_year["leaver"].user)
    # when / then: the leaver sees it in their portal and downloads it
    page = leaver.get("/year-end/my/")
    assert page.status_code == 200 and url in page.content.decode()
    response = leaver.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    expected = {uk_year["stayer"].user: 404, hr_staff: 404, hr_admin: 200, payroll_admin: 200}
    for user, status in expected.items():
        assert _client(Client(), user).get(url).status_code == status, user


def test_payroll_admin_closes_the_year_from_its_page(uk_year, client, payroll_admin):
    # given
    schedule = uk_year["schedule"]
    _client(client, payroll_admin)
    url = f"/year-end/schedules/{schedule.pk}/2025-26/"
    assert client.get(url).status_code == 200
    # when: without the confirmation nothing happens; with it, the year closes
    client.post(url + "close/", {"uplift_l": "7"})
    assert not YearEndClose.objects.exists()
    response = client.post(url + "close/", {"uplift_l": "7", "confirm": "on"}, follow=True)
    # then
    assert YearEndClose.objects.get().codes_rolled == 1
    assert "is closed" in response.content.decode()
    assert client.get("/year-end/schedules/999999/2025-26/").status_code == 404
    assert client.get(f"/year-end/schedules/{schedule.pk}/1999-00/").status_code == 404


def test_hr_staff_and_employees_do_not_see_the_year_pages(uk_year, hr_staff):
    url = f"/year-end/schedules/{uk_year['schedule'].pk}/2025-26/"
    for user in (hr_staff, uk_year["stayer"].user):
        assert _client(Client(), user).get(url).status_code == 404


@pytest.fixture
def us_year(payroll_admin):
    schedule = USBiweeklyScheduleFactory()
    PaySchedule.objects.filter(pk=schedule.pk).update(
        employer_legal_name="Acme Inc", employer_ein="12-3456789",
        employer_address="1 Main St\nSpringfield IL 62701")
    schedule.refresh_from_db()
    periods_generate(schedule=schedule, until=date(2026, 2, 28), acting_user=payroll_admin)
    PayComponent.objects.create(code="401K", name="401(k)", kind="pre_tax_deduction",
                                reduces_income_tax_wages=True, w2_box12_code="D")
    people = [EmployeeFactory(legal_first_name="José", legal_last_name="Muñoz",
                              address_line1="2 Elm St", city="Chicago", region="IL",
                              postal_code="60601", user=UserFactory(email="jose@example.test")),
              EmployeeFactory()]
    Employee.objects.filter(pk=people[0].pk).update(national_id="123456789",
                                                    national_id_last4="6789",
                                                    national_id_country="US")
    for person in people:
        TaxProfile.objects.create(employee=person, jurisdiction="US")
    pay = {people[0]: us_pay("4000.00", k401="200.00", fit="400.00"),
           people[1]: us_pay("2500.00", fit="250.00")}
    for number in (2, 3):
        finalised(schedule, number, pay, payroll_admin, tax_year="2026")
    year_documents_produce(schedule=schedule, tax_year="2026", acting_user=payroll_admin,
                           today=date(2027, 1, 5))
    return schedule, people


def test_w2s_w3_and_the_efw2_file(us_year, client, payroll_admin):
    # given
    schedule, people = us_year
    w2 = YearEndDocument.objects.get(kind=DocumentKind.W2, employee=people[0])
    assert (w2.figures["box1"], w2.figures["box3"], w2.figures["box12"]) == (
        "7600.00", "8000.00", [["D", "400.00"]])
    html = document_html(w2)
    assert "Copy B" in html and "Copy 2" in html and "XXX-XX-6789" in html
    _client(client, payroll_admin)
    url = f"/year-end/schedules/{schedule.pk}/2026/"
    page = client.get(url).content.decode()
    assert "12,600.00" in page or "12600.00" in page  # W-3 box 1: 7,600 + 5,000
    # when: no submitter details yet, then with them
    assert client.get(url + "efw2/").status_code == 302
    saved = client.post(f"/year-end/schedules/{schedule.pk}/filing/", {
        "bso_user_id": "AB12CD34", "contact_name": "Pat", "contact_phone": "5551234567",
        "contact_email": "pat@example.com", "employer_city": "Springfield",
        "employer_state": "IL", "employer_zip": "62701", "tax_year": "2026"}, follow=True)
    assert "saved" in saved.content.decode()
    assert FilingSettings.objects.get().bso_user_id == "AB12CD34"
    response = client.get(url + "efw2/")
    # then
    records = response.content.decode("ascii").split("\r\n")[:-1]
    assert [r[:2] for r in records] == ["RA", "RE", "RW", "RW", "RT", "RF"]
    assert all(len(r) == 512 for r in records)
    assert "JOSE" in records[3][11:26] + records[2][11:26]
    assert int(records[4][9:24]) == 1260000  # RT box 1 in cents
