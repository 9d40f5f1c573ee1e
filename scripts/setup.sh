#!/usr/bin/env bash
# Set up Safeguard on a fresh machine: a virtual environment at .venv with the project and its
# test tools, the front-end packages, and Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
.venv/bin/pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import safeguard, splink, duckdb" >/dev/null
if [ -f package.json ] && command -v npm >/dev/null; then
  npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent
fi
# Debian packages: chromium for the browser tests, poppler-utils (pdftoppm) to check reports.
need=()
if [ "${SAFEGUARD_SKIP_BROWSER:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null) \
    || echo "could not install ${need[*]}: the tests that need them will say so"
fi
