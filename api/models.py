"""Service accounts, API tokens and the per-call log.

A token acts as a user: a person's own login (a personal token) or the login a service account
is given (HR Admin creates it; it has no employee record, so the segregation-of-duties rule
"nobody changes their own pay" holds trivially). Only SHA-256 of the secret is stored; the
prefix finds the row. A webhook subscription (issue 17 item 5) can point at a service account to
reuse its scopes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceAccount(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("what it is for"), max_length=255, blank=True)
    # The login it acts as: roles derived from its scopes (api.services.accounts).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="service_account")
    scopes = models.JSONField(_("scopes"), default=list)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    service_account = models.ForeignKey(ServiceAccount, null=True, blank=True,
                                        on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_personal(self) -> bool:
        return self.service_account_id is None

    def usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiCall(models.Model):
    """One row per API call (who, which token, from where, what, the answer). A narrow
    append-only table: one INSERT of ~100 bytes costs far less than the page it logs (see
    bench/api_sync.py), so nothing is sampled and no call goes unrecorded."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_constraint=False)
    user_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"], name="api_call_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
