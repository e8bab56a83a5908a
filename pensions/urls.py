from django.urls import path

from pensions import views

app_name = "pensions"

urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/runs/<int:run_pk>/papdis.csv", views.papdis_download, name="papdis"),
    path("schemes/<int:pk>/reenrol/", views.scheme_reenrol, name="scheme_reenrol"),
    path("members/<int:pk>/opt-out/", views.member_opt_out, name="member_opt_out"),
    path("members/<int:pk>/cease/", views.member_cease, name="member_cease"),
    path("mine/", views.my_pension, name="my_pension"),
    path("mine/<int:pk>/opt-out/", views.my_opt_out, name="my_opt_out"),
]
