from django.urls import path

from rti import views

app_name = "rti"

urlpatterns = [
    path("run/<int:pk>/", views.fps_page, name="fps"),
    path("run/<int:pk>/prepare", views.fps_prepare_view, name="fps_prepare"),
    path("run/<int:pk>/genders", views.genders, name="genders"),
    path("employer/<str:slug>/", views.employer_page, name="employer"),
    path("employer/<str:slug>/eps/<int:month>/", views.eps_page, name="eps"),
    path("employer/<str:slug>/eps/<int:month>/prepare", views.eps_prepare_view,
         name="eps_prepare"),
    path("submission/<int:pk>/download", views.download, name="download"),
    path("submission/<int:pk>/send", views.send, name="send"),
    path("submission/<int:pk>/answer", views.answer, name="answer"),
    path("person/<int:pk>/", views.person, name="person"),
]
