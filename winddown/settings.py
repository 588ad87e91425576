"""Django settings for Winddown.

Everything that differs between a developer's laptop and production comes from the
environment (see README "Production settings"). Without `WINDDOWN_ENV=production` the
platform runs on the embedded defaults: SQLite, in-process cache, development providers
and development keys generated once into `var/dev-secrets.json`.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from winddown.envconfig import env_bool, env_int, env_list, load_dev_secrets

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WINDDOWN_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("WINDDOWN_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("WINDDOWN_DEBUG", default=not PRODUCTION)

_dev_secrets = {} if PRODUCTION else load_dev_secrets(VAR_DIR / "dev-secrets.json")


def _secret(name: str) -> str:
    """A secret from the environment; development falls back to generated local values."""
    value = os.environ.get(name) or _dev_secrets.get(name)
    if not value:
        raise RuntimeError(f"{name} must be set in the environment (see README).")
    return value


SECRET_KEY = _secret("WINDDOWN_SECRET_KEY")
# Personal data keys: "kid:base64key[,kid:base64key...]", the first one encrypts.
PII_ENCRYPTION_KEYS = _secret("WINDDOWN_PII_KEYS")
PII_INDEX_KEY = _secret("WINDDOWN_PII_INDEX_KEY")
# Server-side pepper for voting passwords and one-time codes; never stored in the database.
PASSWORD_PEPPER = _secret("WINDDOWN_PASSWORD_PEPPER")
# The audit log's chain is keyed (HMAC-SHA256, "kid:base64key[,...]", the first one keys new
# entries) and its checkpoints are signed (Ed25519 seed, base64): both kept outside the
# database, so whoever can write to it cannot recompute the chain (audit/keys.py).
AUDIT_KEYS = _secret("WINDDOWN_AUDIT_KEYS")
AUDIT_SIGNING_KEY = _secret("WINDDOWN_AUDIT_SIGNING_KEY")

ALLOWED_HOSTS = env_list("WINDDOWN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("WINDDOWN_CSRF_TRUSTED_ORIGINS", default=[])
# The reverse proxies in front of the platform (addresses or networks): for requests from
# them the client's address is taken from X-Forwarded-For (core/client_address.py).
TRUSTED_PROXIES = env_list("WINDDOWN_TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "ninja",  # the API docs from ninja's own static files, never its CDN templates
    "django_tasks",
    "django_tasks_db",
    "winddown.audit",
    "winddown.accounts",
    "winddown.institutions",
    "winddown.workdays",
    "winddown.identity",
    "winddown.claims",
    "winddown.voting",
    "winddown.reporting",
    "winddown.ledger",
    "winddown.cases",
    "winddown.web",
    "winddown.demo",
]

MIDDLEWARE = [
    "winddown.core.client_address.ClientAddressMiddleware",
    "winddown.core.middleware.BodySizeLimitMiddleware",
    "winddown.core.middleware.ApiContentTypeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "winddown.core.middleware.NulCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

# --- Content-Security-Policy on every response (django-csp) --------------------------------
# Scripts only from this site's own files: no inline script or handler anywhere, nothing
# from another origin (htmx, the API docs and the pages' scripts are all served from
# /static/). Inline styles stay allowed: htmx and the API docs set them, and a style cannot
# run code. A response that sets its own policy (a served document) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "winddown.urls"
WSGI_APPLICATION = "winddown.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite embedded default, PostgreSQL in production and CI ------------------
DATABASE_URL = os.environ.get("WINDDOWN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'winddown.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests get a file database, not Django's shared in-memory one: threads then wait on
    # each other through SQLite's busy timeout, exactly as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"winddown-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets lenders read while an import writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    # Server-side binding lets psycopg prepare a statement after its fifth run on a
    # connection (psycopg's default threshold); PostgreSQL then neither parses nor plans it
    # again: casting a ballot costs PostgreSQL less than half the CPU (bench_casting.py).
    # Off for a pooler that cannot carry prepared statements (PgBouncer < 1.21, transaction
    # pooling).
    if env_bool("WINDDOWN_DB_PREPARED_STATEMENTS", default=True):
        # Added to what the URL's query set (?sslmode=require and the like), not instead.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
if os.environ.get("WINDDOWN_TEST_DATABASE_NAME"):  # parallel test runs on one server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["WINDDOWN_TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: Redis in production, in-process otherwise -----------------------
REDIS_URL = os.environ.get("WINDDOWN_REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # The rate limits on SMS codes and sign-in are counted in the cache; an in-process cache
    # counts in each uWSGI worker apart (3 workers: 180 sign-in tries an hour instead of 60).
    raise RuntimeError(
        "WINDDOWN_REDIS_URL is required in production: rate limits, sessions and the cache "
        "must be shared by every worker (e.g. redis://127.0.0.1:6379/0)."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks: one interface, database queue (no broker needed) ------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("WINDDOWN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:staff-login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Winddown"
# How long a staff enrolment link (set password, bind the authenticator) stays valid.
ENROLMENT_LINK_HOURS = int(os.environ.get("WINDDOWN_ENROLMENT_LINK_HOURS", "72"))

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
if PRODUCTION:
    STATIC_ROOT = VAR_DIR / "static"  # filled by collectstatic, served by WhiteNoise
else:
    WHITENOISE_USE_FINDERS = True  # serve app static files straight from their folders
MEDIA_ROOT = VAR_DIR / "media"
PRIVATE_STORAGE_ROOT = VAR_DIR / "private"

# --- Uploads -----------------------------------------------------------------------------
REGISTER_UPLOAD_MAX_BYTES = env_int("WINDDOWN_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
ATTACHMENT_MAX_BYTES = env_int("WINDDOWN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Every path that takes no file (forms, JSON): core/upload_routes.py lists those that do.
REQUEST_BODY_MAX_BYTES = env_int("WINDDOWN_REQUEST_BODY_MAX_BYTES", 1024 * 1024)
# PDF attachments are shown on phones as page images rendered at upload (about 0.1 s a page).
ATTACHMENT_MAX_PAGE_IMAGES = env_int("WINDDOWN_ATTACHMENT_MAX_PAGE_IMAGES", 100)
# Each PDF is rendered in a child process with at most this much memory and time
# (core/isolation.py): a hostile PDF fails its own upload, never the worker.
RENDER_MEMORY_BYTES = env_int("WINDDOWN_RENDER_MEMORY_BYTES", 1024 * 1024 * 1024)
RENDER_SECONDS = env_int("WINDDOWN_RENDER_SECONDS", 60)
# Each uploaded XLSX is read the same way (core/tabular.py): a million-row sheet needs
# about 1 GB and a minute.
PARSE_MEMORY_BYTES = env_int("WINDDOWN_PARSE_MEMORY_BYTES", 2 * 1024 * 1024 * 1024)
PARSE_SECONDS = env_int("WINDDOWN_PARSE_SECONDS", 600)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Providers for the outside world -----------------------------------------------------
# "dev" works offline (codes in the server log); "http" talks to the production gateway.
SMS_PROVIDER = os.environ.get("WINDDOWN_SMS_PROVIDER", "http" if PRODUCTION else "dev")
IDENTITY_PROVIDER = os.environ.get("WINDDOWN_IDENTITY_PROVIDER", "http" if PRODUCTION else "dev")
# Trusted timestamps of the audit checkpoints (RFC 3161, audit/timestamps.py).
TIMESTAMP_PROVIDER = os.environ.get("WINDDOWN_TIMESTAMP_PROVIDER", "http" if PRODUCTION else "dev")
TSA_URL = os.environ.get("WINDDOWN_TSA_URL", "")
TSA_CERTIFICATES = os.environ.get("WINDDOWN_TSA_CERTIFICATES", "")  # PEM file: the TSA's chain
if PRODUCTION and "dev" in (SMS_PROVIDER, IDENTITY_PROVIDER, TIMESTAMP_PROVIDER):
    # The development providers show every SMS code on the page and pass every liveness
    # check: in production anyone could sign in as any lender.
    raise RuntimeError(
        "WINDDOWN_SMS_PROVIDER, WINDDOWN_IDENTITY_PROVIDER and WINDDOWN_TIMESTAMP_PROVIDER "
        "cannot be 'dev' in production (the dev providers show sign-in codes on the page, pass "
        "every liveness check and timestamp with a key of their own)."
    )
PROVIDER_BASE_URL = os.environ.get("WINDDOWN_PROVIDER_BASE_URL", "")
PROVIDER_APP_ID = os.environ.get("WINDDOWN_PROVIDER_APP_ID", "")
PROVIDER_APP_SECRET = os.environ.get("WINDDOWN_PROVIDER_APP_SECRET", "")
PROVIDER_TIMEOUT_SECONDS = float(os.environ.get("WINDDOWN_PROVIDER_TIMEOUT", "5"))
PROVIDER_RETRIES = env_int("WINDDOWN_PROVIDER_RETRIES", 3)

# Version of the platform agreement lenders accept (平台服务协议).
PLATFORM_AGREEMENT_VERSION = "2026-11"

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the page, not the cookie
X_FRAME_OPTIONS = "DENY"  # nothing of ours is shown in a frame
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("WINDDOWN_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("WINDDOWN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Association reporting: the monthly tables' deadline when 报送办法 ("每月前5个工作日") and
# 报送标准 ("月后10日前") disagree (spec B.6 #1, I-1): both | standard | five_working_days.
REPORTING_MONTHLY_DEADLINE = os.environ.get("WINDDOWN_REPORTING_MONTHLY_DEADLINE", "both")
