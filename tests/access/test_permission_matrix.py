"""The permission matrix (issue 12 item 8): every URL the project routes (the Django admin and
allauth's own pages aside) requested with GET by every role, against the expected answer kept in
one table, PERMISSIONS. A URL without an entry fails the suite, so a new page cannot ship without
someone deciding who may open it.

The subject of every per-employee URL is `org.report`: the Manager is their manager, the
Employee is an unrelated colleague (the peer). Objects the roles reach through the subject
(contact, bank account, schedule, run) exist; other object ids point at nothing, so the answer
shows whether the gate (403/404) or the lookup (404) speaks first. POST-only URLs must answer a
GET with 405 (no mutation by GET) once signed in; anonymous visitors are sent to sign in (302).

Columns: anonymous, Employee, Manager, HR Staff, HR Admin, Payroll Admin.
"""

import os
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import requires_second_factor
from employees.models import Department
from employees.services.bank import bank_account_add
from employees.services.personal import emergency_contact_save
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "employee", "manager", "hr_staff", "hr_admin", "payroll_admin")
# Django admin and allauth: their own tests; the JSON API (api/v1/): tests/api/test_scope_matrix.py
SKIPPED_PREFIXES = ("admin/", "accounts/", "api/v1/")
MISSING = 999_999
S = {"a": 302, "o": 200, "f": 403, "n": 404, "m": 405, "c": 409, "r": 301}


def _row(codes: str) -> tuple[int, ...]:
    """'a o f n o o' -> (302, 200, 403, 404, 200, 200)."""
    return tuple(S[c] for c in codes.split())


# url name -> statuses for ROLES: a=302 (sign in, or sent elsewhere), o=200, f=403, n=404,
# m=405 (POST only), c=409 (the draft run has no output yet)
PERMISSIONS: dict[str, str] = {
    "home": "a a a o o o",
    "healthz": "o o o o o o",
    "favicon": "r r r r r r",
    "scheduled_jobs": "a f f f o f",
    "account_email": "a o o o o o",
    "accounts:users": "a f f f o f",
    "accounts:user_invite": "a m m m m m",
    "accounts:user_roles": "a m m m m m",
    "accounts:user_action": "a m m m m m",
    "employees:access_levels": "a f f f o f",
    "employees:directory": "a f o o o o",
    "employees:directory_export": "a f o o o o",
    "employees:profile": "a n o o o o",
    "employees:employment": "a n o o o o",
    "employees:compensation": "a n f o o o",
    "employees:change_cancel": "a m m m m m",
    "employees:status_change": "a m m m m m",
    "employees:rehire": "a n f a a f",
    "employees:org_chart": "a o o o o o",
    # The colleague directory is on by default (issue 13): every employee browses the chart.
    "employees:org_chart_for": "a o o o o o",
    "employees:org_children": "a o o o o o",
    "employees:reference_list": "a f f o o f",
    "employees:reference_create": "a f f o o f",
    "employees:reference_edit": "a f f o o f",
    "employees:reference_delete": "a m m m m m",
    "employees:import": "a f f o o f",
    "employees:import_template": "a f f o o f",
    "employees:personal": "a n f o o o",
    "employees:contact_add": "a n f o o f",
    "employees:contact_edit": "a n f o o f",
    "employees:contact_delete": "a m m m m m",
    "employees:bank": "a n f o o o",
    "employees:national_id_set": "a m m m m m",
    "employees:reveal_national_id": "a m m m m m",
    "employees:bank_account_add": "a n f f o o",
    "employees:bank_account_edit": "a n f f o o",
    "employees:reveal_account": "a m m m m m",
    "employees:bank_account_action": "a m m m m m",
    "employees:bank_request_create": "a n f f f f",
    "employees:bank_request_cancel": "a m m m m m",
    "employees:bank_requests": "a f f f o o",
    "employees:bank_request_decide": "a m m m m m",
    "employees:documents": "a n f o o f",
    "employees:document_download": "a n f n n f",
    "employees:document_delete": "a m m m m m",
    "employees:history": "a n f o o f",
    "employees:my_profile": "a a a f f f",
    "employees:my_bank": "a a a f f f",
    "lifecycle:dashboard": "a a a o o a",
    "lifecycle:my_tasks": "a o o o o o",
    "lifecycle:bulk_complete": "a m m m m m",
    "lifecycle:settings": "a o o o o o",
    "lifecycle:task": "a n n n n n",
    "lifecycle:task_complete": "a m m m m m",
    "lifecycle:task_skip": "a m m m m m",
    "lifecycle:task_reassign": "a m m m m m",
    "lifecycle:task_upload": "a m m m m m",
    "lifecycle:task_acknowledge": "a m m m m m",
    "lifecycle:task_fields": "a m m m m m",
    "lifecycle:document": "a n n n n n",
    "lifecycle:employee_checklists": "a n o o o f",
    "lifecycle:checklist_start": "a m m m m m",
    "lifecycle:offboard": "a f f o o f",
    "lifecycle:offboard_cancel": "a m m m m m",
    "lifecycle:checklist_cancel": "a m m m m m",
    "lifecycle:hire": "a f f o o f",
    "lifecycle:templates": "a f f o o f",
    "lifecycle:template_create": "a f f o o f",
    "lifecycle:template": "a f f n n f",
    "lifecycle:template_edit": "a f f n n f",
    "payroll:run_list": "a n n n o o",
    "payroll:run_create": "a m m m m m",
    "payroll:schedule_detail": "a n n n o o",
    "payroll:schedule_generate": "a m m m m m",
    "payroll:schedule_payment_details": "a m m m m m",
    "payroll:run_detail": "a n n n o o",
    "payroll:run_correct": "a m m m m m",
    "payroll:run_inputs": "a n n n o o",
    "payroll:run_input_save": "a m m m m m",
    "payroll:run_inputs_import": "a m m m m m",
    "payroll:run_inputs_paste": "a m m m m m",
    "payroll:run_input_employees": "a n n n o o",
    "payroll:run_bulk_override_form": "a n n n o o",
    "payroll:run_bulk_override": "a m m m m m",
    "payroll:schedule_supplemental_method": "a m m m m m",
    "payroll:retro_recovery_confirm": "a m m m m m",
    "payroll:run_review": "a n n n o o",
    "payroll:schedule_employer_details": "a m m m m m",
    "payroll:run_paid_outside": "a f f f f c",
    "payroll:payslip_detail": "a n n n n n",
    "payroll:payslip_override": "a m m m m m",
    "payroll:line_trace": "a n n n n n",
    "payroll:run_action": "a m m m m m",
    "payroll:employee_setup": "a n n n o o",
    "payroll:tax_profile_save": "a m m m m m",
    "payroll:pay_item_add": "a m m m m m",
    "payroll:pay_item_delete": "a m m m m m",
    "payroll:unpaid_leave_add": "a m m m m m",
    "payroll:unpaid_leave_delete": "a m m m m m",
    "payroll:my_payslips": "a o o o o o",
    "payroll:employee_payslips": "a n f f o o",
    "payroll:payslip_download": "a n n n n n",
    "payroll:payslip_retry": "a m m m m m",
    "payroll:run_delivery": "a f f f f o",
    "payroll:run_retry_failed": "a m m m m m",
    "payroll:run_retry_emails": "a m m m m m",
    "payroll:delivery_item_retry": "a m m m m m",
    "payroll:run_register": "a f f f f c",
    "payroll:run_payment_file": "a f f f f c",
    "payroll:run_gl": "a f f f f c",
    "compliance:dashboard": "a f f o o f",
    "compliance:matrix": "a f o o o f",
    "compliance:requirements": "a f f o o f",
    "compliance:requirement": "a f f n n f",
    "compliance:rule_add": "a m m m m m",
    "compliance:rule_delete": "a m m m m m",
    "compliance:audit_export": "a f f o o f",
    "compliance:employee": "a n o o o f",
    "compliance:record_add": "a m m m m m",
    "compliance:evidence_pack_request": "a m m m m m",
    "compliance:subject_access_request": "a m m m m m",
    "compliance:legal_hold_place": "a m m m m m",
    "compliance:record_verify": "a m m m m m",
    "compliance:record_reject": "a m m m m m",
    "compliance:record_evidence": "a n n n n n",
    "compliance:evidence_pack": "a n n n n n",
    "compliance:subject_access": "a f f f n f",
    "compliance:legal_hold_release": "a m m m m m",
    "compliance:policies": "a f f o o f",
    "compliance:policy": "a f f n n f",
    "compliance:policy_publish": "a m m m m m",
    "compliance:policy_nudge": "a m m m m m",
    "compliance:policy_document": "a f f n n f",
    "compliance:retention": "a f f o o f",
    "compliance:retention_dry_run": "a m m m m m",
    "compliance:purge_run": "a f f n n f",
    "compliance:purge_approve": "a m m m m m",
    "compliance:purge_discard": "a m m m m m",
    "compliance:my_compliance": "a o o n n n",
    "compliance:my_upload": "a m m m m m",
    "compliance:my_policy": "a n n n n n",
    "compliance:my_policy_document": "a n n n n n",
    "compliance:my_policy_acknowledge": "a m m m m m",
    "portal:home": "a o o o o o",

    # --- pay10: payroll exceptions, review, speed (issue 10) ---

    # --- scale11: flat pages and exports (issue 11) ---
    # A built download is served only to whoever asked for it: 404 to everyone else.
    "delivery:download": "a n n n n n",
    "delivery:download_file": "a n n n n n",

    # --- store11: object storage, imports, throughput (issue 11) ---
    "employees:import_job": "a f f n n f",
    "employees:import_job_apply": "a m m m m m",
    "employees:import_job_errors": "a f f n n f",

    # --- access12: access and SSO (issue 12) ---
    "employees:propose": "a n o f f f",
    "employees:proposals": "a f o o o o",
    "employees:proposal_decide": "a m m m m m",

    # --- hr13: everyday HR (issue 13) ---
    "employees:colleagues": "a o o o o o",
    "employees:colleague": "a o o o o o",
    "employees:photo": "a n n n n n",  # the subject has no photo
    "employees:photo_change": "a m m m m m",
    "employees:photo_delete": "a m m m m m",
    "notifications:list": "a o o o o o",
    "notifications:bell": "a o o o o o",
    "notifications:read_all": "a m m m m m",
    "notifications:open": "a m m m m m",
    "notifications:read": "a m m m m m",
    "customfields:fields": "a f f f o f",
    "customfields:field_edit": "a f f f n f",  # no such field
    "customfields:employee": "a n o o o o",

    # --- timeoff: time off (issue 14) ---
    # Own pages need an employee record (HR/payroll logins here have none: 404).
    "timeoff:my_leave": "a o o n n n",
    "timeoff:request_new": "a m m m m m",
    "timeoff:request_preview": "a o o n n n",
    "timeoff:request_cancel": "a m m m m m",
    "timeoff:request_decide": "a m m m m m",
    "timeoff:fit_note_upload": "a m m m m m",
    "timeoff:fit_note_download": "a n n n n n",
    "timeoff:sickness_self": "a m m m m m",
    "timeoff:approvals": "a f o o o o",
    "timeoff:delegations": "a f o f f f",
    "timeoff:calendar": "a o o o o n",
    "timeoff:ical_reset": "a m m m m m",
    # The feed is public by design (the token is the key); an unknown token is 404 for all.
    "timeoff:ical_feed": "n n n n n n",
    "timeoff:employee_leave": "a n f o o f",
    "timeoff:employee_adjust": "a m m m m m",
    "timeoff:employee_pattern": "a m m m m m",
    "timeoff:employee_sickness": "a n o o o f",
    "timeoff:payout": "a f f f f o",
    "timeoff:reports": "a f f o o f",
    "timeoff:report_export": "a f f n n f",
    "timeoff:setup": "a f f f o f",
    "timeoff:opening_balances": "a f f f o f",
    "timeoff:opening_template": "a f f f o f",
    "timeoff:type_create": "a f f f o f",
    "timeoff:type_edit": "a f f f n f",
    "timeoff:policy_create": "a f f f o f",
    "timeoff:policy_edit": "a f f f n f",

    # --- statpay: statutory pay (issue 14) ---

    # --- analytics: analytics (issue 15) ---
    "analytics:workforce": "a f o f o f",
    "analytics:people": "a f o f o f",
    "analytics:plan": "a f f f o f",
    "analytics:plan_upload": "a m m m m m",
    "analytics:refresh": "a m m m m m",
    "analytics:pay": "a f f f o f",
    "analytics:pay_band_save": "a m m m m m",
    "analytics:saved": "a f o f o f",
    "analytics:saved_delete": "a m m m m m",
    "analytics:self_identification": "a o o n n n",
    "analytics:eeo1": "a f f f o f",
    "analytics:eeo1_category": "a m m m m m",

    # --- perf11: scale and throughput (issue 11) ---

    # --- hr13b: everyday HR, consistency and forms (issue 13) ---
    "employees:import_template_xlsx": "a f f o o f",
    "employees:picker": "a o o o o o",

    # --- timeoff14b: time off leftovers (issue 14) ---
    "timeoff:kit_day_add": "a m m m m m",

    # --- gpg15: gender pay gap and absence analytics (issue 15) ---
    "analytics:absence": "a f o f o f",
    "analytics:compliance_coverage": "a f f f o f",
    "analytics:gender_pay_gap": "a f f f o f",
    "analytics:gender_pay_gap_gender": "a m m m m m",

    # --- liab16: liabilities, GL split, BACS (issue 16) ---
    # Employer taxes: Payroll Admin and HR Admin (read); nobody else. The employer named in
    # the URL does not exist here, so those who may look get 404.
    "liabilities:index": "a f f f o o",
    "liabilities:employer": "a f f f n n",
    "liabilities:p32": "a f f f n n",
    "liabilities:pay": "a m m m m m",
    "liabilities:settings": "a m m m m m",

    # --- yearend16: year-end documents (issue 16) ---
    # Own documents in the portal; others' for HR Admin and Payroll Admin only (404 elsewhere).
    "yearend:index": "a n n n o o",
    "yearend:my_documents": "a o o o o o",
    "yearend:document_download": "a n n n n n",  # no such document
    "yearend:employee_documents": "a n f f o o",
    "yearend:year": "a n n n n n",  # no payslips in that tax year
    "yearend:produce": "a m m m m m",
    "yearend:close": "a m m m m m",
    "yearend:bundle_request": "a m m m m m",
    "yearend:efw2": "a n n n n n",  # no payslips in that tax year
    "yearend:filing_settings": "a m m m m m",
    "yearend:bundle_download": "a n n n f n",  # HR Admin: Payroll Admin's file; none exists

    # --- ae16: auto-enrolment and RTI (issue 16) ---
    # Pension schemes: HR Admin and Payroll Admin (ids in the matrix point at nothing: 404).
    "pensions:scheme_list": "a f f f o o",
    "pensions:scheme_detail": "a f f f n n",
    "pensions:papdis": "a f f f n n",
    "pensions:scheme_reenrol": "a m m m m m",
    "pensions:member_opt_out": "a m m m m m",
    "pensions:member_cease": "a m m m m m",
    # The employee's own pension (staff logins in the matrix have no employee record).
    "pensions:my_pension": "a o o n n n",
    "pensions:my_opt_out": "a m m m m m",

    # --- api17: REST API (issue 17) ---
    "api:tokens": "a o o o o o",
    "api:token_revoke": "a m m m m m",
    "api:service_accounts": "a f f f o f",
    "api:service_account": "a f f f n f",
    "api:service_account_action": "a m m m m m",

    # --- hooks17: webhooks (issue 17) ---
    "webhooks:subscriptions": "a f f f o f",
    "webhooks:subscription": "a f f f n f",  # no such subscription
    "webhooks:subscription_action": "a m m m m m",
    "webhooks:send_again": "a m m m m m",

    # --- rti16: RTI FPS and EPS (issue 16) ---
    # Payroll Admin files; HR Admin reads the status pages; nobody else. The FPS page of the
    # matrix's draft run says it comes once the run is finalised; the employer in the URL does
    # not exist (404 for those who may look). The details for HMRC: Payroll Admin only.
    "rti:fps": "a f f f o o",
    "rti:fps_prepare": "a m m m m m",
    "rti:genders": "a m m m m m",
    "rti:employer": "a f f f n n",
    "rti:eps": "a f f f n n",
    "rti:eps_prepare": "a m m m m m",
    "rti:download": "a m m m m m",
    "rti:send": "a m m m m m",
    "rti:answer": "a m m m m m",
    "rti:person": "a f f f f o",
    "yearend:w3_pdf": "a n n n n n",  # Form W-3 PDF: no payslips in that tax year

    # --- calc10: calculation speed (issue 10) ---

    # --- pages10: pay run pages (issue 10) ---

    # --- pages11: flat pages (issue 11) ---

    # --- files11: big files and throughput (issue 11) ---

    # --- timeoff14: time-off pages (issue 14) ---

    # --- analytics15: stored analytics, saved reports (issue 15) ---
    "analytics:gender_pay_gap_recalculate": "a m m m m m",

    # --- api17b: API leftovers (issue 17) ---
    # No new page: the new api/v1/analytics/* routes are in tests/api/test_scope_matrix.py
    # (api/v1/ is skipped here) and the webhook page only gained a line of text.
}


def _patterns(resolver=None, prefix: str = "", namespace: str | None = None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            yield from _patterns(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and not route.startswith(SKIPPED_PREFIXES[:1]):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if route.startswith("accounts/") and name != "account_email":
                continue
            yield name, route


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _fill(route: str, values: dict[str, object]) -> str:
    path = route.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\d+", "")

    def value(match: re.Match) -> str:
        name = match.group("name") or match.group("rname")
        return str(values.get(name, MISSING))

    return "/" + PARAM.sub(value, path)


@pytest.fixture
def world(org, hr_staff, hr_admin, payroll_admin, uk_schedule):
    from payroll.services.runs import run_create

    contact = emergency_contact_save(acting_user=hr_admin, employee=org.report, data={
        "name": "Pat", "relationship": "Partner", "phone": "+44 7700 900123", "email": "",
        "is_primary": True})
    account = bank_account_add(acting_user=hr_admin, employee=org.report, notify=False, details={
        "holder_name": "R", "country": "GB", "scheme": "iban", "iban": "GB82WEST12345698765432",
        "bic": "NWBKGB2L"})
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    # A real department for the reference pages (not an id that happens to match a person).
    department = Department.objects.create(name="Matrix department", code="MATRIX")
    users = {"employee": org.users["other"], "manager": org.users["manager"],
             "hr_staff": hr_staff, "hr_admin": hr_admin, "payroll_admin": payroll_admin}
    return users, {"pk": org.report.pk, "contact_pk": contact.pk, "account_pk": account.pk,
                   "kind": "departments", "fmt": "csv", "jurisdiction": "UK",
                   "action": "primary", "decision": "approve"}, {"schedule": uk_schedule.pk,
                                                                  "run": run.pk,
                                                                  "department": department.pk}


# Some URLs take another object's pk as "pk": which one.
PK_OF = {"payroll:schedule_detail": "schedule", "payroll:schedule_generate": "schedule",
         "payroll:schedule_payment_details": "schedule", "payroll:run_detail": "run",
         "payroll:run_correct": "run", "payroll:run_inputs": "run",
         "payroll:run_input_save": "run", "payroll:run_inputs_import": "run",
         "payroll:payslip_detail": "run", "payroll:payslip_override": "run",
         "payroll:run_action": "run", "payroll:run_delivery": "run",
         "payroll:run_retry_failed": "run", "payroll:run_retry_emails": "run",
         "payroll:run_register": "run", "payroll:run_payment_file": "run",
         "payroll:run_gl": "run", "payroll:schedule_supplemental_method": "schedule",
         "payroll:run_inputs_paste": "run", "payroll:run_input_employees": "run",
         "payroll:run_bulk_override_form": "run", "payroll:run_bulk_override": "run",
         "payroll:run_review": "run", "payroll:schedule_employer_details": "schedule",
         "payroll:run_paid_outside": "run",
         "employees:reference_edit": "department"}
# pay10: PK_OF.update({...}) here

# scale11: PK_OF.update({...}) here

# store11: PK_OF.update({...}) here

# access12: PK_OF.update({...}) here

# hr13: PK_OF.update({...}) here

# timeoff: PK_OF.update({...}) here

# statpay: PK_OF.update({...}) here

# analytics: PK_OF.update({...}) here

# perf11: PK_OF.update({...}) here

# hr13b: PK_OF.update({...}) here

# timeoff14b: PK_OF.update({...}) here

# gpg15: PK_OF.update({...}) here

# liab16: PK_OF.update({...}) here

# yearend16: PK_OF.update({...}) here
PK_OF.update({"yearend:year": "schedule", "yearend:produce": "schedule",
              "yearend:close": "schedule", "yearend:bundle_request": "schedule",
              "yearend:efw2": "schedule", "yearend:filing_settings": "schedule"})

# ae16: PK_OF.update({...}) here

# api17: PK_OF.update({...}) here

# hooks17: PK_OF.update({...}) here

# rti16: PK_OF.update({...}) here
PK_OF.update({"rti:fps": "run", "yearend:w3_pdf": "schedule"})

# calc10: PK_OF.update({...}) here

# pages10: PK_OF.update({...}) here

# pages11: PK_OF.update({...}) here

# files11: PK_OF.update({...}) here

# timeoff14: PK_OF.update({...}) here

# analytics15: PK_OF.update({...}) here

# api17b: PK_OF.update({...}) here

KIND_OF = {"employees:change_cancel": "pay", "employees:import_template": "employees"}
KIND_OF["employees:propose"] = "pay"  # access12
KIND_OF["employees:import_template_xlsx"] = "employees"  # hr13b
FMT_OF = {"payroll:run_payment_file": "pain001"}


def _observe(client, name: str, route: str, values: dict, objects: dict) -> int:
    filled = dict(values)
    if name in PK_OF:
        filled["pk"] = objects[PK_OF[name]]
    if name in KIND_OF:
        filled["kind"] = KIND_OF[name]
    if name in FMT_OF:
        filled["fmt"] = FMT_OF[name]
    if name.startswith(("accounts:", "lifecycle:", "compliance:")) and name not in (
            "compliance:employee", "compliance:record_add", "compliance:evidence_pack_request",
            "compliance:subject_access_request", "compliance:legal_hold_place",
            "lifecycle:employee_checklists", "lifecycle:checklist_start", "lifecycle:offboard",
            "lifecycle:offboard_cancel"):
        filled["pk"] = MISSING if not name.startswith("accounts:") else values["user_pk"]
    return client.get(_fill(route, filled)).status_code


PRINT_MATRIX = bool(os.environ.get("HROPS_PRINT_MATRIX"))


# One test per role (each on a fresh world), so pytest-xdist spreads the matrix over its
# workers instead of one test holding a worker for the whole table. HROPS_PRINT_MATRIX=1 runs
# every role in one test and prints the observed rows, ready to paste into PERMISSIONS.
@pytest.mark.parametrize("roles", [ROLES] if PRINT_MATRIX else [(role,) for role in ROLES],
                         ids="-".join)
def test_every_url_answers_every_role_as_the_table_says(world, client_factory, roles):
    # given
    users, values, objects = world
    values = {**values, "user_pk": users["employee"].pk}
    clients = {}
    for role in roles:
        clients[role] = client_factory()
        if role == "anonymous":
            continue
        if requires_second_factor(users[role]):
            enrol_totp(users[role])
        clients[role].force_login(users[role])
    # when
    observed = {name: tuple(_observe(clients[r], name, route, values, objects) for r in roles)
                for name, route in _patterns()}
    if PRINT_MATRIX:
        inverse = {v: k for k, v in S.items()}
        for name, row in observed.items():
            print(f'    "{name}": "{" ".join(inverse.get(c, str(c)) for c in row)}",')
    # then: every URL has an entry, and each role gets the expected answer
    missing = sorted(set(observed) - set(PERMISSIONS))
    assert missing == [], f"URLs without an entry in PERMISSIONS: {missing}"
    stale = sorted(set(PERMISSIONS) - set(observed))
    assert stale == [], f"PERMISSIONS lists URLs that no longer exist: {stale}"
    columns = [ROLES.index(r) for r in roles]
    expected = {name: tuple(_row(PERMISSIONS[name])[i] for i in columns) for name in observed}
    wrong = {name: (dict(zip(roles, row, strict=True)),
                    dict(zip(roles, expected[name], strict=True)))
             for name, row in observed.items() if row != expected[name]}
    assert wrong == {}
