"""Settings for the helpdesk server; every deployment choice comes from the environment."""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DESK_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    """Read a boolean environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name, default):
    """Read a number of seconds (or any decimal) from an environment variable."""
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name, default):
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _kept_secret(variable, filename, make):
    """The configured secret, or one generated once and kept under var/ for the one-machine default."""
    configured = os.environ.get(variable)
    if configured:
        return configured
    path = VAR_DIR / filename
    if not path.exists():
        # O_EXCL so that two workers starting together cannot write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
    return path.read_text().strip()


SECRET_KEY = _kept_secret("DJANGO_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
# API keys are stored encrypted with this key (32 url-safe base64 bytes, as `Fernet.generate_key()` makes);
# the old ones still decrypt until `manage.py rotate_key_encryption` has moved every key to the current one.
DESK_KEY_ENCRYPTION_KEY = _kept_secret(
    "DESK_KEY_ENCRYPTION_KEY", "key_encryption_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
)
DESK_KEY_ENCRYPTION_OLD_KEYS = env_list("DESK_KEY_ENCRYPTION_OLD_KEYS", "")
# One switch for a production host behind a TLS-terminating proxy: everything below that HTTPS needs.
DESK_PRODUCTION = env_bool("DESK_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG") and not DESK_PRODUCTION
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
DESK_BEHIND_PROXY = DESK_PRODUCTION or env_bool("DJANGO_BEHIND_PROXY")
if DESK_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if DESK_PRODUCTION:
    SECURE_SSL_REDIRECT = True
    # Load balancers and scrapers probe these over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("DESK_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DESK_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only a directive: the site joins browsers' preload lists when its owner submits it.
    SECURE_HSTS_PRELOAD = env_bool("DESK_HSTS_PRELOAD", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "desk.core",
    "desk.api",
    "desk.users",
    "desk.branches",
    "desk.tickets",
    "desk.comments",
    "desk.attachments",
    "desk.importer",
    "desk.events",
    "desk.webhooks",
    "desk.notifications",
    "wsse_auth",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost, so that the request id, the log line and the metrics cover every answer, errors included.
    "diamantedesk.request_log.RequestLogMiddleware",
    "diamantedesk.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "desk.api.middleware.BodySizeLimitMiddleware",
    "desk.api.middleware.OutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Events name who made a change: the admin's session user, or the API's WSSE principal.
    "desk.events.middleware.EventContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "diamantedesk.urls"
WSGI_APPLICATION = "diamantedesk.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An admin's own templates (notifications/event.txt, ...) come first when DESK_TEMPLATE_DIR is set.
        "DIRS": [os.environ["DESK_TEMPLATE_DIR"]] if os.environ.get("DESK_TEMPLATE_DIR") else [],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'desk.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable or dead server is noticed in seconds (then 503), not after the kernel's minutes.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3),
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 2,
        "tcp_user_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3) * 1000,
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # The stock backend, with a health check of reused connections that needs no `SELECT 1` round trip.
    DATABASES["default"]["ENGINE"] = "desk.core.db.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, not memory, so that tests can share it with a second process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # Several gunicorn workers share the file: WAL lets readers run beside a writer, IMMEDIATE
    # transactions take the write lock up front instead of failing halfway, and the timeout waits for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds any Redis call may take before the store counts as down; once down, it answers "unavailable"
# at once, and a thread of its own PINGs Redis every WSSE_REDIS_PAUSE seconds until it answers again.
WSSE_REDIS_TIMEOUT = env_float("WSSE_REDIS_TIMEOUT", 0.5)
WSSE_REDIS_PAUSE = env_float("WSSE_REDIS_PAUSE", 1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": WSSE_REDIS_TIMEOUT, "socket_timeout": WSSE_REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "users.User"
# Admin messages can carry a new API key; keep them on the server, not in a signed cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Django's default first: a staff user imported from DiamanteDesk logs in with the Oro hash once, and
# Django then stores the password with the default hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "desk.users.hashers.OroSHA512PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("DESK_MEDIA_ROOT", VAR_DIR / "media"))
# Attachments live on local disk by default; with a bucket, in S3-compatible storage that every host shares.
# Credentials come from boto3's usual sources: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an instance role.
DESK_S3_BUCKET = os.environ.get("DESK_S3_BUCKET", "")
if DESK_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DESK_S3_BUCKET,
            "endpoint_url": os.environ.get("DESK_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DESK_S3_REGION") or None,
            "location": os.environ.get("DESK_S3_PREFIX", ""),
            "addressing_style": os.environ.get("DESK_S3_ADDRESSING_STYLE") or None,
            # Downloads go through the app; a large object spills to a temporary file, not memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["wsse_auth.authentication.WSSEAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["desk.api.permissions.DeskPermission"],
    "DEFAULT_RENDERER_CLASSES": ["desk.api.renderers.DeskJSONRenderer", "desk.api.renderers.DeskXMLRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "desk.api.parsers.DeskJSONParser",
        "desk.api.parsers.DeskXMLParser",
        "desk.api.parsers.PHPFormParser",
        "desk.api.parsers.PHPMultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "desk.api.negotiation.DeskContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "desk.api.pagination.DeskPagination",
    "DEFAULT_FILTER_BACKENDS": ["desk.api.filtering.DeskFilterBackend", "desk.api.filtering.SortBackend"],
    "EXCEPTION_HANDLER": "desk.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["desk.api.ratelimits.ApiKeyRateThrottle"],
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S%z",
    "UNICODE_JSON": True,
    "FORMAT_SUFFIX_KWARG": "format",
    "DEFAULT_SCHEMA_CLASS": "desk.openapi.autoschema.DeskAutoSchema",
}

# The OpenAPI document at /api/schema and its Swagger UI at /api/doc, with assets served from here.
SPECTACULAR_SETTINGS = {
    "TITLE": "DiamanteDesk REST API",
    "VERSION": "v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["desk.openapi.document.preprocess_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "desk.openapi.document.postprocess_schema",
    ],
    "SORT_OPERATIONS": "desk.openapi.document.operation_order",
    "SORT_OPERATION_PARAMETERS": False,
    "GET_MOCK_REQUEST": "desk.openapi.document.mock_request",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validatorUrl: Swagger UI would otherwise load a badge from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "filter": True,
        "docExpansion": "none",
        "validatorUrl": None,
    },
}

# The API's own knobs; see .env.example.
DESK_PAGE_SIZE = 25
DESK_MAX_PAGE_SIZE = env_int("DESK_MAX_PAGE_SIZE", 1000)
# Key of the branch a ticket created without `branch` goes to, unless a branch is marked default.
DESK_DEFAULT_BRANCH = os.environ.get("DESK_DEFAULT_BRANCH", "")
DESK_MAX_BODY_BYTES = env_int("DESK_MAX_BODY_BYTES", 30 * 1024 * 1024)
# Requests that cannot carry attachments (everything but the creates that take attachmentsInput).
DESK_MAX_PLAIN_BODY_BYTES = env_int("DESK_MAX_PLAIN_BODY_BYTES", 1024 * 1024)
DESK_ATTACHMENT_MAX_BYTES = env_int("DESK_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DESK_ATTACHMENT_MAX_FILES = env_int("DESK_ATTACHMENT_MAX_FILES", 10)
# Larger images are stored without a thumbnail rather than decoded (decompression bombs).
DESK_THUMBNAIL_MAX_PIXELS = env_int("DESK_THUMBNAIL_MAX_PIXELS", 50_000_000)
# What one request may decode for thumbnails, all its images together; the rest are stored without one.
DESK_THUMBNAIL_REQUEST_PIXELS = env_int("DESK_THUMBNAIL_REQUEST_PIXELS", 50_000_000)
DESK_THUMBNAIL_REQUEST_FILES = env_int("DESK_THUMBNAIL_REQUEST_FILES", 10)
# Off by default, as the original's unauthenticated links are what existing clients keep and share.
DESK_SIGNED_DOWNLOADS = env_bool("DESK_SIGNED_DOWNLOADS")
DESK_DOWNLOAD_TOKEN_LIFETIME = env_int("DESK_DOWNLOAD_TOKEN_LIFETIME", 3600)
# Answers of writes sent with an Idempotency-Key are kept this long (seconds); a claim whose request
# never finished (its worker died before the commit) may be taken over by a retry after the second value.
DESK_IDEMPOTENCY_LIFETIME = env_int("DESK_IDEMPOTENCY_LIFETIME", 24 * 3600)
DESK_IDEMPOTENCY_ABANDONED_AFTER = env_int("DESK_IDEMPOTENCY_ABANDONED_AFTER", 120)
DESK_IDEMPOTENCY_PURGE_ONE_IN = env_int("DESK_IDEMPOTENCY_PURGE_ONE_IN", 200)
# Opt-in rate limits (0: none): requests per API key (an API key's own limit, set in the admin, wins),
# and failed authentications per client address, each per DESK_RATE_LIMIT_PERIOD seconds.
DESK_RATE_LIMIT = env_int("DESK_RATE_LIMIT", 0)
DESK_AUTH_FAILURE_LIMIT = env_int("DESK_AUTH_FAILURE_LIMIT", 0)
DESK_RATE_LIMIT_PERIOD = env_int("DESK_RATE_LIMIT_PERIOD", 60)
# Key prefix of those token buckets (and the admin's login allowance) in Redis.
DESK_BUCKET_PREFIX = os.environ.get("DESK_BUCKET_PREFIX", "desk:bucket:")
# Failed admin logins allowed per client address and per username in a period (seconds), then a pause.
DESK_ADMIN_LOGIN_ATTEMPTS = env_int("DESK_ADMIN_LOGIN_ATTEMPTS", 10)
DESK_ADMIN_LOGIN_PERIOD = env_int("DESK_ADMIN_LOGIN_PERIOD", 900)
WSSE_LIFETIME = env_int("WSSE_LIFETIME", 300)
WSSE_SKEW = env_int("WSSE_SKEW", 300)
WSSE_NONCE_STORE = "redis" if REDIS_URL else "database"

# Multipart bodies are checked by DESK_MAX_BODY_BYTES; Django's own form limits follow it.
DATA_UPLOAD_MAX_MEMORY_SIZE = DESK_MAX_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Larger uploads spill here while a request runs; under gunicorn each worker has a folder of its own
# inside, removed when the worker ends (diamantedesk/gunicorn_conf.py), so a killed one leaves nothing.
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(exist_ok=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "diamantedesk.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # desk.requests writes ready JSON lines; nothing may be put around them.
        "json_line": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
        "json_lines": {"class": "logging.StreamHandler", "formatter": "json_line"},
    },
    "loggers": {"desk.requests": {"handlers": ["json_lines"], "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
# When set, /metrics answers only requests with `Authorization: Bearer <token>`.
DESK_METRICS_TOKEN = os.environ.get("DESK_METRICS_TOKEN", "")
WSSE_NONCE_PREFIX = os.environ.get("WSSE_NONCE_PREFIX", "wsse:nonce:")
WSSE_NONCE_PURGE_ONE_IN = env_int("WSSE_NONCE_PURGE_ONE_IN", 200)

# Events (README, "Events"): how long the log keeps them, and the task queue the workers read.
DESK_EVENT_RETENTION_DAYS = env_int("DESK_EVENT_RETENTION_DAYS", 30)
TASKS = {"default": {"BACKEND": os.environ.get("DESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Webhooks: seconds one POST may take, attempts in all, and the first retry's delay (doubling after).
DESK_WEBHOOK_TIMEOUT = env_float("DESK_WEBHOOK_TIMEOUT", 10)
DESK_WEBHOOK_MAX_ATTEMPTS = env_int("DESK_WEBHOOK_MAX_ATTEMPTS", 12)
DESK_WEBHOOK_RETRY_BASE_SECONDS = env_float("DESK_WEBHOOK_RETRY_BASE_SECONDS", 30)
# Private, loopback and link-local webhook URLs are refused unless this is true (a scanner otherwise).
DESK_WEBHOOK_ALLOW_PRIVATE = env_bool("DESK_WEBHOOK_ALLOW_PRIVATE", False)
# E-mail notifications (off unless DESK_MAIL_NOTIFICATIONS): Django's backends, SMTP by default; the
# console or file backend (EMAIL_FILE_PATH) serve one machine.
DESK_MAIL_NOTIFICATIONS = env_bool("DESK_MAIL_NOTIFICATIONS", False)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Support <support@localhost>")
# The host part of the Message-IDs that thread a ticket's messages.
DESK_MAIL_DOMAIN = os.environ.get("DESK_MAIL_DOMAIN", "desk.localhost")
DESK_MAIL_MAX_ATTEMPTS = env_int("DESK_MAIL_MAX_ATTEMPTS", 6)
DESK_MAIL_RETRY_BASE_SECONDS = env_float("DESK_MAIL_RETRY_BASE_SECONDS", 60)
