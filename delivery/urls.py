from django.urls import path

from delivery import views

app_name = "delivery"

urlpatterns = [
    path("<int:pk>/", views.download_page, name="download"),
    path("<int:pk>/file/", views.download_file, name="download_file"),
]
