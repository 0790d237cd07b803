"""Fanxing settings: one file, every knob an environment variable.

The embedded default (SQLite, in-process jobs, files under ./var) needs no variable at all.
The production profile sets FANXING_DATABASE_URL, FANXING_SECRET_KEY, FANXING_DEBUG=0 and
FANXING_ALLOWED_HOSTS; see docs/deployment.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FANXING_DATA_DIR", BASE_DIR.parent / "var")).resolve()

DEBUG = envbool("FANXING_DEBUG", True)
# The fallback key is only for the embedded default on a laptop; check --deploy flags it.
SECRET_KEY = os.environ.get("FANXING_SECRET_KEY", "django-insecure-fanxing-embedded-default-key")
ALLOWED_HOSTS = envlist("FANXING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("FANXING_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its Swagger UI assets, served from here rather than a CDN (/api/v1/docs)
    "axes",
    "fanxing.core",
    "fanxing.accounts",
    "fanxing.achievements",
    "fanxing.demands",
    "fanxing.matching",
    "fanxing.managers",
    "fanxing.deals",
    "fanxing.events",
    "fanxing.competitions",
    "fanxing.poc",
    "fanxing.platforms",
    "fanxing.reports",
]

MIDDLEWARE = [
    "fanxing.core.requestlog.RequestLogMiddleware",  # first: it times and logs the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fanxing.urls"
WSGI_APPLICATION = "fanxing.wsgi.application"

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
                "fanxing.core.context_processors.platform",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("FANXING_DATABASE_URL", f"sqlite:///{DATA_DIR / 'fanxing.sqlite3'}"),
        conn_max_age=envint("FANXING_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,  # a kept connection is checked before reuse: after a database restart
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if envbool("FANXING_FAST_HASHER", False):  # the test suite only: hashing is not what it tests
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login rate limit (django-axes): five failures for a username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = envint("FANXING_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (1: nginx; 2: a load balancer and
# nginx); the login lock then counts by the client's address, not the proxy's (fanxing/core/clientip.py).
FANXING_PROXY_COUNT = envint("FANXING_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "fanxing.core.clientip.client_ip"

FORMS_URLFIELD_ASSUME_HTTPS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `fanxing collectstatic` writes here; WhiteNoise serves it in the production profile.
STATIC_ROOT = Path(os.environ.get("FANXING_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: workbooks up to 20 MB; larger ones are refused with a clear message.
FANXING_MAX_UPLOAD_BYTES = envint("FANXING_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# An xlsx is a zip: what it may unpack to (a few kilobytes can unpack to gigabytes).
FANXING_MAX_UNZIPPED_BYTES = envint("FANXING_MAX_UNZIPPED_BYTES", 300 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background jobs (docs/jobs.md): "thread" runs them in-process after commit (embedded default);
# "sync" runs them inline (tests, CLI); "rq" queues them on Redis for `fanxing worker` processes.
FANXING_JOBS = os.environ.get("FANXING_JOBS", "thread")
# Redis (redis://host:6379/0): the job queue when FANXING_JOBS=rq, and Django's cache whenever it is set.
FANXING_REDIS_URL = os.environ.get("FANXING_REDIS_URL", "").strip()
# Names the queue and starts every key of this platform on Redis, so several can share one server.
FANXING_REDIS_PREFIX = os.environ.get("FANXING_REDIS_PREFIX", "fanxing")
FANXING_JOBS_TIMEOUT = envint("FANXING_JOBS_TIMEOUT", 3600)  # seconds before a running job is stopped
FANXING_JOBS_ASYNC = True  # the test suite sets False: queued jobs then run through Redis in its own process
if FANXING_JOBS not in ("sync", "thread", "rq") or (FANXING_JOBS == "rq" and not FANXING_REDIS_URL):
    raise ImproperlyConfigured("FANXING_JOBS is sync, thread or rq, and rq needs FANXING_REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": FANXING_REDIS_URL,
        "KEY_PREFIX": FANXING_REDIS_PREFIX,
    }
    if FANXING_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Production profile hardening; check --deploy is clean when FANXING_DEBUG=0.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("FANXING_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer probes the nodes over plain HTTP: the probes answer rather than redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("FANXING_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = os.environ.get("FANXING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("FANXING_FROM_EMAIL", "繁星平台 <noreply@fanxing.local>")
EMAIL_HOST = os.environ.get("FANXING_EMAIL_HOST", "localhost")  # the SMTP relay, with the smtp backend
EMAIL_PORT = envint("FANXING_EMAIL_PORT", 25)
EMAIL_TIMEOUT = 30  # seconds: a stalled relay fails the task (retried later), never a worker for good

# Logs go to stderr: JSON lines in the production profile (one object a record, python-json-logger), text
# in the embedded default. fanxing.core.requestlog writes one record per request (INFO; 4xx WARNING, 5xx
# ERROR with the exception), so the production profile logs INFO and django.request's duplicates are off.
FANXING_LOG_FORMAT = os.environ.get("FANXING_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": FANXING_LOG_FORMAT},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("FANXING_LOG_LEVEL", "WARNING" if DEBUG else "INFO"),
    },
    "loggers": {"django.request": {"handlers": ["null"], "propagate": False}},
}

FANXING_PAGE_SIZE = 20
# A lead with no activity or stage change for this many days is flagged as stale (待跟进).
FANXING_LEAD_STALE_DAYS = envint("FANXING_LEAD_STALE_DAYS", 14)
# Matching index snapshots (one folder per library and version); every process loads the newest.
FANXING_INDEX_DIR = Path(os.environ.get("FANXING_INDEX_DIR", DATA_DIR / "index"))
# Optional dense vectors for matching: a local sentence-transformers model folder (needs the dense extra);
# empty, the default, means none. See docs/architecture.md, "Dense vectors".
FANXING_DENSE_MODEL = os.environ.get("FANXING_DENSE_MODEL", "").strip()
# Where matching searches (docs/search-backends.md): "engine", the engine's own index (the default), or
# "milvus": the Milvus at FANXING_MILVUS_URI, a server (http://host:19530) or a milvus-lite file (default
# DATA_DIR/milvus.db, one machine); needs the milvus extra. Collections' names start with the prefix.
FANXING_SEARCH_BACKEND = os.environ.get("FANXING_SEARCH_BACKEND", "").strip() or "engine"
FANXING_MILVUS_URI = os.environ.get("FANXING_MILVUS_URI", "").strip() or str(DATA_DIR / "milvus.db")
FANXING_MILVUS_PREFIX = os.environ.get("FANXING_MILVUS_PREFIX", "").strip() or "fanxing"
# seconds to wait for a connection to Milvus: a search (and /readyz) waits this long when Milvus is away
FANXING_MILVUS_TIMEOUT = float(os.environ.get("FANXING_MILVUS_TIMEOUT", "10"))
FANXING_SITE_NAME = "繁星汇 · 科技成果转化平台"
# The address links in emails start with (no trailing slash).
FANXING_SITE_URL = os.environ.get("FANXING_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
