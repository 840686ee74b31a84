#!/usr/bin/env bash
# Lint and types: ruff's rules, ruff's format check and mypy (django-stubs + djangorestframework-stubs) on the
# apps, all configured in pyproject.toml. Run by .ci/run before the tests; exits non-zero on any finding.
# Runs all three and reports each, so one failure does not hide the others.
set -uo pipefail
cd "$(dirname "$0")/.."
source ./scripts/venv.sh test
set +e
failed=()
echo "== ruff check"
.venv/bin/ruff check . || failed+=("ruff check")
echo "== ruff format --check"
.venv/bin/ruff format --check . || failed+=("ruff format --check (run: .venv/bin/ruff format .)")
echo "== mypy"
.venv/bin/mypy || failed+=("mypy")
if [ ${#failed[@]} -gt 0 ]; then
    printf 'lint failed: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "lint: clean"
