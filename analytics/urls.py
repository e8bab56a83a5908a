from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.workforce, name="workforce"),
    path("people/", views.people, name="people"),
    path("plan/", views.plan, name="plan"),
    path("plan/import/", views.plan_upload, name="plan_upload"),
    path("refresh/", views.refresh, name="refresh"),
]
