"""/api/v1/: every route here has an entry in tests/api/test_scope_matrix.py."""

from django.urls import path, re_path

from api.views import analytics, employees, meta, payroll, people_data, records

app_name = "api_v1"

endpoints = [
    path("employees/", employees.EmployeeList.as_view(), name="employees"),
    path("employees/<int:pk>/", employees.EmployeeDetail.as_view(), name="employee"),
    path("employees/<int:pk>/terminate/", employees.EmployeeTerminate.as_view(),
         name="employee_terminate"),
    path("employees/<int:pk>/jobs/", records.JobHistory.as_view(), name="employee_jobs"),
    path("employees/<int:pk>/compensation/", records.CompensationHistory.as_view(),
         name="employee_compensation"),
    path("employees/<int:pk>/checklists/", people_data.EmployeeChecklists.as_view(),
         name="employee_checklists"),
    path("employees/<int:pk>/compliance/", people_data.EmployeeCompliance.as_view(),
         name="employee_compliance"),
    path("employees/<int:pk>/time-off/", people_data.EmployeeTimeOff.as_view(),
         name="employee_timeoff"),
    path("org/<int:pk>/", records.OrgSubtree.as_view(), name="org_subtree"),
    path("departments/", records.DepartmentList.as_view(), name="departments"),
    path("locations/", records.LocationList.as_view(), name="locations"),
    path("job-titles/", records.JobTitleList.as_view(), name="job_titles"),
    path("payroll/runs/", payroll.PayRunList.as_view(), name="payroll_runs"),
    path("payroll/runs/<int:pk>/payslips/", payroll.PayslipList.as_view(),
         name="payroll_payslips"),
    path("analytics/workforce/", analytics.WorkforceReport.as_view(),
         name="analytics_workforce"),
    path("analytics/pay/", analytics.PayReport.as_view(), name="analytics_pay"),
    path("analytics/absence/", analytics.AbsenceReport.as_view(), name="analytics_absence"),
    path("analytics/compliance-coverage/", analytics.ComplianceCoverageReport.as_view(),
         name="analytics_compliance_coverage"),
    path("analytics/gender-pay-gap/", analytics.GenderPayGapReport.as_view(),
         name="analytics_gender_pay_gap"),
    path("analytics/eeo1/", analytics.EEO1Report.as_view(), name="analytics_eeo1"),
]

urlpatterns = [
    *endpoints,
    path("schema/", meta.Schema.as_view(), name="schema"),
    path("docs/", meta.reference, name="docs"),
    re_path(r"^.*$", meta.NotFound.as_view(), name="not_found"),
]
