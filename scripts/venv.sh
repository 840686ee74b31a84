# Sourced by run.sh and test.sh: make .venv with Python 3.11 and install requirements/$1.txt
# when they changed since the last install.
set -euo pipefail
want="requirements/$1.txt"
if [ ! -x .venv/bin/python ]; then
    py="${PYTHON:-}"
    if [ -z "$py" ]; then
        for candidate in python3.11 python3; do
            if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
                py="$candidate"; break
            fi
        done
    fi
    [ -n "$py" ] || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
    "$py" -m venv .venv
fi
stamp=".venv/.installed-$1"
if [ ! -f "$stamp" ] || [ -n "$(find requirements -newer "$stamp" -name '*.txt' | head -1)" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$want"
    touch "$stamp"
fi
