"""What the OpenAPI document describes: the endpoints, mounted where clients call them."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include(("api.urls_v1", "api_v1")))]
