from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import email_managed_by_hr
from hrops import views

# Django admin uses the same login (and second factor) as the rest of the app.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "HROps administration"
admin.site.site_title = "HROps admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's: users do not manage their own sign-in addresses (issue 12).
    path("accounts/email/", email_managed_by_hr, name="account_email"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("jobs/", views.scheduled_jobs, name="scheduled_jobs"),
    path("accounts/", include("allauth.urls")),
    path("users/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("employees/", include("employees.urls")),
    path("lifecycle/", include("lifecycle.urls")),
    path("payroll/", include("payroll.urls")),
    path("payroll/taxes/", include("liabilities.urls")),
    path("payroll/rti/", include("rti.urls")),
    path("compliance/", include("compliance.urls")),
    path("timeoff/", include("timeoff.urls")),
    path("analytics/", include("analytics.urls")),
    path("portal/", include("portal.urls")),
    path("downloads/", include("delivery.urls")),
    path("notifications/", include("notifications.urls")),
    path("custom-fields/", include("customfields.urls")),
    path("year-end/", include("yearend.urls")),
    path("pensions/", include("pensions.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("api.urls_v1")),
    path("api/", include("api.urls")),
]

handler403 = "hrops.views.forbidden"
