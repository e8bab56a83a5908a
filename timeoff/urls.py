from django.urls import path

from timeoff import views

app_name = "timeoff"

urlpatterns = [
    path("", views.my_leave, name="my_leave"),
    path("request/", views.request_new, name="request_new"),
    path("request/preview/", views.request_preview, name="request_preview"),
    path("requests/<int:request_pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:request_pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:request_pk>/fit-note/", views.fit_note_upload, name="fit_note_upload"),
    path("requests/<int:request_pk>/fit-note/file/", views.fit_note_download,
         name="fit_note_download"),
    path("requests/<int:request_pk>/kit-days/", views.kit_day_add, name="kit_day_add"),
    path("sickness/", views.sickness_self, name="sickness_self"),
    path("approvals/", views.approvals, name="approvals"),
    path("delegations/", views.delegations, name="delegations"),
    path("calendar/", views.team_calendar, name="calendar"),
    path("calendar/feed/reset/", views.ical_reset, name="ical_reset"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("employees/<int:pk>/", views.employee_leave, name="employee_leave"),
    path("employees/<int:pk>/adjust/", views.employee_adjust, name="employee_adjust"),
    path("employees/<int:pk>/pattern/", views.employee_pattern, name="employee_pattern"),
    path("employees/<int:pk>/payout/", views.payout, name="payout"),
    path("employees/<int:pk>/sickness/", views.employee_sickness, name="employee_sickness"),
    path("reports/", views.report_page, name="reports"),
    path("reports/<str:kind>.<str:fmt>", views.report_export, name="report_export"),
    path("setup/", views.setup, name="setup"),
    path("setup/opening-balances/", views.opening_balances, name="opening_balances"),
    path("setup/opening-balances/template.<str:fmt>", views.opening_template,
         name="opening_template"),
    path("setup/types/new/", views.type_edit, name="type_create"),
    path("setup/types/<int:type_pk>/", views.type_edit, name="type_edit"),
    path("setup/policies/new/", views.policy_edit, name="policy_create"),
    path("setup/policies/<int:policy_pk>/", views.policy_edit, name="policy_edit"),
]
