#!/usr/bin/env bash
# Start the machine's PostgreSQL if it is not already accepting connections on 127.0.0.1:5432.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
echo "PostgreSQL did not start" >&2; exit 1
