"""Settings, 12-factor: everything comes from the environment.

The embedded defaults (SQLite file, inline background jobs, local-memory cache) run the whole
platform on any machine with no services; production sets ``DEBUG=false`` and the variables the
README lists, and ``manage.py check --deploy`` must then be clean.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_dotenv(path):
    """Variables from a local, uncommitted ``.env`` (``./dev up`` writes one with DEBUG=true),
    so that a bare ``manage.py`` works on a developer's machine. The real environment wins;
    a deployment has no such file and must set its variables itself."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


_read_dotenv(BASE_DIR / ".env")


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "For local development run with DEBUG=true (the README's command does)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "civic.accounts",
    "civic.areas",
    "civic.departments",
    "civic.portal",
    "civic.api",
    "civic.notifications",
    "civic.operations",
    "reports",
    "reports.open311",
    "rewards",
    "forums",
    "civic.grid",
    "civic.vitals",
    "civic.demo",
    "civic.infra",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "civic.accounts.apps_wagtail.CivicUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_rq",
    "graphene_django",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "civic.infra.health.HealthMiddleware",
    "civic.core.requests.RequestIdMiddleware",
    "civic.infra.metrics.MetricsMiddleware",
    "civic.core.replica.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "civic.core.text.InvalidTextMiddleware",
]

# The load benchmark serves the project's URLs plus a bare view from a URLconf of its own
# (tests/bench/urls.py); production never sets this.
ROOT_URLCONF = env("ROOT_URLCONF", "civic.urls")
WSGI_APPLICATION = "civic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DEFAULT_SQLITE = BASE_DIR / "var" / "civic.sqlite3"
if "DATABASE_URL" not in os.environ:
    DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while a background job writes; a busy timeout instead of
    # "database is locked" under light concurrency.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A read replica (PostgreSQL streaming replication) when DATABASE_REPLICA_URL is set: GET and HEAD
# views and GraphQL queries read from it, unless in a transaction or the client wrote within the
# last REPLICA_PIN_SECONDS (civic/core/replica.py); everything else uses the primary.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    # Tests read the primary's test database through the alias (a replica is not written).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["civic.core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "civic"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs: inline by default (the immediate backend); production sets
# TASKS_BACKEND=django_tasks_rq.RQBackend and runs workers (``manage.py rqworker --with-scheduler
# default``, docs/production.md). The RQ queues live in RQ_REDIS_URL, by default REDIS_URL.
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
RQ_REDIS_URL = env("RQ_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "django_tasks_rq.RQBackend" and not (REDIS_URL or env("RQ_REDIS_URL")):
    raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs REDIS_URL.")
RQ_QUEUES = {
    "default": {
        "URL": RQ_REDIS_URL,
        "DEFAULT_TIMEOUT": int(env("TASKS_TIMEOUT_SECONDS", "600")),
    }
}
# Every job retries after a failure, waiting longer each time (seconds, comma-separated); after
# the last it stays in RQ's failed-job registry, which the admin shows (Settings → Failed jobs).
TASKS_RETRY_INTERVALS = [int(s) for s in env_list("TASKS_RETRY_INTERVALS", "10,60,300")]
# The worker runs the jobs as django-tasks' RQ backend made them.
RQ = {"QUEUE_CLASS": "civic.core.queue.RetryingQueue", "JOB_CLASS": "civic.core.queue.Job"}

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, its answers kept in the cache (civic/accounts/backends.py).
    "civic.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory")
ACCOUNT_ADAPTER = "civic.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A signed-in user sent to the login page (a resident opening the admin) sees it, with the
# admin's "no permission" message, instead of being bounced back to where they came from.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# The phone app signs in through allauth's headless API (``/_allauth/app/v1/``) and sends the
# session token it gets back as ``X-Session-Token``, to allauth and to ``/graphql/``. The portal
# keeps its own pages, so there is no headless browser client (no single-page app to serve).
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
# Links in emails (verify the address, reset the password) open the portal's pages: they work in
# any browser, also when the mail is read on a computer, and the app may claim them as App
# Links / universal links. A custom ``civic://`` scheme would be dead on a computer. A deployment
# with a separate front end can point them elsewhere.
HEADLESS_FRONTEND_URLS = {}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Firebase phone sign-in: ID tokens must name this project as their audience.
FIREBASE_PROJECT_ID = env("FIREBASE_PROJECT_ID", "")
# The auth emulator makes firebase-admin accept unsigned tokens: only ever on a developer's
# machine. Tests set it inside the test process, after settings are loaded.
if env("FIREBASE_AUTH_EMULATOR_HOST") and not DEBUG:
    raise ImproperlyConfigured(
        "FIREBASE_AUTH_EMULATOR_HOST must not be set when DEBUG is off: with it, firebase-admin "
        "accepts ID tokens without checking their signature."
    )
# allauth's rate limits stay on at its defaults; they count in the cache, so a deployment with
# several processes needs REDIS_URL for them to hold across processes.

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "civic@localhost")

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = env("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first (makemessages writes to the first); then Chinese for the third-party strings our
# screens show that Wagtail's own catalogue lacks: a separate catalogue, as makemessages
# --no-obsolete would drop msgids not in our source. Both beat the apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "civic" / "locale", BASE_DIR / "civic" / "locale_overrides"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Files ------------------------------------------------------------------------------------

STATIC_URL = env("STATIC_URL", "/static/")
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Media on an S3-compatible object store (django-storages) when S3_BUCKET is set: private
# objects, reached through signed URLs. Report photos are handed out by a permission-checked
# view that redirects to the store's URL signed for S3_PUBLIC_URL_SECONDS (a public report's,
# cacheable) or to our own link signed for S3_PRIVATE_URL_SECONDS (a hidden report's, never
# cached; civic/core/files.py); other media (Wagtail images and documents) get the store's URLs
# signed for S3_URL_SECONDS.
S3_BUCKET = env("S3_BUCKET")
S3_PUBLIC_URL_SECONDS = int(env("S3_PUBLIC_URL_SECONDS", str(24 * 3600)))
S3_PRIVATE_URL_SECONDS = int(env("S3_PRIVATE_URL_SECONDS", "300"))
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "location": env("S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(env("S3_URL_SECONDS", "3600")),
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env("S3_ADDRESSING_STYLE", "path"),
            # Stored copies never change: a browser may keep what it was given.
            "object_parameters": {"CacheControl": "private, max-age=86400"},
        },
    }
# Serve static files from the apps' folders without collectstatic (development and tests).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# --- Wagtail ----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = env("SITE_NAME", "Civic")
# One sign-in for everyone: the admin sends people to allauth's login (email, rate limits, MFA).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Library images are stored without metadata (civic/portal/image_library.py): only the formats
# we can clean are accepted. HEIC is kept as JPEG, which browsers show.
WAGTAILIMAGES_IMAGE_FORM_BASE = "civic.portal.image_library.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "heic", "jpeg", "jpg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- GraphQL ----------------------------------------------------------------------------------

GRAPHENE = {
    "SCHEMA": "civic.api.schema.schema",
    "SCHEMA_OUTPUT": "frontend_schema/schema.graphql",
    "MIDDLEWARE": ["civic.api.defaults.NullMeansDefaultMiddleware"],
}
GRAPHQL_MAX_DEPTH = int(env("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_ALIASES = int(env("GRAPHQL_MAX_ALIASES", "15"))
GRAPHQL_MAX_PAGE_SIZE = int(env("GRAPHQL_MAX_PAGE_SIZE", "50"))
# Longest search text (characters), everywhere people search; longer is refused
# (civic/core/text.py).
SEARCH_MAX_LENGTH = int(env("SEARCH_MAX_LENGTH", "200"))
GRAPHQL_DEFAULT_PAGE_SIZE = int(env("GRAPHQL_DEFAULT_PAGE_SIZE", "20"))
# Cost: a field is 1, times the items of the lists around it (civic.api.validation).
GRAPHQL_MAX_COST = int(env("GRAPHQL_MAX_COST", "5000"))
GRAPHQL_COST_LIST_SIZE = int(env("GRAPHQL_COST_LIST_SIZE", "10"))
# The app builds against the committed schema.graphql; production need not describe itself.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", default=DEBUG)
# Parsed and validated documents kept per process (an LRU keyed by the document's hash), and the
# app's persisted operations (frontend_schema/operations, registered by SHA-256; see
# frontend_schema/README.md). GRAPHQL_PERSISTED_ONLY=true refuses any other document.
GRAPHQL_DOCUMENT_CACHE_SIZE = int(env("GRAPHQL_DOCUMENT_CACHE_SIZE", "500"))
GRAPHQL_OPERATIONS_DIR = BASE_DIR / "frontend_schema" / "operations"
GRAPHQL_PERSISTED_ONLY = env_bool("GRAPHQL_PERSISTED_ONLY", default=False)
# Anonymous readers' answers to public lists (GraphQL feeds, Open311 requests) kept in the cache
# until what they show changes, and at most this long (civic/core/public_cache.py); 0 turns it off.
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "60"))
# Mutations per signed-in user and per client IP (allauth's rate format: amount/period), counted
# in the cache. Many phones may share one carrier IP, hence the larger IP allowance.
GRAPHQL_MUTATION_RATE_PER_USER = env("GRAPHQL_MUTATION_RATE_PER_USER", "30/m")
GRAPHQL_MUTATION_RATE_PER_IP = env("GRAPHQL_MUTATION_RATE_PER_IP", "120/m")
# Behind reverse proxies every request seems to come from the nearest proxy: say how many
# proxies append to X-Forwarded-For, so that per-IP limits (sign-in and mutations) see clients.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# --- Reports ----------------------------------------------------------------------------------

REPORTS_MAX_PHOTOS = int(env("REPORTS_MAX_PHOTOS", "6"))
REPORTS_MAX_DESCRIPTION = int(env("REPORTS_MAX_DESCRIPTION", "2000"))
REPORTS_PHOTO_MAX_BYTES = int(env("REPORTS_PHOTO_MAX_BYTES", str(20 * 1024 * 1024)))
REPORTS_PHOTO_MAX_PIXELS = int(env("REPORTS_PHOTO_MAX_PIXELS", "60000000"))
REPORTS_PHOTO_DISPLAY_EDGE = int(env("REPORTS_PHOTO_DISPLAY_EDGE", "1600"))
REPORTS_PHOTO_THUMB_EDGE = int(env("REPORTS_PHOTO_THUMB_EDGE", "320"))
# After resolution: the reporter may reopen for this long; unrated reports close themselves.
REPORTS_REOPEN_DAYS = int(env("REPORTS_REOPEN_DAYS", "14"))
REPORTS_AUTO_CLOSE_DAYS = int(env("REPORTS_AUTO_CLOSE_DAYS", "7"))
# The reporter is asked "is it fixed?" this many hours before the automatic close.
REPORTS_CLOSE_REMINDER_HOURS = int(env("REPORTS_CLOSE_REMINDER_HOURS", "24"))
# Comments on reports: at most this long, and this many per person per hour.
REPORTS_COMMENT_MAX_LENGTH = int(env("REPORTS_COMMENT_MAX_LENGTH", "2000"))
REPORTS_COMMENTS_PER_HOUR = int(env("REPORTS_COMMENTS_PER_HOUR", "20"))
REPORTS_NEARBY_MAX_RADIUS_M = int(env("REPORTS_NEARBY_MAX_RADIUS_M", "2000"))
# Sensitive categories show the public a location snapped to a grid this coarse (~500 m).
REPORTS_COARSE_DEGREES = float(env("REPORTS_COARSE_DEGREES", "0.005"))
# The portal's map GeoJSON sends at most this many reports (and says it was truncated).
REPORTS_MAP_MAX_FEATURES = int(env("REPORTS_MAP_MAX_FEATURES", "500"))
# Photos of a report form that came back with a problem are kept this long for its resubmission.
REPORTS_DRAFT_PHOTO_HOURS = int(env("REPORTS_DRAFT_PHOTO_HOURS", "24"))
# A photo still waiting this long for its decoding job, whose job is no longer queued, has its
# job enqueued again by the periodic requeue_lost_photos.
REPORTS_PHOTO_JOB_LOST_MINUTES = int(env("REPORTS_PHOTO_JOB_LOST_MINUTES", "10"))
# Smart intake (reports.classify). Automatic dispatch files a report under the suggested
# category when the suggestion is at least this confident (0 to 1); 0 turns it off.
REPORTS_AUTO_DISPATCH_CONFIDENCE = float(env("REPORTS_AUTO_DISPATCH_CONFIDENCE", "0"))
# How often a process without a shared cache looks for a newer classifier version (seconds).
REPORTS_CLASSIFIER_CHECK_SECONDS = int(env("REPORTS_CLASSIFIER_CHECK_SECONDS", "60"))
# A report staff moved to another category counts this many times in training.
REPORTS_CLASSIFIER_CORRECTION_WEIGHT = float(env("REPORTS_CLASSIFIER_CORRECTION_WEIGHT", "3"))
REPORTS_CLASSIFIER_KEEP_VERSIONS = int(env("REPORTS_CLASSIFIER_KEEP_VERSIONS", "10"))
# Possible duplicates: open reports within this distance, filed within this many days.
REPORTS_DUPLICATE_RADIUS_M = int(env("REPORTS_DUPLICATE_RADIUS_M", "200"))
REPORTS_DUPLICATE_DAYS = int(env("REPORTS_DUPLICATE_DAYS", "30"))

# Forums: longest post body (characters of HTML as sent) and deepest nesting of its markup.
FORUMS_MAX_BODY = int(env("FORUMS_MAX_BODY", "20000"))
FORUMS_MAX_DEPTH = int(env("FORUMS_MAX_DEPTH", "10"))
# Background tiles for the portal's maps (civic/core/tiles.py describes them). A tile server is
# an outside service with its own terms and attribution, so the default is none: the maps then
# draw the city from its own areas, which works offline. Presets: "osm", "tianditu" (needs
# MAP_TILE_KEY, the 天地图 tk), "amap" (GCJ-02). Or MAP_TILE_URL, a Leaflet URL template such as
# "https://tiles.example.org/{z}/{x}/{y}.png", with its attribution and datum (wgs84, gcj02 or
# bd09: the maps convert positions both ways so pins land on the right street).
MAP_TILE_PRESET = env("MAP_TILE_PRESET", "")
MAP_TILE_KEY = env("MAP_TILE_KEY", "")
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_LABELS_URL = env("MAP_TILE_LABELS_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_DATUM = env("MAP_TILE_DATUM", "")
MAP_TILE_SUBDOMAINS = env("MAP_TILE_SUBDOMAINS", "")
# How long browsers and the server keep the drawn base map's GeoJSON (seconds).
MAP_AREAS_CACHE_SECONDS = int(env("MAP_AREAS_CACHE_SECONDS", "300"))

# --- Open311 GeoReport v2 -----------------------------------------------------------------------

# Answers clients that send a jurisdiction_id; any other value is "not found".
OPEN311_JURISDICTION_ID = env("OPEN311_JURISDICTION_ID", "civic.example.org")
# Discovery: when the endpoint last changed, and whom to ask (for a key, too).
OPEN311_CHANGESET = env("OPEN311_CHANGESET", "2026-12-01T00:00:00Z")
OPEN311_CONTACT = env("OPEN311_CONTACT", "Ask the city's platform administrators.")
OPEN311_KEY_SERVICE = env(
    "OPEN311_KEY_SERVICE", "API keys are issued by the platform administrators on request."
)
# GET requests: the specification's default window and limit (also the page size cap).
OPEN311_MAX_DAYS = int(env("OPEN311_MAX_DAYS", "90"))
OPEN311_MAX_REQUESTS = int(env("OPEN311_MAX_REQUESTS", "1000"))
# Open data downloads per client IP (allauth's rate format: amount/period, several comma-separated).
OPEN_DATA_RATE_PER_IP = env("OPEN_DATA_RATE_PER_IP", "30/m")
# Requests for a dataset the page does not offer, per client IP.
OPEN_DATA_REQUESTS_PER_IP = env("OPEN_DATA_REQUESTS_PER_IP", "5/h")
OPEN311_DEFAULT_RATE_LIMIT = int(env("OPEN311_DEFAULT_RATE_LIMIT", "30"))
# media_url is fetched only from URLs starting with one of these (comma-separated), e.g.
# "https://photos.partner.example/". None by default: fetching whatever URL a client names
# would let it make this server call addresses inside its own network.
OPEN311_MEDIA_URL_PREFIXES = [
    prefix.strip() for prefix in env("OPEN311_MEDIA_URL_PREFIXES", "").split(",") if prefix.strip()
]
OPEN311_MEDIA_TIMEOUT = float(env("OPEN311_MEDIA_TIMEOUT", "10"))
# --- Notifications ----------------------------------------------------------------------------

# How push messages leave: "log" (the embedded default: logged, nothing sent) or "firebase"
# (FCM through firebase-admin, with Google's application default credentials, e.g.
# GOOGLE_APPLICATION_CREDENTIALS pointing at a service account file).
NOTIFICATIONS_PUSH_SENDER = env("NOTIFICATIONS_PUSH_SENDER", "log")
if NOTIFICATIONS_PUSH_SENDER not in ("log", "firebase"):
    raise ImproperlyConfigured("NOTIFICATIONS_PUSH_SENDER must be 'log' or 'firebase'.")
# The outbox retries a failed delivery after 1, 2, 4 … minutes (at most the maximum wait), and
# gives up after the last attempt.
NOTIFICATIONS_MAX_ATTEMPTS = int(env("NOTIFICATIONS_MAX_ATTEMPTS", "8"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(env("NOTIFICATIONS_RETRY_BASE_SECONDS", "60"))
NOTIFICATIONS_RETRY_MAX_SECONDS = int(env("NOTIFICATIONS_RETRY_MAX_SECONDS", str(6 * 3600)))

# --- Security ---------------------------------------------------------------------------------

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay allowed from
# our own origin (and only from it); the deploy check's advice to DENY would break previews.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Logs: plain text by default; LOG_FORMAT=json writes one JSON object a line (for a log
# collector). Every line carries the request id (civic.core.requests), also in background jobs.
LOG_FORMAT = env("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "civic.core.requests.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every line a second time through root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}

# Prometheus metrics at /metrics, for a scraper that sends "Authorization: Bearer
# METRICS_TOKEN"; without a token the page does not exist. Several processes (gunicorn's
# workers) add up their figures in PROMETHEUS_MULTIPROC_DIR when it is set.
METRICS_TOKEN = env("METRICS_TOKEN", "")

# Grid workers: how long a worker has to verify a report on site, how far from a report (outside
# its cell) a check-in counts as on site, and how long patrol tracks are kept.
GRID_VERIFICATION_HOURS = int(env("GRID_VERIFICATION_HOURS", "4"))
GRID_CHECK_IN_RADIUS_M = int(env("GRID_CHECK_IN_RADIUS_M", "200"))
GRID_TRACK_RETENTION_DAYS = int(env("GRID_TRACK_RETENTION_DAYS", "90"))
