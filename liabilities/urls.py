from django.urls import path

from liabilities import views

app_name = "liabilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:country>/<str:slug>/", views.employer_page, name="employer"),
    path("<str:country>/<str:slug>/p32.<str:fmt>", views.p32_download, name="p32"),
    path("<str:country>/<str:slug>/pay", views.payment_record, name="pay"),
    path("<str:country>/<str:slug>/settings", views.settings_update, name="settings"),
]
