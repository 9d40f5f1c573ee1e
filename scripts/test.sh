#!/usr/bin/env bash
# Run the whole test suite on SQLite and PostgreSQL (started if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-postgres.sh
exec .venv/bin/pytest -n 2 "$@"
