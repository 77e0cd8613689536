"""Settings for the ACS, My Net+ and risk analysis: every value comes from the environment.

`APP_ENV=local` (what the README's commands set) generates key material into `.local/` and uses
SQLite and outbox backends; any other value is production, where every secret must be given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import local_secrets
from config.env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

# A test run is local by nature (generated keys, outbox backends) unless told otherwise.
APP_ENV = envstr("APP_ENV", "local" if "pytest" in sys.modules else "production")
LOCAL = APP_ENV == "local"
_local = (
    local_secrets.load_or_create(Path(envstr("LOCAL_SECRETS_FILE", str(BASE_DIR / ".local/secrets.json"))))
    if LOCAL
    else None
)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("SECRET_KEY", required=True, local=_local)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# Key material. Lists are "id:base64key" pairs, newest first: the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = envsecret("FIELD_ENCRYPTION_KEYS", required=True, local=_local)
PAN_FINGERPRINT_KEY = envsecret("PAN_FINGERPRINT_KEY", required=True, local=_local)
AUTHENTICATION_VALUE_KEYS = envsecret("AUTHENTICATION_VALUE_KEYS", required=True, local=_local)
RISK_PSEUDONYM_KEY = envsecret("RISK_PSEUDONYM_KEY", required=True, local=_local)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "portal",
    "riskanalysis",
    "acs",
]

SANDBOX_ENABLED = envbool("SANDBOX_ENABLED", LOCAL)
# The benchmark's bare-ceiling view (bench/); never on in production.
BENCH_ENDPOINTS = envbool("BENCH_ENDPOINTS", False)
if SANDBOX_ENABLED:
    INSTALLED_APPS.append("sandbox")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.support",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: the AReq path must not pay a connection set-up per message.
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        # A dead connection on the AReq path is already answered with Erro 403; operators may turn
        # the per-request health check (one round trip) off for the DS-facing workers.
        conn_health_checks=envbool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable: the DS must get an Erro within a second, not hang.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", 1)
    # The AReq path's statements (config.sql) are prepared once they ran this often on a connection;
    # the ORM's client-side binding never prepares. 0 turns preparing off (a pooler without support).
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = envint("DB_PREPARE_THRESHOLD", 2) or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.Member"
AUTHENTICATION_BACKENDS = ["portal.backends.MemberBackend"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # The My Net+ ID is checked by CardSimilarityValidator (containment too): one message, not two.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("first_name", "last_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.password_validation.MaximumLengthValidator"},
    {"NAME": "portal.password_validation.CardSimilarityValidator"},
]
LOCKOUT_THRESHOLD = envint("LOCKOUT_THRESHOLD", 5)
TEMPORARY_PASSWORD_MINUTES = envint("TEMPORARY_PASSWORD_MINUTES", 60)
# Per client IP; django-ratelimit syntax ("count/period").
RATELIMIT_LOGIN = envstr("RATELIMIT_LOGIN", "20/m")
RATELIMIT_RECOVERY = envstr("RATELIMIT_RECOVERY", "5/m")
RATELIMIT_REGISTRATION = envstr("RATELIMIT_REGISTRATION", "10/m")
RATELIMIT_IP_META_KEY = envstr("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
PERSONAL_MESSAGE_MAX_LENGTH = 20

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = LOCAL or DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not LOCAL
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if not LOCAL and not envstr("REDIS_URL"):
    raise ImproperlyConfigured("REDIS_URL is not set: rate limits need a cache shared by all workers.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": envstr("REDIS_URL")}
        if envstr("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security headers. Framing is denied everywhere; the challenge and 3DS Method views opt out.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = envbool("HTTPS", not LOCAL)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 30 * 60)

# E-mail: console locally, SMTP when EMAIL_HOST is set.
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", required=False)
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", bool(EMAIL_HOST))
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "sandbox.mail.SandboxMailboxBackend"
    if SANDBOX_ENABLED
    else "django.core.mail.backends.console.EmailBackend",
)
# Mail carries temporary passwords: production needs a real sender, not a fallback that shows
# them (the console writes them to the logs, the sandbox mailbox to a web page). EMAIL_BACKEND
# alone may name a service with its own API.
if not LOCAL and (
    not (EMAIL_HOST or envstr("EMAIL_BACKEND"))
    or EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
):
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set: in production, mail (temporary passwords among it) needs an SMTP server "
        "or an EMAIL_BACKEND that sends it, never the console."
    )
SUPPORT_PHONE = envstr("SUPPORT_PHONE", "0120-000-000")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "My Net+ <no-reply@mynet.example.jp>")

# ACS identity and protocol knobs.
ACS_BASE_URL = envstr("ACS_BASE_URL", "http://127.0.0.1:8000" if LOCAL else "")
ACS_REFERENCE_NUMBER = envstr("ACS_REFERENCE_NUMBER", "ACS_REF_MYNET_TEST")
ACS_OPERATOR_ID = envstr("ACS_OPERATOR_ID", "ACS-OP-MYNET")
ACS_AREQ_MAX_BYTES = envint("ACS_AREQ_MAX_BYTES", 64 * 1024)
# In production mutual TLS ends at the reverse proxy, which passes the verified client
# certificate's subject in this header; DS_ALLOW_UNAUTHENTICATED is for local runs only.
DS_CLIENT_SUBJECT_HEADER = envstr("DS_CLIENT_SUBJECT_HEADER", "HTTP_X_SSL_CLIENT_S_DN")
DS_ALLOW_UNAUTHENTICATED = envbool("DS_ALLOW_UNAUTHENTICATED", LOCAL)
RISK_CHALLENGE_AMOUNT_JPY = envint("RISK_CHALLENGE_AMOUNT_JPY", 100_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# RReq delivery to the Directory Server (reference §4): 5 s read timeout; retry at once after a
# connection failure, then every 10 s until delivered. mTLS client certificate in production.
RREQ_CONNECT_TIMEOUT = envint("RREQ_CONNECT_TIMEOUT", 3)
RREQ_READ_TIMEOUT = envint("RREQ_READ_TIMEOUT", 5)
RREQ_RETRY_SECONDS = envint("RREQ_RETRY_SECONDS", 10)
RREQ_CLIENT_CERT = envstr("RREQ_CLIENT_CERT")
RREQ_CLIENT_KEY = envstr("RREQ_CLIENT_KEY")
RREQ_CA_BUNDLE = envstr("RREQ_CA_BUNDLE")

# SMS: "outbox" stores and prints each message (the sandbox phone inbox shows them); "twilio"
# sends through Twilio's Messages API.
SMS_BACKEND = envstr("SMS_BACKEND", "outbox")
SMS_DAILY_CAP_PER_PHONE = envint("SMS_DAILY_CAP_PER_PHONE", 10)
TWILIO_ACCOUNT_SID = envstr("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = envsecret("TWILIO_AUTH_TOKEN", required=SMS_BACKEND == "twilio")
TWILIO_FROM_NUMBER = envstr("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = envstr("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_API_BASE_URL = envstr("TWILIO_API_BASE_URL")  # empty: Twilio's own; tests point it at a local server
TWILIO_TIMEOUT = envint("TWILIO_TIMEOUT", 5)
TWILIO_STATUS_CALLBACK_URL = envstr(
    "TWILIO_STATUS_CALLBACK_URL", f"{ACS_BASE_URL}/sms/twilio/status" if ACS_BASE_URL else ""
)

# Challenge (reference §4) and one-time passwords.
OTP_VALIDITY_SECONDS = envint("OTP_VALIDITY_SECONDS", 300)
OTP_MAX_ATTEMPTS = envint("OTP_MAX_ATTEMPTS", 3)
OTP_RESEND_COOLDOWN_SECONDS = envint("OTP_RESEND_COOLDOWN_SECONDS", 30)
OTP_MAX_RESENDS = envint("OTP_MAX_RESENDS", 3)
OTP_THROTTLE_FACTOR = envint("OTP_THROTTLE_FACTOR", 1)
CHALLENGE_INACTIVITY_SECONDS = envint("CHALLENGE_INACTIVITY_SECONDS", 600)
CHALLENGE_FIRST_CREQ_SECONDS = envint("CHALLENGE_FIRST_CREQ_SECONDS", 30)

# --- Risk analysis ---
# Pseudonymised history is deleted after this many days (manage.py purge_risk_data).
RISK_RETENTION_DAYS = envint("RISK_RETENTION_DAYS", 180)
# How long a worker keeps the active rule set before reading it again.
RISK_RULESET_CACHE_SECONDS = envint("RISK_RULESET_CACHE_SECONDS", 5)
# "internal" (no call) or "http": an external HTTP JSON risk provider, consulted on every AReq.
RISK_PROVIDER = envstr("RISK_PROVIDER", "internal")
RISK_PROVIDER_URL = envstr("RISK_PROVIDER_URL")
RISK_PROVIDER_TIMEOUT_MS = envint("RISK_PROVIDER_TIMEOUT_MS", 300)
RISK_PROVIDER_BREAKER_FAILURES = envint("RISK_PROVIDER_BREAKER_FAILURES", 5)
RISK_PROVIDER_BREAKER_OPEN_SECONDS = envint("RISK_PROVIDER_BREAKER_OPEN_SECONDS", 30)
if RISK_PROVIDER not in ("internal", "http"):
    raise ImproperlyConfigured(f"RISK_PROVIDER must be internal or http, got {RISK_PROVIDER!r}")
if RISK_PROVIDER == "http" and not RISK_PROVIDER_URL:
    raise ImproperlyConfigured("RISK_PROVIDER=http needs RISK_PROVIDER_URL")
# "wall", or "purchase_date" for the traffic simulator (the AReq's purchaseDate is "now"): local only.
RISK_CLOCK = envstr("RISK_CLOCK", "wall")
if RISK_CLOCK not in ("wall", "purchase_date") or (RISK_CLOCK != "wall" and not LOCAL):
    raise ImproperlyConfigured(
        f"RISK_CLOCK must be wall (purchase_date only with APP_ENV=local), got {RISK_CLOCK!r}"
    )
# --- End of risk analysis ---
