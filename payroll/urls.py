from django.urls import path

from payroll import views, views_employer, views_inputs

app_name = "payroll"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("runs/new/", views.run_create, name="run_create"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("schedules/<int:pk>/generate/", views.schedule_generate, name="schedule_generate"),
    path("schedules/<int:pk>/payment-details/", views.schedule_payment_details,
         name="schedule_payment_details"),
    path("schedules/<int:pk>/supplemental-method/", views.schedule_supplemental_method,
         name="schedule_supplemental_method"),
    path("schedules/<int:pk>/employer/", views_employer.schedule_employer_details,
         name="schedule_employer_details"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/review/", views.run_review, name="run_review"),
    path("runs/<int:pk>/correct/", views.run_correct, name="run_correct"),
    path("runs/<int:pk>/inputs/", views_inputs.run_inputs, name="run_inputs"),
    path("runs/<int:pk>/inputs/save/", views_inputs.run_input_save, name="run_input_save"),
    path("runs/<int:pk>/inputs/import/", views_inputs.run_inputs_import,
         name="run_inputs_import"),
    path("runs/<int:pk>/inputs/paste/", views_inputs.run_inputs_paste, name="run_inputs_paste"),
    path("runs/<int:pk>/inputs/employees/", views_inputs.run_input_employees,
         name="run_input_employees"),
    path("runs/<int:pk>/flags/override-form/", views_inputs.run_bulk_override_form,
         name="run_bulk_override_form"),
    path("runs/<int:pk>/flags/override/", views_inputs.run_bulk_override,
         name="run_bulk_override"),
    path("runs/<int:pk>/payslips/<int:payslip_pk>/", views.payslip_detail,
         name="payslip_detail"),
    path("runs/<int:pk>/payslips/<int:payslip_pk>/override/", views.payslip_override,
         name="payslip_override"),
    path("lines/<int:line_pk>/trace/", views.line_trace, name="line_trace"),
    path("runs/<int:pk>/<slug:action>/", views.run_action, name="run_action"),
    path("employees/<int:pk>/setup/", views.employee_setup, name="employee_setup"),
    path("employees/<int:pk>/setup/tax/<str:jurisdiction>/", views.tax_profile_save,
         name="tax_profile_save"),
    path("employees/<int:pk>/setup/items/", views.pay_item_add, name="pay_item_add"),
    path("employees/<int:pk>/setup/items/<int:item_pk>/delete/", views.pay_item_delete,
         name="pay_item_delete"),
    path("employees/<int:pk>/setup/unpaid-leave/", views.unpaid_leave_add,
         name="unpaid_leave_add"),
    path("employees/<int:pk>/setup/unpaid-leave/<int:leave_pk>/delete/",
         views.unpaid_leave_delete, name="unpaid_leave_delete"),
]

# --- Payslip delivery and outputs (payroll-outputs) ---
from django.urls import re_path  # noqa: E402

from payroll import views_outputs, views_payslips  # noqa: E402

urlpatterns += [
    path("my/payslips/", views_payslips.my_payslips, name="my_payslips"),
    path("employees/<int:pk>/payslips/", views_payslips.employee_payslips,
         name="employee_payslips"),
    path("payslips/<int:pk>/download/", views_payslips.payslip_download,
         name="payslip_download"),
    path("payslips/<int:pk>/retry/", views_payslips.payslip_retry_view, name="payslip_retry"),
    path("delivery/runs/<int:pk>/", views_payslips.run_delivery, name="run_delivery"),
    path("delivery/runs/<int:pk>/retry-failed/", views_payslips.run_retry_failed,
         name="run_retry_failed"),
    path("delivery/runs/<int:pk>/emails/retry/<str:status>/", views_payslips.run_retry_emails,
         name="run_retry_emails"),
    path("delivery/items/<int:pk>/retry/", views_payslips.delivery_item_retry_view,
         name="delivery_item_retry"),
    re_path(r"^delivery/runs/(?P<pk>\d+)/register\.(?P<fmt>csv|xlsx)$",
            views_outputs.register_download, name="run_register"),
    re_path(r"^delivery/runs/(?P<pk>\d+)/payments\.(?P<fmt>nacha|pain001|bacs18)$",
            views_outputs.payment_file_download, name="run_payment_file"),
    path("delivery/runs/<int:pk>/gl.csv", views_outputs.gl_download, name="run_gl"),
    path("delivery/runs/<int:pk>/paid-outside-file.csv", views_outputs.paid_outside_download,
         name="run_paid_outside"),
]

# --- Retro pay ---
from payroll import views_retro  # noqa: E402

urlpatterns += [
    path("runs/<int:pk>/payslips/<int:payslip_pk>/recovery/", views_retro.recovery_confirm,
         name="retro_recovery_confirm"),
]
