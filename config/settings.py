"""One settings module for every run mode, driven by environment variables.

The embedded default (no variables set beyond DEBUG) runs on SQLite with local
memory cache and mail printed to the console. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY and ALLOWED_HOSTS; see .env.example for the full list.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def refuse_to_start(message: str) -> None:
    # One line on stderr is easier to act on than a traceback.
    raise ImproperlyConfigured(message)


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        refuse_to_start("SECRET_KEY is not set: set it (see .env.example) or set DEBUG=1 for local use.")
    SECRET_KEY = "insecure-local-development-key-only-used-when-DEBUG-is-on"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        refuse_to_start("ALLOWED_HOSTS is not set: list the site's host names (see .env.example) or set DEBUG=1.")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # search lookups; inert on SQLite
    "taggit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "accounts",
    "stories",
    "practices",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.RejectControlCharactersMiddleware",
    "config.middleware.LimitRequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a locked-out log-in into our page (accounts.views.login_locked_out).
    "axes.middleware.AxesMiddleware",
]

# The benchmark swaps in bench/urls.py, which adds its ceiling page to these.
ROOT_URLCONF = os.environ.get("ROOT_URLCONF", "config.urls")
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
                "config.context_processors.chrome",
                "config.app.service_worker",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True),
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A file, not memory, so tests see the same locking as the site: one
            # connection per thread, WAL, busy timeout, IMMEDIATE transactions.
            "TEST": {"NAME": VAR_DIR / "test-db.sqlite3"},
        }
    }

_db = DATABASES["default"]
if os.environ.get("TEST_DATABASE_NAME"):
    # Several checkouts testing against one PostgreSQL server: each names its own test database.
    _db["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
    # at BEGIN so two writers queue on the busy timeout instead of failing with
    # "database is locked" when one of them upgrades a read lock.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **_db.get("OPTIONS", {}),
    }
elif (
    _db["ENGINE"] == "django.db.backends.postgresql"
    and _db.get("HOST") in {"127.0.0.1", "localhost", "::1", ""}
    and "sslmode" not in _db.get("OPTIONS", {})
):
    # TLS on loopback costs a lot of throughput for nothing.
    _db.setdefault("OPTIONS", {})["sslmode"] = "disable"
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Small lists (pillars in a filter) otherwise open a server-side cursor: an extra round trip.
    _db["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Parameters bound by the server, so that psycopg prepares a query the connection has run a few
    # times: PostgreSQL then skips planning it again, which cost more than running most of our queries.
    _db.setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
    _db["OPTIONS"].setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend, loading the signed-in person with their store, unread count and permissions (accounts/backends.py);
# then company sign-in
# (OpenID Connect, accounts/oidc.py), which does nothing unless OIDC_ISSUER, OIDC_CLIENT_ID and
# OIDC_CLIENT_SECRET are set. PASSWORD_LOGIN=0 leaves company sign-in alone on the log-in page.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: it refuses a locked-out log-in
    "accounts.backends.PersonBackend",
    "accounts.oidc.RosterOIDCBackend",
]
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_EMPLOYEE_ID_CLAIM = os.environ.get("OIDC_EMPLOYEE_ID_CLAIM", "employee_id")
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "5"))
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if not PASSWORD_LOGIN and not (OIDC_ISSUER and OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    refuse_to_start("PASSWORD_LOGIN=0 needs company sign-in: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")

# Log-in throttling (django-axes): 10 failures for one name from one address lock that
# pair for 15 minutes from the last failure. By name AND address, so that neither a
# colleague's typos lock a whole store behind one address nor an attacker a person.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failure while locked out does not push the end of the lock further: the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "config.ratelimit.client_ip"
AXES_VERBOSE = False
# Behind a reverse proxy, how many proxies append to X-Forwarded-For (0: use the connection's address).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Cache: Redis when REDIS_URL is set, local memory otherwise. Sessions stay in the
# database so that a Redis outage never logs everyone out.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs must cost a page a fraction of a second, not redis-py's seconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Languages: the browser chooses, the switcher (a cookie) overrides; for a signed-in
# person, the language they chose, else the roster's, else their browser's at their
# last sign-in (accounts.middleware.PersonLanguageMiddleware).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Photos: "local" (MEDIA_ROOT) or "s3" (S3-compatible object storage, below). Either way people
# get them through stories.photo_views, which checks that they may see the story.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE not in {"local", "s3"}:
    refuse_to_start(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
# With local storage behind nginx: the internal location that serves MEDIA_ROOT (deploy/nginx/stories.conf),
# so that Django checks access and nginx sends the bytes. Empty: Django sends them itself.
PHOTOS_X_ACCEL_PREFIX = os.environ.get("PHOTOS_X_ACCEL_PREFIX", "")

# Uploads: a request larger than this is refused before its body is read (config.middleware);
# the proxy's client_max_body_size says the same (deploy/nginx/stories.conf). Each photo has its
# own limit (stories/photos.py).
MAX_REQUEST_MB = int(os.environ.get("MAX_REQUEST_MB", "50"))
# Form fields other than files (Django's own check, which reads as it goes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Files above this go to a temporary file rather than memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Hashed, compressed static files need `collectstatic` first: production and the
# benchmark run it; local runs and the test suite serve the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or "pytest" in sys.modules
            else "config.staticfiles.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG


def s3_storage(environ) -> dict:
    """Photos in an S3-compatible bucket (django-storages), from the S3_* and AWS_* variables.

    Objects stay private (the bucket's default); people get them through a URL signed
    for a few minutes (stories.photo_views).
    """
    if not environ.get("S3_BUCKET"):
        refuse_to_start("MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a non-AWS service).")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["S3_BUCKET"],
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION") or None,
            # None: boto3's own chain (an instance role, ~/.aws) when the variables are not set.
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": environ.get("S3_PREFIX", ""),
            # "path" for services that do not resolve bucket.host names (MinIO, moto); empty: boto3's choice.
            "addressing_style": environ.get("S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }


def s3_origins(environ) -> list[str]:
    """Where signed photo URLs point (for the CSP): the endpoint, with or without the bucket as a sub-domain."""
    endpoint = environ.get("S3_ENDPOINT_URL")
    if not endpoint:
        return ["https://*.amazonaws.com"]
    parts = urlsplit(endpoint)
    return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]


if MEDIA_STORAGE == "s3":
    STORAGES["default"] = s3_storage(os.environ)

TAGGIT_CASE_INSENSITIVE = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: SMTP when EMAIL_HOST is set, printed to the console otherwise.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Service Stories <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background tasks (Django's tasks framework): the weekly digest. The embedded default
# runs each task at once, in the process that enqueues it; production sets
# TASKS_BACKEND=database to keep them in a table (django-tasks-db) that survives a
# restart, and runs `python manage.py db_worker` beside the web processes.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    refuse_to_start(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

# A person's data (export and erasure, accounts/personal_data.py): the apps' parts, in the order they run.
# accounts imports neither stories nor practices; it finds their parts here.
PERSONAL_DATA_MODULES = ["stories.personal_data", "practices.personal_data"]

# The HR roster's largest file (accounts/roster_file.py).
ROSTER_MAX_BYTES = int(os.environ.get("ROSTER_MAX_BYTES", str(10 * 1024 * 1024)))

# Web Push (accounts/push.py): notifications sent to the phones that opted in, when both VAPID keys are set
# (`python -c "from py_vapid import Vapid; ..."`, README "Web push"). VAPID_SUBJECT: a mailto: or https: contact
# for the push services. WEB_PUSH_HTTP_ENDPOINTS lets tests use a push endpoint on loopback (never in production).
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:no-reply@localhost")
WEB_PUSH = bool(VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY)
WEB_PUSH_HTTP_ENDPOINTS = False

# The site's address as people type it, for the links in e-mails (no request to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. HTTPS_ONLY defaults to on outside DEBUG; a deployment that terminates
# TLS at a proxy sets SECURE_PROXY_SSL_HEADER through PROXY_SSL_HEADER=1.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
if env_bool("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Photos in object storage load from its signed URLs.
    "img-src": [CSP.SELF, "data:", "blob:", *(s3_origins(os.environ) if MEDIA_STORAGE == "s3" else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Logs go to stderr: plain lines, or one JSON object per line with LOG_FORMAT=json (for a log
# collector). Each line carries the request's id (X-Request-ID from nginx, or a new one).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_traceback_below_500": {"()": "config.logging.NoTracebackBelow500"},
        "request_id": {"()": "config.logging.RequestIdFilter"},
    },
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # A refused request (403, 400) is one line, not a traceback.
            "filters": ["request_id", "no_traceback_below_500"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Errors to Sentry when SENTRY_DSN is set: unhandled exceptions and error-level log lines, with no
# personal data (no cookies, no user, no IP address, no request body).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
