#!/usr/bin/env bash
# Runs the whole test suite. Creates .venv and installs requirements/test.txt on first use.
# Embedded defaults (SQLite, filesystem broker) unless DATABASE_URL / CELERY_BROKER_URL are set.
set -euo pipefail
cd "$(dirname "$0")"
source ./scripts/venv.sh test
exec .venv/bin/python -m pytest "$@"
