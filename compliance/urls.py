from django.urls import path

from compliance.views import employee, policies, portal, staff

app_name = "compliance"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("matrix/", staff.matrix, name="matrix"),
    path("requirements/", staff.requirement_types, name="requirements"),
    path("requirements/<int:pk>/", staff.requirement_detail, name="requirement"),
    path("requirements/<int:pk>/rules/", staff.rule_add, name="rule_add"),
    path("rules/<int:pk>/delete/", staff.rule_delete, name="rule_delete"),
    path("audit-export/", staff.audit_export, name="audit_export"),
    # An employee's compliance tab (employees/profile.py links it) and HR actions there.
    path("employee/<int:pk>/", employee.employee_tab, name="employee"),
    path("employee/<int:pk>/records/", employee.record_add, name="record_add"),
    path("employee/<int:pk>/evidence-pack/", employee.evidence_pack_request,
         name="evidence_pack_request"),
    path("employee/<int:pk>/subject-access/", employee.subject_access_request,
         name="subject_access_request"),
    path("employee/<int:pk>/legal-holds/", employee.legal_hold_place, name="legal_hold_place"),
    path("records/<int:pk>/verify/", employee.record_verify, name="record_verify"),
    path("records/<int:pk>/reject/", employee.record_reject, name="record_reject"),
    path("records/<int:pk>/evidence/", employee.record_evidence, name="record_evidence"),
    path("evidence-packs/<int:pk>/", employee.evidence_pack_download, name="evidence_pack"),
    path("subject-access/<int:pk>/", employee.subject_access_download, name="subject_access"),
    path("legal-holds/<int:pk>/release/", employee.legal_hold_release,
         name="legal_hold_release"),
    # Policies (HR)
    path("policies/", policies.policy_list, name="policies"),
    path("policies/<int:pk>/", policies.policy_detail, name="policy"),
    path("policies/<int:pk>/publish/", policies.policy_publish, name="policy_publish"),
    path("policies/<int:pk>/nudge/", policies.policy_nudge, name="policy_nudge"),
    path("policy-versions/<int:pk>/document/", policies.policy_document,
         name="policy_document"),
    # Retention
    path("retention/", policies.retention_home, name="retention"),
    path("retention/dry-run/", policies.retention_dry_run, name="retention_dry_run"),
    path("retention/runs/<int:pk>/", policies.purge_run, name="purge_run"),
    path("retention/runs/<int:pk>/approve/", policies.purge_approve, name="purge_approve"),
    path("retention/runs/<int:pk>/discard/", policies.purge_discard, name="purge_discard"),
    # The employee's own pages (portal)
    path("my/", portal.my_compliance, name="my_compliance"),
    path("my/upload/", portal.my_upload, name="my_upload"),
    path("my/policies/<int:pk>/", portal.my_policy, name="my_policy"),
    path("my/policies/<int:pk>/document/", portal.my_policy_document,
         name="my_policy_document"),
    path("my/policies/<int:pk>/acknowledge/", portal.my_policy_acknowledge,
         name="my_policy_acknowledge"),
]
