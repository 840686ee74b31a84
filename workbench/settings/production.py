"""Production: PostgreSQL, Redis, secrets from the environment only (no defaults)."""

from .base import *  # noqa: F401,F403
from .base import REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
CACHES = {"default": env.cache("CACHE_URL", default=env.str("REDIS_CACHE_URL", default="redis://127.0.0.1:6379/1"))}
REST_FRAMEWORK = {**REST_FRAMEWORK}

# X-Forwarded-Proto is believed only from WORKBENCH_TRUSTED_PROXIES (base.py sets
# SECURE_PROXY_SSL_HEADER then; core/http.py drops the header from anyone else).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
