#!/usr/bin/env bash
# Run the whole test suite on SQLite and PostgreSQL (started if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-postgres.sh
# Spark is an optional extra of Safeguard, but its test (Spark and DuckDB give the same
# clusters) is part of the suite: install it here, not in setup.sh, so the demo stays lean.
if ! .venv/bin/python -c "import pyspark" 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[spark]" 2>&1 | grep -v "is ignored" || true
fi
exec .venv/bin/pytest -n 2 "$@"
