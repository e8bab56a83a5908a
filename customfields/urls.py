from django.urls import path

from customfields import views

app_name = "customfields"

urlpatterns = [
    path("", views.field_list, name="fields"),
    path("<int:pk>/", views.field_list, name="field_edit"),
    path("employee/<int:pk>/", views.employee_fields, name="employee"),
]
