from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.users, name="users"),
    path("invite/", views.user_invite, name="user_invite"),
    path("<int:pk>/roles/", views.user_roles, name="user_roles"),
    path("<int:pk>/<slug:action>/", views.user_action, name="user_action"),
]
