from django.urls import path

from api.views import pages

app_name = "api"

urlpatterns = [
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke_view, name="token_revoke"),
    path("service-accounts/", pages.service_accounts, name="service_accounts"),
    path("service-accounts/<int:pk>/", pages.service_account, name="service_account"),
    path("service-accounts/<int:pk>/<slug:action>/", pages.service_account_action,
         name="service_account_action"),
]
