"""Settings for the partner-termination desk.

One module, configured by environment variables with safe development defaults.
Nonsense values fail loudly at start-up instead of misbehaving later.
"""

import base64
import hashlib
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.storage_url import storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

# Keys for values encrypted at rest (a creator's ID number): Fernet keys, comma-separated, the
# first encrypts and every one decrypts (list a new key first to rotate, keep the old ones after
# it). Make one with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
# Backups are useless without it: keep it with them. In development only, a key is derived from
# SECRET_KEY; in production a system check (partners.E001) fails without one.
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEY")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode("ascii"))) != 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key "
            "(32 bytes, URL-safe base64)."
        ) from None
if not FIELD_ENCRYPTION_KEYS and DEBUG:
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"field-encryption:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "core",
    "partners",
    "terminations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default (zero setup); PostgreSQL through DATABASE_URL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
# How many reverse proxies in front of the desk append to X-Forwarded-For (core/net.py): 0 takes
# REMOTE_ADDR as the client, as when gunicorn faces the network itself.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Nothing serves MEDIA_URL: every stored file is downloaded through a role-checked view
# (core/downloads.py). The address only names the files for Django's storage API.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Where uploads and issued letters are stored: DJANGO_STORAGE_URL. Empty (the default, and what
# `make run` uses) is the local folder MEDIA_ROOT; several hosts share one S3-compatible bucket
# (MinIO, Ceph RGW, Alibaba OSS or Tencent COS in S3 mode, AWS S3):
#   s3://BUCKET[/PREFIX]?endpoint_url=https://minio.internal:9000&region=cn-north-1
# with the keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or any other way boto3 finds them).
STORAGES = {
    "default": storage_from_url(env_str("DJANGO_STORAGE_URL"), setting="DJANGO_STORAGE_URL"),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# With the local folder, the web server may send a download's bytes after the desk's check:
# "x-accel-redirect" (nginx: an `internal` location at DJANGO_DOWNLOAD_ACCEL_PREFIX aliased to
# MEDIA_ROOT) or "x-sendfile" (Apache mod_xsendfile). Empty: Django streams the file itself.
DOWNLOAD_SENDFILE = env_str("DJANGO_DOWNLOAD_SENDFILE").strip().lower()
DOWNLOAD_ACCEL_PREFIX = env_str("DJANGO_DOWNLOAD_ACCEL_PREFIX", "/protected-media/")
if DOWNLOAD_SENDFILE not in {"", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured(
        f"DJANGO_DOWNLOAD_SENDFILE={DOWNLOAD_SENDFILE!r} is not x-accel-redirect or x-sendfile."
    )
if DOWNLOAD_SENDFILE and STORAGES["default"]["BACKEND"] != (
    "django.core.files.storage.FileSystemStorage"
):
    raise ImproperlyConfigured(
        "DJANGO_DOWNLOAD_SENDFILE works with the local folder only, not with DJANGO_STORAGE_URL."
    )
if not DOWNLOAD_ACCEL_PREFIX.startswith("/"):
    raise ImproperlyConfigured("DJANGO_DOWNLOAD_ACCEL_PREFIX must start with '/'.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640


# --- E-mail -------------------------------------------------------------------------------
# Django 6.1's MAILERS. EMAIL_URL (smtp://user:pass@host:587?tls=1, smtps://…, console://,
# locmem://) or the usual EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS.
_MAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def mailer_from_url(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme not in _MAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of {sorted(_MAIL_BACKENDS)}."
        )
    mailer: dict[str, object] = {"BACKEND": _MAIL_BACKENDS[parts.scheme]}
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        mailer["OPTIONS"] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp" and query.get("tls", ["0"])[0] in {"1", "true"},
        }
    return mailer


if env_str("EMAIL_URL"):
    _default_mailer = mailer_from_url(env_str("EMAIL_URL"))
elif env_str("EMAIL_HOST"):
    _default_mailer = {
        "BACKEND": _MAIL_BACKENDS["smtp"],
        "OPTIONS": {
            "host": env_str("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
        },
    }
else:
    _default_mailer = {"BACKEND": _MAIL_BACKENDS["console" if DEBUG else "smtp"]}
    if not DEBUG:
        _default_mailer["OPTIONS"] = {"host": "localhost", "port": 25}
# Letters e-mailed from the desk go through the same server with a backend of our own that
# keeps the server's replies to the transaction (the dispatch evidence); other backends
# (console, locmem) are used as they are.
_letters_mailer = dict(_default_mailer)
if _letters_mailer["BACKEND"] == _MAIL_BACKENDS["smtp"]:
    _letters_mailer["BACKEND"] = "core.mail.EvidenceSMTPBackend"
    _letters_mailer["OPTIONS"] = {
        **_letters_mailer.get("OPTIONS", {}),
        "timeout": env_int("TERMINATIONS_LETTER_EMAIL_TIMEOUT_SECONDS", 60),
    }
MAILERS = {"default": _default_mailer, "letters": _letters_mailer}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "termination-desk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Caches -------------------------------------------------------------------------------
# "shared" is seen by every process (the partner page's rate limit): the database, no new server.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "desk_shared_cache",
    },
}

# --- Background tasks ---------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Forms --------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging to stdout --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors": {"()": "core.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": sys.stdout,
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Once, through our handler: Django's own console handler would print each record again.
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Domain settings ----------------------------------------------------------------------
# The last year whose official holiday arrangement the `holidays` package carries; later years
# come from the arrangement a manager enters in the admin, or are a best estimate (statutory days
# certain, make-up days estimated). Raise it when a new `holidays` release carries the next year:
# the daily reminder run then re-checks every open case's end date.
HOLIDAYS_CONFIRMED_THROUGH = env_int("TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH", 2026)
# Art. 564 ¶2: the "reasonable period" after the partner demands a decision, after which the
# shop's right to terminate lapses. The law names no number; this is a judgement, shown as one.
DECISION_DEMAND_REASONABLE_DAYS = env_int("TERMINATIONS_DECISION_DEMAND_REASONABLE_DAYS", 30)
# Days after an order's receipt before Douyin settles a creator's commission (no fixed public figure).
COMMISSION_SETTLEMENT_DAYS = env_int("TERMINATIONS_COMMISSION_SETTLEMENT_DAYS", 15)
# Days a letter may take to arrive, per delivery method: a termination date a letter fixes must
# be no earlier than the rule's end for a dispatch on the day of issue arriving after the
# slowest channel the partner can be reached by (DOMAIN.md §6).
DELIVERY_BUFFER_DAYS = {
    "courier": env_int("TERMINATIONS_DELIVERY_BUFFER_COURIER_DAYS", 5),
    "email": env_int("TERMINATIONS_DELIVERY_BUFFER_EMAIL_DAYS", 1),
    "platform": env_int("TERMINATIONS_DELIVERY_BUFFER_MESSAGING_DAYS", 1),
    "in_person": 0,
}
# Days after dispatch with no recorded arrival before the owner is reminded.
ARRIVAL_REMINDER_DAYS = env_int("TERMINATIONS_ARRIVAL_REMINDER_DAYS", 5)
# Optional group webhook (WeCom, DingTalk or Feishu) for reminders.
REMINDER_WEBHOOK_URL = env_str("TERMINATIONS_REMINDER_WEBHOOK_URL")
REMINDER_WEBHOOK_KIND = env_str("TERMINATIONS_REMINDER_WEBHOOK_KIND", "wecom")
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# Letters sent by e-mail (README "Letters sent by e-mail"). The partner's personal link lives
# this many days; what its page records (time, IP address, browser) is kept this many days, then
# the address and browser are erased (PIPL art. 19: no longer than needed; three years covers
# the limitation period of art. 188 of the Civil Code).
PARTNER_LINK_DAYS = env_int("TERMINATIONS_PARTNER_LINK_DAYS", 60)
PARTNER_PAGE_RETENTION_DAYS = env_int("TERMINATIONS_PARTNER_PAGE_RETENTION_DAYS", 3 * 365)
# Requests to partner pages per IP address (and per link) in a window, shared by all processes.
PARTNER_PAGE_RATE_LIMIT = env_int("TERMINATIONS_PARTNER_PAGE_RATE_LIMIT", 30)
PARTNER_PAGE_RATE_WINDOW_SECONDS = env_int("TERMINATIONS_PARTNER_PAGE_RATE_WINDOW_SECONDS", 900)
# A definite failure (refused recipient, authentication) is retried after these delays; then
# the desk gives up and shows it. An unknown outcome is never retried without a manager.
LETTER_EMAIL_RETRY_MINUTES = [
    int(m) for m in env_list("TERMINATIONS_LETTER_EMAIL_RETRY_MINUTES", "5,30,120")
]
# The one-time code of an online acceptance: minutes valid, wrong entries allowed.
ACCEPTANCE_CODE_MINUTES = env_int("TERMINATIONS_ACCEPTANCE_CODE_MINUTES", 30)
ACCEPTANCE_CODE_ATTEMPTS = 5

# --- Signed letters -----------------------------------------------------------------------
# Issued letters are signed (PAdES) with the shop's certificate where there is one: a PKCS#12
# file a manager uploads on the shop profile (stored encrypted with DJANGO_FIELD_ENCRYPTION_KEY),
# or one the operator names here, which then wins over the upload. System check core.E001 says
# when the file named here cannot be opened.
SIGNING_PKCS12_PATH = env_str("DJANGO_SIGNING_PKCS12_PATH").strip()
SIGNING_PKCS12_PASSWORD = env_str("DJANGO_SIGNING_PKCS12_PASSWORD")
# An RFC 3161 time-stamping server: with one, every signature carries its timestamp, and a
# server that fails or does not answer within the timeout refuses the issue.
SIGNING_TIMESTAMP_URL = env_str("DJANGO_SIGNING_TIMESTAMP_URL").strip()
if SIGNING_TIMESTAMP_URL and urlsplit(SIGNING_TIMESTAMP_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(
        f"DJANGO_SIGNING_TIMESTAMP_URL={SIGNING_TIMESTAMP_URL!r} is not an http(s) URL."
    )
SIGNING_TIMESTAMP_TIMEOUT = env_int("DJANGO_SIGNING_TIMESTAMP_TIMEOUT_SECONDS", 10)
if not 1 <= SIGNING_TIMESTAMP_TIMEOUT <= 120:
    raise ImproperlyConfigured("DJANGO_SIGNING_TIMESTAMP_TIMEOUT_SECONDS must be 1 to 120.")
# Certificates (a PEM file) the verification page and verify_letters trust besides the chain in
# the shop's own PKCS#12: e.g. the root of the shop's certificate authority.
SIGNING_TRUST_ROOTS = env_str("DJANGO_SIGNING_TRUST_ROOTS").strip()
