"""HROps settings: one module, configured by environment variables (django-environ).

With no environment set it runs embedded: SQLite, Celery tasks in-process, console email.
Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS (see README).
It fails closed: with DEBUG off there is no default SECRET_KEY.
"""

from importlib.util import find_spec
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# `make run` serves the demo with DEBUG off and HROPS_DEMO on: production's error handling, so a
# visitor sees the product's own 404 and 500 pages and never Django's technical ones (DEBUG shows
# those whatever the handlers say), on plain HTTP on one machine: no HTTPS redirect or
# secure-only cookies, static files straight from the source folders (WhiteNoise, no
# collectstatic), the development field-encryption key derived from SECRET_KEY. SECRET_KEY is
# still required (the demo .env has a random one).
DEMO = env.bool("HROPS_DEMO", default=False)
# Fails closed: production must provide its own key.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="insecure-dev-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS",
                         default=["127.0.0.1", "localhost"] if DEBUG or DEMO else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
COMPANY_NAME = env("COMPANY_NAME", default="Acme Widgets Ltd")
TIME_ZONE = env("TIME_ZONE", default="Europe/London")

INSTALLED_APPS = [
    # First, so its runserver (which starts the embedded scheduler) wins over the others.
    "hrops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # SAML 2.0 needs python3-saml (and xmlsec, built on libxmlsec1); without them the rest runs.
    *(["allauth.socialaccount.providers.saml"]
      if find_spec("onelogin") and find_spec("xmlsec") else []),
    "accounts",
    "audit",
    "delivery",
    "employees",
    "lifecycle",
    "payroll",
    "compliance",
    "timeoff",
    "analytics",
    "liabilities",
    "portal",
    "pensions",
    "notifications",
    "customfields",
    "yearend",
    "rti",
    "rest_framework",
    "drf_spectacular",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hrops.sessions.IdleSessionMiddleware",  # the bell's polling is not activity
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "hrops.urls"
WSGI_APPLICATION = "hrops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the Celery-eager web process and a shell read while another writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        # A request that writes while the embedded background thread (delivery/embedded.py)
        # holds the one write lock (an import, a big file) waits for it instead of failing
        # after sqlite3's default 5 s.
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite cannot make the analytics snapshots' UNIQUE NULLS NOT DISTINCT constraints
    # (models.W047). Those tables are rebuilt whole by one job under a lock, so the embedded
    # mode loses nothing; PostgreSQL, the production database, has the constraints.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
elif "postgresql" in DATABASES["default"]["ENGINE"] and not env.bool("DATABASE_JIT",
                                                                     default=False):
    # PostgreSQL's JIT compiles any query its planner costs above jit_above_cost: a report
    # over 20,000 people (about 0.3 s of work) spent 0.25 s more compiling itself (EXPLAIN
    # ANALYZE, bench/analytics_reports.py). Pages here are many short queries; off unless asked.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling counts live in the cache: production shares one (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://hrops")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Permissions that come with a role (HR Admin: identity providers for single sign-on).
    "accounts.backends.RolePermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Sessions end after SESSION_IDLE_SECONDS of inactivity: the expiry is pushed forward on every
# request, so only an idle session runs out.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-allauth: email + password, no self sign-up (HR creates accounts).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HROps] "
# Failed logins: per account + IP with growing delays (accounts.throttle, LOGIN_FREE_FAILURES
# then 1 s, 2 s, 4 s ... up to LOGIN_MAX_DELAY_SECONDS), never a lock of the account from
# everywhere; allauth's limit below only caps one IP trying many accounts.
LOGIN_FREE_FAILURES = env.int("LOGIN_FREE_FAILURES", default=5)
LOGIN_MAX_DELAY_SECONDS = env.int("LOGIN_MAX_DELAY_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="50/15m/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
USERSESSIONS_TRACK_ACTIVITY = False
# Password reset (and invitation) links: valid 1 hour (ASVS 5.0 V6.4.1); single use, because the
# token hashes the password and last login, which setting the password changes.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Accounts are created by HR, never self-registered, so allauth's reason to demand a verified
# address before TOTP (an attacker signing up with someone's email) does not apply; requiring it
# locked out staff whose role must enrol first (issue 12). Users do not manage addresses either.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "HROps"
# Roles that must have a second factor before they can use anything else.
MFA_REQUIRED_ROLES = ["HR Admin", "Payroll Admin"]

# Single sign-on (issue 12): OpenID Connect and SAML 2.0 through django-allauth's own providers.
# Identity providers are configured by an HR Admin as "Social applications" in the Django admin
# (provider "openid_connect" or "saml"), or here from the environment (OIDC_* below). A person
# signing in by SSO is matched to their HROps login only by an email address the identity
# provider vouches for (OIDC `email_verified`, or the app's "verified_email" setting); no login
# is created unless SSO_CREATE_USERS is on. Roles in SSO_ONLY_ROLES may not sign in with a
# password. A second factor is still required for MFA_REQUIRED_ROLES (accounts/sso.py).
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=10)
SSO_CREATE_USERS = env.bool("SSO_CREATE_USERS", default=False)
SSO_ONLY_ROLES = env.list("SSO_ONLY_ROLES", default=[])
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
if env("OIDC_SERVER_URL", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [{
        "provider_id": env("OIDC_PROVIDER_ID", default="sso"),
        "name": env("OIDC_NAME", default="Single sign-on"),
        "client_id": env("OIDC_CLIENT_ID"),
        "secret": env("OIDC_CLIENT_SECRET", default=""),
        "settings": {
            "server_url": env("OIDC_SERVER_URL"),
            # A list of domains whose addresses the IdP owns (Entra ID sends no email_verified).
            "verified_email": env.list("OIDC_VERIFIED_EMAIL_DOMAINS", default=[]) or False,
        },
    }]
# Tests only: django-oauth-toolkit as a real OpenID provider inside the test process.
if env.bool("HROPS_TEST_OIDC_PROVIDER", default=False) and find_spec("oauth2_provider"):
    INSTALLED_APPS.append("oauth2_provider")

LANGUAGE_CODE = "en-gb"
# One date format per locale ("1 Dec 2026" in en-GB): hrops/formats/<locale>/formats.py.
FORMAT_MODULE_PATH = ["hrops.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT", default=str(BASE_DIR / "media"))},
    },
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files when
        # developing and testing so no build step is needed.
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
# Without DEBUG, runserver serves no static files: in the demo WhiteNoise serves them from the
# source folders, picking up edits (production serves collectstatic's hashed copies).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or DEMO
# --- store11: object storage ---
# Files (documents, evidence, payslip PDFs, exports, subject-access ZIPs, evidence packs) live on
# the local disk (MEDIA_ROOT) unless HROPS_S3_BUCKET is set: then on an S3-compatible bucket (AWS
# S3, MinIO, R2...) through django-storages, so every web and worker node sees the same files.
# Objects are private (no ACL, signed requests only); downloads still go through the
# permission-checked views, which stream the object (HROPS_S3_DOWNLOADS=stream, the default, for
# a bucket the browser cannot reach) or redirect to a URL signed for HROPS_S3_SIGNED_URL_SECONDS
# (=signed, for a bucket it can).
HROPS_S3_BUCKET = env("HROPS_S3_BUCKET", default="")
HROPS_S3_DOWNLOADS = env("HROPS_S3_DOWNLOADS", default="stream")
HROPS_S3_SIGNED_URL_SECONDS = env.int("HROPS_S3_SIGNED_URL_SECONDS", default=60)
if HROPS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": HROPS_S3_BUCKET,
            "endpoint_url": env("HROPS_S3_ENDPOINT_URL", default=None),
            "region_name": env("HROPS_S3_REGION", default=None),
            "access_key": env("HROPS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("HROPS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("HROPS_S3_PREFIX", default=""),
            "default_acl": None,  # never public-read: the bucket's own (private) policy
            "querystring_auth": True,
            "querystring_expire": HROPS_S3_SIGNED_URL_SECONDS,
            # Every name is random or derived from a row's pk, so a PUT over an existing name
            # is a re-render of the same file: overwrite (one PUT is atomic on S3).
            "file_overwrite": True,
            "addressing_style": env("HROPS_S3_ADDRESSING_STYLE", default=None),
            "signature_version": "s3v4",
        },
    }
# --- end store11: object storage ---
# Uploaded files are never served from a public URL: downloads go through permission-checked views.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The size limit hrops.uploads.validate_upload applies unless a caller passes its own.
HROPS_MAX_UPLOAD_BYTES = env.int("HROPS_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Who tells payroll about sickness and family leave (payroll/absence_feed.py).
HROPS_ABSENCE_PROVIDER = "timeoff.payroll_feed.TimeOffAbsenceProvider"

# Content-Security-Policy (Django 6): same-origin only, scripts need the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Security headers; in production (DEBUG off) HTTPS-only by default.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEMO)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEMO)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEMO)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS",
                                  default=0 if DEMO else 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Email: console by default; SMTP (or any backend) via EMAIL_URL, e.g. smtp+tls://user:pw@host:587
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    option: _email[key]
    for key, option in [("EMAIL_HOST", "host"), ("EMAIL_PORT", "port"),
                        ("EMAIL_HOST_USER", "username"), ("EMAIL_HOST_PASSWORD", "password"),
                        ("EMAIL_USE_TLS", "use_tls"), ("EMAIL_USE_SSL", "use_ssl")]
    if key in _email and _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    # A relay that never answers must fail well inside a delivery task's soft time limit, so
    # the error is recorded and retried (see DELIVERY_* below).
    _email_options["timeout"] = env.int("EMAIL_TIMEOUT", default=20)
if _email.get("EMAIL_FILE_PATH"):  # filemail:///var/mail/hrops writes each email to a file
    _email_options["file_path"] = "/" + _email["EMAIL_FILE_PATH"].lstrip("/")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="HROps <hrops@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Field encryption for national IDs and bank accounts. FIELD_ENCRYPTION_KEYS is a comma-separated
# list of Fernet keys, newest first: new values use the first, old ones still decrypt (rotation).
# Without it (embedded/dev only) a key is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# Celery: with no broker configured, tasks run in-process so the embedded default works.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# Durable delivery (delivery/): every piece of work after a state change is a DeliveryItem row
# written in the same transaction; the relay (beat, every DELIVERY_RELAY_SECONDS) re-publishes
# whatever is not done. The numbers fit together so that work held by a killed worker is done
# again within 5 minutes, and work held by a live worker is never done twice:
# - every task has a hard time limit (CELERY_TASK_TIME_LIMIT, 170 s; delivery tasks 120 s) and a
#   soft one a little earlier, so nothing runs (or hangs on a silent mail relay) for ever;
# - the broker's visibility timeout (180 s) is longer than any hard time limit, so Redis never
#   hands a message to a second worker while the first may still be running it, and short
#   enough that a dead worker's reserved (unstarted) messages come back within 3 minutes;
# - an item's lease (200 s) is longer than any hard time limit, so a live worker keeps its
#   claim; once it runs out (the worker died) the next relay run (<= 60 s later) queues the item
#   again: claimed -> done again within 200 + 60 + the work itself, under 5 minutes;
# - a queued item handed to the broker but not started after DELIVERY_REPUBLISH_SECONDS (180 s:
#   the message was lost or sits with a dead worker) is published again; duplicates are
#   harmless because each item is claimed by a conditional UPDATE.
CELERY_TASK_SOFT_TIME_LIMIT = 150
CELERY_TASK_TIME_LIMIT = 170
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 180,
    # A web request publishing while the broker is down gives up after one quick retry (the
    # relay publishes the item later) instead of blocking for ~6 s per message.
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
}
DELIVERY_TASK_SOFT_TIME_LIMIT = 100
DELIVERY_TASK_TIME_LIMIT = 120
DELIVERY_LEASE_SECONDS = 200
# Embedded mode (no broker): big files, imports and PDFs run on one background thread of the
# serving process after the response, never inside the request (delivery/embedded.py).
DELIVERY_EMBEDDED_BACKGROUND = env.bool("DELIVERY_EMBEDDED_BACKGROUND", default=True)
# Webhooks (webhooks/README.md): hosts or CIDRs that may receive them although they resolve to
# a loopback/private/link-local address (an internal IdP connector); empty = none.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_CONNECT_TIMEOUT = 3
WEBHOOK_READ_TIMEOUT = 5
# Attempts before a delivery fails (at most the mechanism's 8); backoff 30 s doubling, 10 min cap.
WEBHOOK_MAX_ATTEMPTS = 6
# api17b: the TLS trust store for webhook receivers (a PEM file; empty: the system's / certifi's),
# e.g. an internal CA for an allow-listed receiver. The certificate is always checked for the
# URL's host name (sent as SNI), although the connection goes to the checked address.
WEBHOOK_CA_BUNDLE = env("WEBHOOK_CA_BUNDLE", default="") or None
# api17b: finished deliveries (delivered or failed) whose last attempt is older than this are
# purged daily with their work items (webhooks-purge-deliveries); the log shows the rest.
WEBHOOK_DELIVERY_KEEP_DAYS = env.int("WEBHOOK_DELIVERY_KEEP_DAYS", default=30)
DELIVERY_REPUBLISH_SECONDS = 180
DELIVERY_RELAY_SECONDS = env.int("DELIVERY_RELAY_SECONDS", default=60)
# store11: done items are kept this long (the delivery page and admin show them), then purged.
DELIVERY_PURGE_DONE_DAYS = env.int("DELIVERY_PURGE_DONE_DAYS", default=30)
# One beat at a time: celery-redbeat keeps the schedule in Redis and holds a lock there, so a
# second beat process (a redeploy, a second replica) waits instead of firing everything twice.
# It takes over within CELERY_REDBEAT_LOCK_TIMEOUT of the first one dying.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = env("CELERY_REDBEAT_REDIS_URL", default=CELERY_BROKER_URL or None)
CELERY_REDBEAT_REDIS_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_REDBEAT_KEY_PREFIX = env("CELERY_REDBEAT_KEY_PREFIX", default="redbeat:")
CELERY_REDBEAT_LOCK_TIMEOUT = env.int("CELERY_REDBEAT_LOCK_TIMEOUT", default=90)
CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("CELERY_BEAT_MAX_LOOP_INTERVAL", default=15)
DOWNLOADS_KEEP_HOURS = env.int("DOWNLOADS_KEEP_HOURS", default=24)
# People analytics: pay and diversity groups smaller than this are suppressed (issue 15).
ANALYTICS_MIN_GROUP_SIZE = env.int("ANALYTICS_MIN_GROUP_SIZE", default=5)

# REST API (issue 17): bearer tokens only, scopes per view, a per-token rate limit, every error
# an RFC 9457 problem document. Pages are keyset-paginated by the views themselves.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)
API_CALL_LOG_KEEP_DAYS = env.int("API_CALL_LOG_KEEP_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ScopedAutoSchema",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HROps API",
    "DESCRIPTION": "REST API of HROps. Authenticate with `Authorization: Bearer <token>`; "
                   "each operation names the scope it needs. Errors are "
                   "application/problem+json (RFC 9457).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # employees: future-dated job changes come into force just after midnight.
    "employees-apply-effective-changes": {
        "task": "employees.tasks.apply_effective_changes_task",
        "schedule": crontab(hour=0, minute=5),
    },
    # lifecycle: status changes just after midnight, the digest at 07:00 (company time zone).
    "lifecycle-activate-starters": {
        "task": "lifecycle.tasks.activate_starters_task",
        "schedule": crontab(hour=0, minute=10),
    },
    "lifecycle-terminate-leavers": {
        "task": "lifecycle.tasks.terminate_leavers_task",
        "schedule": crontab(hour=0, minute=20),
    },
    "lifecycle-task-digest": {
        "task": "lifecycle.tasks.send_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # --- compliance ---
    # Stored statuses that change with the date alone (expiring soon, expired), before anyone
    # opens the dashboard and before the 07:00 reminders.
    "compliance-status-roll": {
        "task": "compliance.tasks.compliance_status_roll_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "compliance-expiry-reminders": {
        "task": "compliance.tasks.compliance_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "compliance-retention-dry-run": {
        "task": "compliance.tasks.retention_dry_run_task",
        "schedule": crontab(hour=4, minute=30, day_of_week=1),
    },
    # --- timeoff: accrual (fans out as delivery items) and the leave-year end, daily ---
    "timeoff-accrual": {
        "task": "timeoff.tasks.accrual_run_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "timeoff-year-end": {
        "task": "timeoff.tasks.year_end_run_task",
        "schedule": crontab(hour=0, minute=40),
    },
    # analytics: the monthly workforce snapshot, after the night's job changes and leavers.
    "analytics-snapshot-refresh": {
        "task": "analytics.tasks.snapshot_refresh_task",
        "schedule": crontab(hour=0, minute=40),
    },
    "analytics-saved-reports": {
        "task": "analytics.tasks.saved_reports_send_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # liabilities: Payroll Admins hear of tax payments past their due date (keyed: once each).
    "liabilities-overdue-notify": {
        "task": "liabilities.tasks.liabilities_overdue_notify_task",
        "schedule": crontab(hour=7, minute=5),
    },
    # Delivery: publish what is due and take back what dead workers held (see DELIVERY_*).
    "delivery-relay": {
        "task": "delivery.tasks.delivery_relay_task",
        "schedule": float(DELIVERY_RELAY_SECONDS),
    },
    "delivery-clean-tmp": {
        "task": "delivery.tasks.delivery_clean_tmp_task",
        "schedule": crontab(minute=40),
    },
    # store11: items done more than DELIVERY_PURGE_DONE_DAYS ago are deleted, in batches.
    "delivery-purge-done": {
        "task": "delivery.tasks.delivery_purge_done_task",
        "schedule": crontab(hour=3, minute=45),
    },
    # api17: the per-call API log is kept API_CALL_LOG_KEEP_DAYS.
    "api-calls-purge": {
        "task": "api.tasks.api_calls_purge_task",
        "schedule": crontab(hour=3, minute=55),
    },
    # api17b: webhook deliveries finished more than WEBHOOK_DELIVERY_KEEP_DAYS ago.
    "webhooks-purge-deliveries": {
        "task": "webhooks.tasks.webhook_deliveries_purge_task",
        "schedule": crontab(hour=4, minute=5),
    },
    # Big downloads (XLSX registers, directory exports) are kept DOWNLOADS_KEEP_HOURS.
    "delivery-clean-downloads": {
        "task": "delivery.tasks.downloads_clean_task",
        "schedule": crontab(minute=50),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "forbidden_without_traceback": {"()": "hrops.log_filters.ForbiddenWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default config gives "django" a console handler of its own (in DEBUG) and
        # lets it propagate to ours: every message came out twice. One handler, ours.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["forbidden_without_traceback"]},
    },
}

# Year-end close (yearend.services.close): asked by one Payroll Admin, done by a second.
YEAREND_CLOSE_FOUR_EYES = env.bool("YEAREND_CLOSE_FOUR_EYES", default=False)

# HMRC RTI (rti app): how a prepared FPS / EPS reaches HMRC. The default only offers the XML
# download (for the employer's own filing software); a dotted path to an rti.transport.Transport
# subclass that sends to HMRC's Transaction Engine may be named instead.
HROPS_RTI_TRANSPORT = env("HROPS_RTI_TRANSPORT", default="rti.transport.DownloadOnly")
