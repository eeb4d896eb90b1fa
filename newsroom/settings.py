"""Newsroom settings: one module, driven by environment variables.

Every setting has a safe development default; production (DJANGO_DEBUG off)
fails loudly when something it needs is missing.
"""

import datetime
import email.utils
import os
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from newsroom import languages

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# Production unless told otherwise: a host that forgets the variable must not
# serve tracebacks. `make run` and the test suite set DJANGO_DEBUG=true.
DEBUG = env_bool("DJANGO_DEBUG", False)

DEVELOPMENT_SECRET_KEY = "django-insecure-newsroom-development-only"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Django's own test of a usable key (check --deploy warns about the same):
# long, not trivially repetitive, and not one of its generated development keys.
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters when DJANGO_DEBUG is off, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "newsroom.admin_site.DeskAdminConfig",  # django.contrib.admin, translators landing on their queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Index expressions with an operator class (the admin's trigram search index).
    "django.contrib.postgres",
    "reversion",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "imagekit",
    "newsroom",
    "articles",
]

MIDDLEWARE = [
    # First, so that every response carries the request id and is logged.
    "newsroom.request_log.RequestLogMiddleware",
    # Before host validation and the HTTPS redirect: see newsroom/health.py.
    "newsroom.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and locale: a cached reader page needs neither.
    "newsroom.page_cache.ReaderPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside LocaleMiddleware, so that the 503 page is in the reader's language.
    "newsroom.outage.DatabaseOutageMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
            ],
        },
    },
]

# Connections are kept for DATABASE_CONN_MAX_AGE seconds (0: one per
# request). Behind PgBouncer in transaction mode a connection's next
# transaction may run in another server session, where a cursor that
# iterator() declared does not exist: DATABASE_TRANSACTION_POOLING turns
# server-side cursors off. See docs/deployment.md.
CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)


def database(url, **options):
    config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    config["DISABLE_SERVER_SIDE_CURSORS"] = TRANSACTION_POOLING
    if config["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable database host must fail a request quickly (the 503 page)
        # rather than hold the worker until gunicorn kills it. A DATABASE_URL's
        # ?connect_timeout= wins.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config | options


DATABASES = {"default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'newsroom.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The desk's covering index (articles.Edition, "edition_desk") carries extra
    # columns for PostgreSQL's index-only scans; SQLite builds it without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Read replicas: reader requests read from one of them (newsroom/replicas.py);
# tests read the primary through them.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = database(url, TEST={"MIRROR": "default"})
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(0, "newsroom.replicas.PrimaryWhenWritingMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is away must cost a request milliseconds, not the default seconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Anonymous reader pages are cached whole, keyed by the content version
# (newsroom/page_cache.py), so a change is visible on the very next request.
# 0 turns the cache off (the benchmark's "cold" pages).
PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "3600"))
# What browsers and CDNs may keep without asking again; they revalidate with ETags.
PAGE_BROWSER_MAX_AGE = int(os.environ.get("NEWSROOM_BROWSER_MAX_AGE", "30"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("NEWSROOM_STALE_WHILE_REVALIDATE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins (the admin's) are throttled by django-axes: after
# NEWSROOM_LOGIN_FAILURE_LIMIT failures for one user name, or from one
# address, logging in is refused for NEWSROOM_LOGIN_LOCKOUT_MINUTES.
# A success clears the count. `manage.py axes_reset` and friends unlock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.proxy.client_address"
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"

# Languages: see newsroom/languages.py, the one place to change them.
languages.register_extra_languages()
LANGUAGE_CODE = languages.LANGUAGES[0][0]
LANGUAGES = languages.LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The reader page decides what to show for a missing translation itself (a
# notice and the fallback text with its own lang), so modeltranslation must
# never substitute another language silently.
MODELTRANSLATION_ENABLE_FALLBACKS = False
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# The admin's translation tabs use jQuery UI; modeltranslation loads it from
# a CDN unless told otherwise (its setting has no prefix). Serve our copy.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles"
# Uploaded pictures (articles/images.py). On the local file system by default:
# `make run` serves them in development; in production the web server in
# front serves MEDIA_ROOT at MEDIA_URL (README, "Pictures"). With
# NEWSROOM_S3_BUCKET set they go to S3-compatible object storage instead
# (django-storages), configured by the variables below.
MEDIA_URL = os.environ.get("NEWSROOM_MEDIA_URL", "/media/")
MEDIA_ROOT = os.environ.get("NEWSROOM_MEDIA_ROOT") or BASE_DIR / "media"
S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            "access_key": os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY") or None,
            # Public pictures at stable addresses, cacheable by any CDN.
            "custom_domain": os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    IMAGE_HOST = os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN") or os.environ.get("NEWSROOM_S3_ENDPOINT_URL")
    IMAGE_HOSTS = [IMAGE_HOST if "://" in (IMAGE_HOST or "") else f"https://{IMAGE_HOST or '*.amazonaws.com'}"]
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    IMAGE_HOSTS = []
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development whitenoise serves straight from the apps' static folders, so
# edits show without collectstatic; production serves the collected files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS. Production serves HTTPS only; behind a TLS-terminating proxy,
# DJANGO_BEHIND_TLS_PROXY=true trusts its X-Forwarded-Proto (and, for the
# client's address, X-Forwarded-For: see newsroom/proxy.py).
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# HSTS is off until the operator says for how long: a browser that has seen it
# refuses plain HTTP to the host for that long, whatever the site does later.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Browser security headers (Django's, django-csp's and newsroom/headers.py's).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Powerful browser features the site never uses, denied to it and to anything
# it could be made to embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# Nothing but the site's own files, and no inline script or style, on every
# page: the reader's have none, and Django's admin, modeltranslation's tabs
# and jQuery UI need none (tests/test_content_security_policy.py checks both
# in Chromium). A page that needs an inline script gets a nonce: add
# csp.NONCE to script-src and write <script nonce="{{ request.csp_nonce }}">.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.NONE],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        # Pictures come from this site, or from the object storage's address.
        "img-src": [csp.SELF, *IMAGE_HOSTS],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "manifest-src": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "report-uri": env_list("DJANGO_CSP_REPORT_URI", []) or None,
    }
}

ARTICLES_PER_PAGE = int(os.environ.get("NEWSROOM_ARTICLES_PER_PAGE", "10"))

# How long a report's preview share link works after an editor issued it (articles/models/previews.py).
PREVIEW_LINK_DAYS = env_int("NEWSROOM_PREVIEW_LINK_DAYS", 7)
if not 1 <= PREVIEW_LINK_DAYS <= 365:
    raise ImproperlyConfigured(f"NEWSROOM_PREVIEW_LINK_DAYS must be from 1 to 365 days, not {PREVIEW_LINK_DAYS}.")

# Machine translation drafts (optional): "libretranslate" or "deepl", or
# empty for none, in which case the admin does not offer them.
MACHINE_TRANSLATION_BACKEND = os.environ.get("NEWSROOM_MT_BACKEND", "")
MACHINE_TRANSLATION_URL = os.environ.get("NEWSROOM_MT_URL", "")
MACHINE_TRANSLATION_API_KEY = os.environ.get("NEWSROOM_MT_API_KEY", "")
# Seconds a whole request to the service may take: well under gunicorn's 30.
try:
    MACHINE_TRANSLATION_TIMEOUT = float(os.environ.get("NEWSROOM_MT_TIMEOUT", "10"))
except ValueError:
    MACHINE_TRANSLATION_TIMEOUT = 0
if not 0 < MACHINE_TRANSLATION_TIMEOUT <= 60:
    raise ImproperlyConfigured("NEWSROOM_MT_TIMEOUT must be a number of seconds above 0 and at most 60, e.g. 10.")
if MACHINE_TRANSLATION_BACKEND not in {"", "libretranslate", "deepl"}:
    raise ImproperlyConfigured("NEWSROOM_MT_BACKEND must be libretranslate, deepl or empty.")
if MACHINE_TRANSLATION_BACKEND and not MACHINE_TRANSLATION_URL:
    raise ImproperlyConfigured(
        "NEWSROOM_MT_URL must be set with NEWSROOM_MT_BACKEND, e.g. https://api-free.deepl.com or http://127.0.0.1:5000."
    )

# Errors reach people two ways: mail to ADMINS (Django's AdminEmailHandler,
# through the SMTP server below) and, when SENTRY_DSN is set, Sentry.
ADMINS = email.utils.getaddresses([os.environ.get("DJANGO_ADMINS", "")])
ADMINS = [(name, address) for name, address in ADMINS if address]
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured(
        "DJANGO_ADMINS must be e-mail addresses, e.g. 'Desk <desk@example.org>, ops@example.org'."
    )
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set DJANGO_EMAIL_USE_TLS (STARTTLS, port 587) or DJANGO_EMAIL_USE_SSL (port 465), not both."
    )
# A slow mail server must not hold up the error page that reports to it.
EMAIL_TIMEOUT = 10

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from newsroom.error_reporting import start_sentry

    start_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))

# Logs go to the console (gunicorn's stderr): one JSON object per line in
# production, for a log collector; a readable line in development. Every line
# carries the request id; each request gets one line (newsroom/request_log.py).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "newsroom.request_log.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "newsroom.request_log.JSONFormatter"},
        "text": {"()": "newsroom.request_log.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # To the console through the root; errors also by mail.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "newsroom": {"handlers": ["mail_admins"]},
        # Its version banner at every start; failures and lockouts stay.
        "axes.apps": {"level": "WARNING"},
    },
}

# Background work (articles/tasks.py): django-tasks, the backport of Django
# 6's tasks framework. The default keeps the queue in the database, run by
# `manage.py db_worker` (`make run` starts one); "immediate" runs each job
# inside the request that starts it (development without a worker); any
# other value is a backend's class path, e.g. django_tasks_rq.RQBackend.
TASKS_BACKEND = os.environ.get("NEWSROOM_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND),
    }
}
# Where the exports started from the admin are written; workers on other
# machines need it shared with the web servers (NFS, or a mounted volume).
EXPORTS_DIR = Path(os.environ.get("NEWSROOM_EXPORTS_DIR", BASE_DIR / "exports"))
