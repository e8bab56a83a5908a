"""Pages and permissions: HR, manager-of, manager-not-of, self, other employee."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from compliance.models import ComplianceRecord
from compliance.services.records import RecordData, record_add
from tests.factories import EmployeeFactory
from tests.factories.compliance import RequirementRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(org, hr_admin, pdf_upload):
    """The report (org.report) holds a verified record with an evidence file."""
    rtype = RequirementRuleFactory(requirement_type__name="Forklift licence",
                                   requirement_type__requires_document=True).requirement_type
    today = timezone.localdate()
    return record_add(acting_user=hr_admin, employee=org.report, requirement_type=rtype,
                      data=RecordData(completed_on=today, expires_on=today + timedelta(days=90)),
                      evidence=pdf_upload("licence.pdf"), verify=True)


def _viewers(org, hr_admin):
    return {
        "hr": (hr_admin, 200),
        "manager_of": (org.users["manager"], 200),
        "manager_not_of": (org.users["intern"], 404),  # intern manages nobody above them
        "self": (org.users["employee"], 200),
        "other": (org.users["other"], 404),
    }


def test_compliance_tab_permissions(login, org, hr_admin, evidence):
    url = reverse("compliance:employee", args=[org.report.pk])
    for who, (user, expected) in _viewers(org, hr_admin).items():
        response = login(user).get(url)
        assert response.status_code == expected, who
        if expected == 200:
            assert b"Forklift licence" in response.content
    # a manager sees the status but not the document link
    body = login(org.users["manager"]).get(url).content
    assert b"licence.pdf" not in body and b"document on file" in body
    assert b"licence.pdf" in login(hr_admin).get(url).content


def test_manager_not_of_a_peer_gets_404(login, org):
    url = reverse("compliance:employee", args=[org.peer.pk])
    assert login(org.users["manager"]).get(url).status_code == 404


def test_evidence_download_permissions_and_audit(login, org, hr_admin, evidence):
    url = reverse("compliance:record_evidence", args=[evidence.pk])
    expected = {"hr": 200, "manager_of": 403, "manager_not_of": 404, "self": 200, "other": 404}
    for who, (user, _) in _viewers(org, hr_admin).items():
        response = login(user).get(url)
        assert response.status_code == expected[who], who
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="download", object_id=str(evidence.pk)).count() == 2


def test_manager_granted_documents_may_download(login, org, evidence):
    manager = org.users["manager"]
    manager.user_permissions.add(Permission.objects.get(codename="view_team_documents"))
    manager = type(manager).objects.get(pk=manager.pk)  # fresh permission cache
    response = login(manager).get(reverse("compliance:record_evidence", args=[evidence.pk]))
    assert response.status_code == 200


def test_hr_records_evidence_and_others_cannot(login, org, hr_admin, evidence):
    url = reverse("compliance:record_add", args=[org.report.pk])
    data = {"rec-requirement_type": evidence.requirement_type_id,
            "rec-completed_on": timezone.localdate().isoformat(), "rec-verify": "on"}
    for user in (org.users["manager"], org.users["employee"]):
        assert login(user).post(url, data).status_code == 403
    assert login(hr_admin).post(url, data).status_code == 302
    assert ComplianceRecord.objects.filter(employee=org.report).count() == 2


def test_upload_type_and_size_checks(login, org, hr_admin, evidence, settings):
    url = reverse("compliance:record_add", args=[org.report.pk])
    client = login(hr_admin)
    base = {"rec-requirement_type": evidence.requirement_type_id}
    fake = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url, {**base, "rec-evidence": fake})
    assert response.status_code == 400 and b"does not match" in response.content
    exe = SimpleUploadedFile("run.exe", b"%PDF-1.4")
    assert client.post(url, {**base, "rec-evidence": exe}).status_code == 400
    settings.HROPS_MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"x" * 100)
    response = client.post(url, {**base, "rec-evidence": big})
    assert response.status_code == 400 and b"the limit is 10 bytes" in response.content
    assert ComplianceRecord.objects.count() == 1


def test_hr_verifies_portal_upload_and_self_cannot(login, org, hr_admin, evidence, pdf_upload):
    client = login(org.users["employee"])
    response = client.post(reverse("compliance:my_upload"), {
        "up-requirement_type": evidence.requirement_type_id, "up-evidence": pdf_upload(),
        "up-completed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    record = ComplianceRecord.objects.latest("id")
    assert record.verification == "pending" and record.submitted_by == org.users["employee"]
    verify = reverse("compliance:record_verify", args=[record.pk])
    assert client.post(verify).status_code == 403
    assert login(hr_admin).post(verify).status_code == 302
    record.refresh_from_db()
    assert record.verification == "verified"


def test_portal_upload_needs_a_file(login, org, evidence):
    response = login(org.users["employee"]).post(reverse("compliance:my_upload"), {
        "up-requirement_type": evidence.requirement_type_id})
    assert response.status_code == 400


def test_my_compliance_page(login, org, evidence):
    response = login(org.users["employee"]).get(reverse("compliance:my_compliance"))
    assert response.status_code == 200 and b"Forklift licence" in response.content


def test_matrix_scope_and_permissions(login, org, hr_admin, evidence):
    url = reverse("compliance:matrix")
    hr_page = login(hr_admin).get(url)
    assert hr_page.status_code == 200
    assert org.peer.display_name.encode() in hr_page.content
    team_page = login(org.users["manager"]).get(url)
    assert team_page.status_code == 200
    assert org.report.display_name.encode() in team_page.content
    assert org.peer.display_name.encode() not in team_page.content
    assert login(org.users["other"]).get(url).status_code == 403


def test_matrix_query_count_is_constant(login, hr_admin, django_assert_max_num_queries):
    for _ in range(3):
        RequirementRuleFactory()
    for _ in range(30):
        EmployeeFactory()
    client = login(hr_admin)
    client.get(reverse("compliance:matrix"))  # warm the session
    # session, user, roles, MFA check, employee-for-user, nav (report ids), count, page of
    # employees, rules, records, filter-form choices (departments, locations, requirements)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("compliance:matrix"))
    assert len(response.context["rows"]) == 25


def test_dashboard_permissions_and_queries(login, org, hr_admin, evidence,
                                           django_assert_max_num_queries):
    client = login(hr_admin)
    client.get(reverse("compliance:dashboard"))
    # session, user, roles, MFA, nav, then seven on the stored statuses (types, cells per type
    # and status, leavers' cells, people and failing people per department, expiring counts,
    # the first expiring cells)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("compliance:dashboard")).status_code == 200
    for user in (org.users["manager"], org.users["employee"]):
        assert login(user).get(reverse("compliance:dashboard")).status_code == 403


def test_matrix_and_dashboard_exports(login, org, hr_admin, evidence):
    client = login(hr_admin)
    csv = client.get(reverse("compliance:matrix") + "?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Forklift licence" in text.splitlines()[0]
    assert len(text.strip().splitlines()) == 6  # header + 5 people
    xlsx = client.get(reverse("compliance:matrix") + "?format=xlsx&status=compliant")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "Employee number"
    assert sheet.max_row == 2  # header + the report, the only compliant one
    expiring = client.get(reverse("compliance:dashboard") + "?format=csv&days=90")
    assert org.report.display_name in expiring.content.decode("utf-8-sig")
    by_dept = client.get(reverse("compliance:dashboard") + "?format=xlsx&list=departments")
    assert load_workbook(io.BytesIO(by_dept.content)).active["A1"].value == "Department"
    by_req = client.get(reverse("compliance:dashboard") + "?format=csv&list=requirements")
    assert "Forklift licence,1,0,0,4,0,20" in by_req.content.decode("utf-8-sig")


def test_csv_export_neutralises_formulas(login, hr_admin):
    EmployeeFactory(legal_first_name="=HYPERLINK(1)", legal_last_name="Evil")
    RequirementRuleFactory()
    text = login(hr_admin).get(reverse("compliance:matrix") + "?format=csv").content.decode(
        "utf-8-sig")
    assert "'=HYPERLINK(1) Evil" in text


def test_audit_export_csv(login, org, hr_admin, evidence):
    today = timezone.localdate()
    url = reverse("compliance:audit_export")
    response = login(hr_admin).get(url, {"start": today.isoformat(), "end": today.isoformat()})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "compliance.compliancerecord" in text and hr_admin.email in text
    assert "licence.pdf" in text  # after-value of evidence_name
    empty = login(hr_admin).get(url, {"start": "2000-01-01", "end": "2000-01-02"})
    assert empty.content.decode("utf-8-sig").count("\n") == 1
    bad = login(hr_admin).get(url, {"start": today.isoformat(), "end": "2000-01-01"})
    assert bad.status_code == 400
    assert login(org.users["manager"]).get(url).status_code == 403


def test_requirement_and_rule_pages(login, hr_admin, org):
    client = login(hr_admin)
    response = client.post(reverse("compliance:requirements"), {
        "name": "First aid certificate", "kind": "licence", "validity_months": "36",
        "requires_document": "on", "active": "on"})
    assert response.status_code == 302
    rtype_url = response["Location"]
    rtype_pk = int(rtype_url.rstrip("/").split("/")[-1])
    bad = client.post(reverse("compliance:rule_add", args=[rtype_pk]),
                      {"rule-scope": "department"})
    assert bad.status_code == 400
    ok = client.post(reverse("compliance:rule_add", args=[rtype_pk]),
                     {"rule-scope": "country", "rule-country": "gb", "rule-active": "on"})
    assert ok.status_code == 302
    assert client.get(rtype_url).status_code == 200
    assert b"GB" in client.get(reverse("compliance:requirements")).content
    assert login(org.users["manager"]).get(reverse("compliance:requirements")).status_code == 403


def test_admin_is_open_to_hr_admin_and_audited(login, hr_admin, hr_staff):
    from accounts.roles import Role
    from accounts.services import user_set_roles

    user_set_roles(acting_user=None, user=hr_admin, roles=[Role.HR_ADMIN])  # sets is_staff
    client = login(hr_admin)
    for model in ("requirementtype", "compliancerecord", "retentionrule", "purgerun",
                  "policy", "acknowledgement", "legalhold"):
        assert client.get(f"/admin/compliance/{model}/").status_code == 200, model
    response = client.post("/admin/compliance/requirementtype/add/", {
        "name": "CPR", "kind": "training", "validity_months": "12", "active": "on",
        "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="compliance.requirementtype",
                                     source="admin").exists()
    # evidence records are read-only in the admin
    assert client.get("/admin/compliance/compliancerecord/add/").status_code == 403


def test_matrix_requirement_filter_lists_only_people_who_need_it(login, hr_admin, org):
    dept_rule = RequirementRuleFactory(scope="department", department=org.report.department)
    response = login(hr_admin).get(reverse("compliance:matrix"),
                                   {"requirement": dept_rule.requirement_type_id})
    names = [row.employee.pk for row, _cells in response.context["rows"]]
    assert names == [org.report.pk]


def test_home_and_portal_cards(login, hr_admin, org, evidence):
    assert b"Expiring in 30 days" in login(hr_admin).get(reverse("home")).content
    body = login(org.users["intern"]).get(reverse("portal:home")).content
    assert b"My compliance" in body and b"Forklift licence" in body  # intern: missing
