"""Test-only urlconf: the application plus django-oauth-toolkit as an OpenID provider at /idp/."""

from django.urls import include, path

from hrops.urls import handler403  # noqa: F401  (the application's own 403 page)
from hrops.urls import urlpatterns as application

urlpatterns = [
    path("idp/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *application,
]
