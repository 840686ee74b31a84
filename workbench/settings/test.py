"""Settings for the test suite. DATABASE_URL and CELERY_BROKER_URL switch it to PostgreSQL and
Redis (see .ci/run)."""

import os

from .base import *  # noqa: F401,F403
from .base import CELERY_BROKER_URL, DATABASES, REST_FRAMEWORK, VAR_DIR, WORKBENCH

# One id per test run, inherited by the worker processes the tests start, so that parallel runs on
# one machine do not share a database file or broker folders.
RUN_ID = os.environ.setdefault("WORKBENCH_TEST_RUN", str(os.getpid()))
SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{RUN_ID}.sqlite3")}
else:
    # PostgreSQL: one test database per run too (two checkouts testing at once must not collide).
    DATABASES["default"]["TEST"] = {"NAME": f"test_workbench_{RUN_ID}"}
# Tests keep their own broker folders and media so a developer's running workbench is not disturbed.
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "test-broker" / RUN_ID
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{_broker_dir / 'results'}"
    (_broker_dir / "results").mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
# demo_setup runs in tests; password reset is on (pytest-django collects mail in memory); no worker
# runs in most tests, so the compare API answers 202 at once.
WORKBENCH = WORKBENCH | {"DEMO_SETUP": True, "PASSWORD_RESET": True, "MATCH_COMPARE_WAIT": 0.0}
