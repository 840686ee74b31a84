#!/usr/bin/env bash
# Sets everything up and runs the workbench: web server on http://127.0.0.1:8000 plus a real
# Celery worker (with the beat scheduler). Embedded defaults: SQLite and a filesystem broker under
# var/, so no other server is needed. Set DATABASE_URL / CELERY_BROKER_URL to use PostgreSQL / Redis.
set -euo pipefail
cd "$(dirname "$0")"
source ./scripts/venv.sh local
PY=.venv/bin/python
$PY manage.py migrate --no-input
$PY manage.py collectstatic --no-input -v0
$PY manage.py demo_setup
$PY -m celery -A workbench worker --beat -Q default,extraction,scoring --concurrency "${WORKER_CONCURRENCY:-1}" \
    --loglevel INFO --logfile var/worker.log --schedule var/celerybeat-schedule &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null; wait $WORKER_PID 2>/dev/null' EXIT INT TERM
echo "Celery worker started (pid $WORKER_PID, log: var/worker.log)"
$PY manage.py runserver "${WORKBENCH_ADDR:-127.0.0.1:8000}"
