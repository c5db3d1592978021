#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL. Fails if either fails.
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${PG_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}
status=0

echo "=== Test run 1/2: SQLite ==="
env -u DATABASE_URL $PY -m pytest "$@" || status=1

echo "=== Test run 2/2: PostgreSQL ($PG_URL) ==="
if DATABASE_URL="$PG_URL" $PY - <<'PYEOF'
import os, sys
import dj_database_url, psycopg
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"], dbname=cfg["NAME"], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL is not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PYEOF
then
  DATABASE_URL="$PG_URL" $PY -m pytest "$@" || status=1
else
  if [ "${CI:-}" = "true" ]; then
    echo "FAILED: PostgreSQL is required in CI (CI=true) and did not answer at $PG_URL." >&2
    status=1
  else
    echo "SKIPPED: the PostgreSQL run was skipped because no server answered at $PG_URL."
  fi
fi
[ $status -eq 0 ] && echo "All test runs passed (SQLite and PostgreSQL)." || echo "Some test runs FAILED." >&2
exit $status
