from django.urls import path, re_path

from liabilities import views

app_name = "liabilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:country>/<str:slug>/", views.employer_page, name="employer"),
    re_path(r"^(?P<country>[a-z]{2})/(?P<slug>[^/]+)/p32\.(?P<fmt>csv|xlsx|print)$",
            views.p32_download, name="p32"),
    path("<str:country>/<str:slug>/pay", views.payment_record, name="pay"),
    path("<str:country>/<str:slug>/settings", views.settings_update, name="settings"),
]
