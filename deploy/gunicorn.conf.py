"""gunicorn settings for production, behind the reverse proxy in deploy/nginx.conf:

    gunicorn -c deploy/gunicorn.conf.py workbench.wsgi

nginx reads each request completely (headers within 10 s, bodies up to its limits) before it hands
it over, so gunicorn only ever sees whole requests from a local socket; slow clients cost nginx a
connection, not a gunicorn thread. These limits are the second line, if it is reached directly.
Environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, WORKBENCH_TRUSTED_PROXIES (the same
list Django uses; see docs/deployment.md)."""

import multiprocessing
import os

# Only the proxy talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads per process: requests mostly wait on PostgreSQL; spaCy never runs here (workers do it).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request taking longer than this is killed and its process restarted (POST /api/v1/score/ waits
# at most WORKBENCH_SCORE_WAIT, 20 s).
timeout = 30
graceful_timeout = 30
keepalive = 5
# Request head limits (gunicorn refuses larger with 400/431).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle processes now and then (memory).
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto / -For only from our proxy (the same addresses Django trusts; none by default).
forwarded_allow_ips = os.environ.get("WORKBENCH_TRUSTED_PROXIES", "")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
