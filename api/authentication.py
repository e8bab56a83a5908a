"""`Authorization: Bearer hrops_...`: the request acts as the token's user (request.auth is the
token). No session authentication on the API: a browser's cookie never authorises a call, so
CSRF cannot reach it."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.services.tokens import token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, value = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not value.strip():
            raise exceptions.AuthenticationFailed(_("Use 'Authorization: Bearer <token>'."))
        token = token_authenticate(value)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="hrops-api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A personal or service-account token (hrops_...)."}
