"""Django settings, read from the environment (twelve-factor).

Environment variables
---------------------
DATABASE_URL
    PostgreSQL URL, for example ``postgres://postgres@127.0.0.1:5432/mormal``. Required:
    the project never falls back to SQLite. ``run.py`` sets it for the demo and the tests.
REDIS_URL
    Celery broker and result backend (default ``redis://127.0.0.1:6379/0``).
CELERY_BROKER_URL / CELERY_RESULT_BACKEND
    Override the Redis default (the embedded demo uses ``filesystem://``).
SALEOR_API_URL
    GraphQL endpoint of the Saleor 3 instance; empty means the in-memory stand-in.
DJANGO_SECRET_KEY, FIELD_ENCRYPTION_KEY
    Secrets. The demo and tests generate throw-away values; production must set them.

Production is any process without ``DJANGO_DEBUG`` or ``MORMAL_DEV``: it refuses to start
without a Saleor URL or with placeholder secrets (``marketplace.core.production``), and its
HTTPS settings default to the safe side (``DJANGO_SECURE_*``, ``DJANGO_HSTS_*``). Every variable
is listed in the README's production table and in ``.env.example``.
"""

import datetime
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from marketplace.core.observability import init_error_reporting, logging_config
from marketplace.core.production import is_local_run, refusals

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# DJANGO_DEBUG or MORMAL_DEV (set by `run.py demo` and `run.py test`): development defaults.
LOCAL_RUN = is_local_run(os.environ)
_refused = refusals(os.environ)
if _refused:
    raise ImproperlyConfigured(
        "Refusing to start in production: " + "; ".join(_refused)
        + ". See the README's production section and .env.example (MORMAL_DEV=1 only for local runs)."
    )
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or "dev-only-insecure-key-never-in-production"

# The embedded demo lists its demo accounts on the home page (never set in production).
SHOW_DEMO_ACCOUNTS = env_bool("MORMAL_DEMO", False)

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
CSRF_FAILURE_VIEW = "marketplace.core.views.csrf_failure"  # French, in the layout
# Behind the compose stack's caddy, the only way in, X-Forwarded-Proto says whether the visitor
# used https: without it every POST from an https page fails Django's origin check, and the
# driver's links and QR codes would say http://.
if env_bool("DJANGO_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, in production by default; a local run serves plain http on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not LOCAL_RUN)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not LOCAL_RUN)
# Browsers refuse plain http for this name for a year; subdomains of the shop's own name too.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if LOCAL_RUN else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not LOCAL_RUN)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not LOCAL_RUN)
# The driver's phone posts one event per request, its proof photo inline in base64
# (delivery.views.phone.MAX_EVENT_BYTES); Django's 2.5 MB default would refuse the larger ones.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "marketplace.core",
    "marketplace.territory",
    "marketplace.saleor",
    "marketplace.vendors",
    "delivery",
    "integrations.prestashop",
    "marketplace.payments",
    "marketplace.vouchers",
    "marketplace.storefront",
    # before allauth: its account templates are overridden by ours (French, the site's layout)
    "marketplace.shoppers",
    "marketplace.indicators",
    "marketplace.evaluation",
    "marketplace.operations",
    "marketplace.privacy",
    "shortcircuit",
    "axes",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "marketplace.core.middleware.RefuseNulBytes",  # a NUL in a query value was a 500 (PostgreSQL)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # after it, so it answers first: the Saleor Dashboard may frame a Dashboard sign-in's pages
    "marketplace.core.middleware.DashboardFraming",
    # last: turns a refused sign-in into the French lock-out page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.core.context.platform",
                "marketplace.storefront.context.cart",
            ],
            # |eur, |euros, |nombre: French numbers in every template without {% load %}
            "builtins": ["marketplace.core.templatetags.french"],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL", "")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `python3 run.py demo` or `python3 run.py test`, which start "
        "an embedded PostgreSQL, or point DATABASE_URL at a PostgreSQL server."
    )
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "account_login"  # /compte/connexion/: one sign-in page for shoppers, vendors and staff
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is refused for AXES_COOLOFF_MINUTES; a success resets the count.
AUTHENTICATION_BACKENDS = ["marketplace.core.throttling.SignInThrottle", "django.contrib.auth.backends.ModelBackend",
                           "allauth.account.auth_backends.AuthenticationBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # failures only: no record of who signed in when
AXES_LOCKOUT_CALLABLE = "marketplace.core.throttling.locked_out"
AXES_USERNAME_CALLABLE = "marketplace.core.throttling.username_of"  # username or e-mail, from either sign-in form
# Behind the compose stack's Caddy the visitor's address is the last X-Forwarded-For entry
# (Caddy replaces what the visitor sent); without a proxy it is the connection's address.
if env_bool("DJANGO_BEHIND_HTTPS_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_PROXY_ORDER = "right-most"
LOGIN_REDIRECT_URL = "/"

# Shoppers' own accounts (django-allauth, under /compte/): sign up with an e-mail and a password,
# confirmed by a link sent by e-mail; sign in with the e-mail (or the username of accounts made
# by staff, the seed or an invitation, which count as confirmed). French URLs: marketplace/shoppers/urls.py.
ACCOUNT_ADAPTER = "marketplace.shoppers.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"login": "marketplace.shoppers.forms.SignInForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True  # one tap on the link in the e-mail is enough
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account: a new one replaces the old once confirmed
ACCOUNT_LOGOUT_REDIRECT_URL = "/boutique/"
ACCOUNT_SESSION_REMEMBER = True
# Wrong passwords: django-axes locks one account from one address after AXES_FAILURE_LIMIT (the
# French lock-out page); allauth's own limit per account, from any address, is kept above it
# (its default, 5 in 5 minutes, would refuse a vendor locked at the town hall who then signs in
# from home) as a bound on guessing from many addresses.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/h/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Marché du Pays de Mormal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if LOCAL_RUN else "https"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
# Redis redelivers a task whose worker died (acks_late) once this many seconds have passed; it
# must exceed the longest task (a day's planning takes minutes at most).
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = Path(os.environ.get("CELERY_FS_QUEUE_DIR", BASE_DIR / ".demo" / "celery-queue"))
    (_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}
# Short circuit: close cycles past their closing minute, place standing baskets in new cycles.
CELERY_BEAT_SCHEDULE["shortcircuit-close-due-cycles"] = {"task": "shortcircuit.close_due_cycles", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["shortcircuit-open-due-cycles"] = {"task": "shortcircuit.open_due_cycles", "schedule": 300.0}
# Vendors: push again the products whose push to Saleor failed (Saleor was down).
CELERY_BEAT_SCHEDULE["vendors-push-unsynced"] = {"task": "vendors.push_unsynced_products", "schedule": 600.0}
# PrestaShop bridge: changed products, stock and sale decrements every 15 min; full re-read nightly.
CELERY_BEAT_SCHEDULE["prestashop-sync"] = {"task": "prestashop.sync_all", "schedule": 900.0}
CELERY_BEAT_SCHEDULE["prestashop-full-nightly"] = {"task": "prestashop.sync_all", "schedule": 86400.0, "kwargs": {"full": True}}
# PrestaShop home orders in the 52 communes become van tasks on their commune's next open van day.
CELERY_BEAT_SCHEDULE["prestashop-van-orders"] = {"task": "prestashop.pull_all_van_orders", "schedule": 900.0}
# Delivery: once tomorrow's orders close (ORDER_CUTOFF), freeze its tasks and plan its rounds (once per day).
# Operations: remind vendors of tomorrow's orders; refresh the indicators overnight.
CELERY_BEAT_SCHEDULE["operations-remind-vendors"] = {"task": "operations.remind_vendors", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["operations-resume-webhooks"] = {"task": "operations.resume_pending_webhooks", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["operations-refresh-indicators"] = {"task": "operations.refresh_indicators", "schedule": 6 * 3600.0}
# Personal data: erase what has outlived its retention period, every night (README, "Personal data").
CELERY_BEAT_SCHEDULE["privacy-purge-personal-data"] = {"task": "privacy.purge_personal_data", "schedule": crontab(hour=3, minute=15)}
CELERY_BEAT_SCHEDULE["delivery-evening-cut-off"] = {"task": "delivery.freeze_and_plan_next_day", "schedule": 3600.0}

# Staff planning map: a tile URL template ("https://.../{z}/{x}/{y}.png"); empty draws plain
# geometry with no tile server, so the page works offline.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© les contributeurs d'OpenStreetMap")
# Leaflet itself comes from the django-leaflet wheel's static files, served as /static/leaflet/...
# The package is not an installed app: its admin module needs GDAL, which the project does not use.
STATICFILES_DIRS = [("leaflet", Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static" / "leaflet")]

# Cache shared by every web and worker process in production (CACHE_URL=redis://...); the demo
# and tests use per-process memory. Planning progress and the storefront's catalogue use it.
_cache_url = os.environ.get("CACHE_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
          if _cache_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read on every signed-in page: from the shared cache when there is one (written
# through to PostgreSQL, so a restart signs nobody out); a per-process memory cache would hand
# one process's stale copy to the next request served by another, so without one, PostgreSQL only.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if _cache_url else "django.contrib.sessions.backends.db"

# Saleor: empty SALEOR_API_URL means the in-memory stand-in (demo and service tests).
SALEOR_API_URL = os.environ.get("SALEOR_API_URL", "")
SALEOR_APP_TOKEN = os.environ.get("SALEOR_APP_TOKEN", "")
# Exact Saleor API URLs (as Saleor sends them in Saleor-Api-Url) allowed to install the App;
# by default only SALEOR_API_URL. A host name is not enough: the whole URL must match.
SALEOR_ALLOWED_API_URLS = [u.strip() for u in os.environ.get("SALEOR_ALLOWED_API_URLS", SALEOR_API_URL).split(",") if u.strip()]
# Seconds a process keeps the App token before checking the installation's version again.
SALEOR_TOKEN_CACHE_S = float(os.environ.get("SALEOR_TOKEN_CACHE_S", "10"))
SALEOR_CHANNEL = os.environ.get("SALEOR_CHANNEL", "default-channel")
# The Saleor Dashboard's origins (scheme://host[:port]), comma separated: only they may frame
# the staff pages opened from the Dashboard (CSP frame-ancestors) and hand them a token through
# the App Bridge. Default: the origins of the allowed Saleor API URLs (Dashboard served beside it).
SALEOR_DASHBOARD_ORIGINS = [
    f"{_p.scheme}://{_p.netloc}" for _p in (urlsplit(u.strip()) for u in os.environ.get(
        "SALEOR_DASHBOARD_URLS", ",".join(SALEOR_ALLOWED_API_URLS)).split(",") if u.strip()) if _p.netloc]
# Inside the Dashboard's iframe, a Dashboard on another site (another registrable domain) gets
# our session and CSRF cookies only with SameSite=None, which browsers accept only with Secure
# (https). Same-site set-ups (the demo on 127.0.0.1 / localhost ports) keep Lax.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = os.environ.get("DJANGO_COOKIE_SAMESITE", "Lax")

# Payments (Saleor's Transactions API). Card gateways: the manifest ids of the card payment apps
# the operator installed in Saleor (Stripe's app, Adyen's app); "carte" is offered only when
# Saleor lists one of them for the checkout. The demo card gateway is an offline stand-in for
# them, on only in the demonstration; ``check --deploy`` refuses it (payments.E001).
PAYMENT_CARD_GATEWAYS = [g.strip() for g in os.environ.get(
    "PAYMENT_CARD_GATEWAYS", "saleor.app.payment.stripe,app.saleor.adyen").split(",") if g.strip()]
PAYMENT_DEMO_GATEWAY = env_bool("MORMAL_DEMO", False)
# Tests only: the stand-in Saleor also lists a Stripe-app-shaped card gateway (never in the demo).
STANDIN_STRIPE_APP = False
APP_PUBLIC_URL = os.environ.get("APP_PUBLIC_URL", "http://127.0.0.1:8000")
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

# Outgoing mail: an SMTP relay in production (EMAIL_HOST...), the console (logs) otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS (port 465)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)  # STARTTLS (port 587)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                               else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Marché du Pays de Mormal <ne-pas-repondre@mormal.local>")

# Retention of personal data, in days (README, "Personal data"): webhook bodies (names,
# addresses of orders), delivery details (recipient, contacts, notes, codes, proofs, after the
# delivery day), and failed sign-in records.
PRIVACY_WEBHOOK_DAYS = int(os.environ.get("PRIVACY_WEBHOOK_DAYS", "30"))
PRIVACY_DELIVERY_DAYS = int(os.environ.get("PRIVACY_DELIVERY_DAYS", "90"))
PRIVACY_SIGN_IN_DAYS = int(os.environ.get("PRIVACY_SIGN_IN_DAYS", "30"))

# Orders for a delivery day close at this local time the day before (HH:MM). The one cut-off of
# the storefront, the short circuit's cycles, staff moves and the evening freeze: delivery/calendar.py.
ORDER_CUTOFF = os.environ.get("ORDER_CUTOFF") or "18:00"  # the one default; delivery/calendar.py reads it

# Geocoding of addresses (marketplace/territory/geocoding.py): the Base Adresse Nationale search
# endpoint in production, e.g. https://data.geopf.fr/geocodage/search ; empty (demo, tests) places
# an address at its commune's town hall, labelled "position approximative (mairie)".
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
GEOCODER_TIMEOUT_S = float(os.environ.get("GEOCODER_TIMEOUT_S", "3"))
GEOCODER_CACHE_S = int(os.environ.get("GEOCODER_CACHE_S", str(30 * 24 * 3600)))

# Road network: a GraphML or .osm/.pbf file; empty means the labelled straight-line model.
ROAD_GRAPH_PATH = os.environ.get("ROAD_GRAPH_PATH", "")
# This deployment's calibration of road travel times (measured rounds / planned), 1 = none.
ROAD_TIME_FACTOR = float(os.environ.get("ROAD_TIME_FACTOR", "1"))
# Road engine: "embedded" (our Dijkstra over ROAD_GRAPH_PATH, the default) or "osrm" (an OSRM
# server at OSRM_URL, for region-sized graphs; see the optional osrm service in docker-compose.yml).
ROUTING_ENGINE = os.environ.get("ROUTING_ENGINE", "embedded")
OSRM_URL = os.environ.get("OSRM_URL", "http://osrm:5000")
# That server's --max-table-size (docker-compose: 10000): the adapter never asks it for more.
OSRM_MAX_TABLE_SIZE = int(os.environ.get("OSRM_MAX_TABLE_SIZE", "10000"))
# /table requests the adapter sends at once; docker-compose starts osrm-routed with as many threads.
OSRM_PARALLEL_REQUESTS = int(os.environ.get("OSRM_PARALLEL_REQUESTS", "2"))

# Logs: JSON lines in production (LOG_FORMAT=json), plain text elsewhere. Error reporting goes
# to SENTRY_DSN when it is set (off by default); see marketplace/core/observability.py.
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"), json_lines=os.environ.get("LOG_FORMAT", "") == "json")
SENTRY_ENABLED = init_error_reporting(
    os.environ.get("SENTRY_DSN", ""),
    environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
)
