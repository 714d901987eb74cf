"""Minka settings, read from the environment (see README, "Settings").

Nothing here exists only in production: the same file, given production values,
passes `manage.py check --deploy`.
"""

from datetime import timedelta
from pathlib import Path

import environ
import orjson
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
# A development key only with DEBUG on. Without one, Django refuses whatever
# needs it (sessions, signing) and `check --deploy` fails, while commands that
# need no secret (makemigrations, migrate) still run.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key" if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_filters",
    "simple_history",
    "phonenumber_field",
    "django_countries",
    "import_export",
    "cooperatives.apps.LoginFailuresConfig",  # django-axes
    "cooperatives",
    "producers",
    "plots",
    "certifications",
    "harvests",
    "exports",
    "fairtrade",
    "overview",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so that the static files carry the two policies as the pages do.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every answer to someone signed in (or sending a key) is `Cache-Control: private, no-store`.
    "cooperatives.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused login into the login page that says why (see "Login throttling").
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cooperatives.context_processors.pages",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite file by default, PostgreSQL when DATABASE_URL says so
# ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with decimals read back as PostgreSQL gives them (config/sqlite).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Tests in memory, as Django's SQLite does by default (pytest-django knows only Django's engine by name).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection kept open is tested before a request reuses it: after the database dropped it (a restart,
# a failover, an idle timeout) the first request on each worker failed with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiled the dashboard's GROUP BY queries for longer than they ran
    # (up to 1.2 s on the overview of 100 cooperatives); these queries are short.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) speed the dashboard on PostgreSQL; SQLite, for a laptop demo,
# builds the same indexes without the extra columns, which is all that warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------

# Django's model backend, with each role's permissions read once a minute (cooperatives.backends),
# behind django-axes' backend, which refuses a locked account or address before any password is checked
# (see "Login throttling").
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "cooperatives.backends.RoleBackend"]
ROLE_PERMISSIONS_SECONDS = env.int("ROLE_PERMISSIONS_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# ---------------------------------------------------------------------------
# Login throttling: the login pages (/accounts/login/, /admin/login/) and API keys
# ---------------------------------------------------------------------------

# The number of proxies in front of Minka that append the client's address to X-Forwarded-For.
# 0, the default, reads the address from REMOTE_ADDR alone, which no client can forge; behind the
# README's nginx (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`) set 1, or every
# login and key counts as coming from the proxy's one address. Never more than the proxies there
# are: each one too many lets a client choose the address its failures count against.
# DRF's throttles read the same number (REST_FRAMEWORK below), and so does django-axes
# (cooperatives.logins.client_address), so one rule names the address everywhere.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# django-axes counts failed logins in the database (AccessAttempt), so that every app server sees the
# same count. An account is locked after LOGIN_FAILURE_LIMIT failures from anywhere, and an address
# after as many failures for any accounts, each for LOGIN_LOCKOUT_MINUTES after the last failure; a
# manager unlocks a colleague in the admin (cooperatives.admin_logins).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cooperatives.logins.client_address"
AXES_LOCKOUT_CALLABLE = "cooperatives.logins.lockout_response"
# A successful login leaves the failures counted: resetting them would clear the address's failures too,
# so that someone with an account of their own could log into it between guesses at a colleague's.
AXES_RESET_ON_SUCCESS = False
# Not axes' banner on every command's start (its logging of each failure stays).
AXES_VERBOSE = False

# ---------------------------------------------------------------------------
# Language, time and formats: Spanish first, Peruvian formats
# ---------------------------------------------------------------------------

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "PE"

# ---------------------------------------------------------------------------
# Static files: everything served from here, never a CDN
# ---------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# An uploaded import waits here between its preview and its confirm (cooperatives.uploads): a folder
# every worker of the server shares, never served. None means a folder in the system's temp folder.
IMPORT_STASH_DIR = env("IMPORT_STASH_DIR", default=None)

# ---------------------------------------------------------------------------
# Security: on by default outside DEBUG
# ---------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading commits the domain to HTTPS for good: the installer decides.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # `check --deploy` warns of every site not on the preload list; leaving it off is that decision.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from Minka's own static files; the few inline ones (the admin's, the API
# docs') carry the response's nonce. Images also come from OpenStreetMap's tiles on the maps, and as
# data: URLs (Leaflet blanks a tile it drops with one). The API's pages allow inline styles (config/csp.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "https://tile.openstreetmap.org"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# The plot editor finds the officer's position on the site itself; nothing asks for the rest.
# django-permissions-policy (Adam Johnson's) checks the names of the features, which a hand-written
# header would misspell silently.
PERMISSIONS_POLICY = {
    "geolocation": "self",
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# ---------------------------------------------------------------------------
# The domain's tolerances (data that varies per installation)
# ---------------------------------------------------------------------------

# The EU's example files state spherical areas 0.4-0.7 % above the WGS84
# ellipsoid's; a tolerance under ~1 % would flag the EU's own examples.
MINKA_AREA_TOLERANCE_PCT = env.float("MINKA_AREA_TOLERANCE_PCT", default=10.0)

# ---------------------------------------------------------------------------
# The partner API (/api/v1/)
# ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cooperatives.api.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cooperatives.api.permissions.RolePermission"],
    # orjson: 20 times faster than json on polygons, and stored GeoJSON passes through unparsed.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        # DRF's, under the API pages' Content-Security-Policy (config.csp).
        "config.csp.BrowsableAPIRenderer",
    ],
    # Datetimes in UTC written as Z, as DRF's own fields write them.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z,),
    # JSON read by orjson, refusing with a message what nothing after it can hold (cooperatives.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "cooperatives.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "cooperatives.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cooperatives.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    # drf-standardized-errors' schema, which documents the error answers, taught Minka's exception handler.
    "DEFAULT_SCHEMA_CLASS": "cooperatives.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "cooperatives.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # A key acts through its own account, so the user rate is a rate per key.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="30/minute"),
        "user": env("API_USER_RATE", default="1200/minute"),
        # Wrong API keys per address (cooperatives.api.throttling.FailedKeyThrottle). A key's secret is
        # too long to guess at any rate: the limit stops a flood of lookups and leaves no unlimited
        # oracle, while a partner who mistyped their key waits a minute, not an hour.
        "failed_key": env("API_FAILED_KEY_RATE", default="10/minute"),
        # The OpenAPI schema takes seconds to build (2.6 s here); anonymous callers get it at this rate
        # (the docs pages count too, each fetching it once).
        "schema": env("API_SCHEMA_ANON_RATE", default="10/minute"),
    },
    # The client's address: see NUM_PROXIES under "Login throttling".
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Minka API",
    "DESCRIPTION": (
        "Members, plots, certificates, purchases, lots and shipments of the cooperatives a key may see. "
        "Authenticate with `Authorization: Api-Key <key>` (or `Bearer <key>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # One name for a choice set that several fields share (a buyer's country, a shipment's destination).
        "CountryEnum": "django_countries.countries",
        "ConversionStatusEnum": "plots.models.ConversionStatus",
        # Two choice sets of the ICS both live in a field called "kind": a checklist question's and a sanction's.
        "QuestionKindEnum": "certifications.models.ChecklistQuestion.Kind",
        "SanctionKindEnum": "certifications.models.SanctionKind",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
