#!/usr/bin/env bash
# make bench: for SQLite (a file in a temp dir) and PostgreSQL ($PG_URL or
# postgres://postgres@127.0.0.1:5432/bench): migrate, seed 20,000 cases, time the pages.
# Each figure on its own line as `name value unit`; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CASES=${BENCH_CASES:-20000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Production settings, as the server runs them (DEBUG off: no template debugging, no query log),
# minus the HTTPS redirect that the in-process client would otherwise receive.
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DJANGO_FIELD_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_LOG_LEVEL=WARNING MEDIA_ROOT="$TMP/media"
$PY manage.py collectstatic --noinput -v 0 >&2

seed() {
  if $PY manage.py help seed_demo 2>/dev/null | grep -q -- "--cases"; then
    $PY manage.py seed_demo --cases "$CASES" >&2
  else
    $PY manage.py shell -c "from django.utils import timezone; from terminations.bulk import seed_bulk_cases; print(seed_bulk_cases($CASES, today=timezone.localdate()))" >&2
  fi
}

run_one() {  # $1: suffix, DATABASE_URL set by the caller
  echo "== $1: migrate and seed $CASES cases" >&2
  $PY manage.py migrate --noinput -v 0 >&2
  local start=$SECONDS
  seed
  echo "seed_seconds_$1 $((SECONDS - start)) s"
  # Time the pages in the steady state, not in the aftermath of writing 20,000 cases: flush the
  # dirty pages now (PostgreSQL) and let the background writer and autovacuum settle.
  $PY manage.py shell -v 0 -c "from django.db import connection
if connection.vendor == 'postgresql': connection.cursor().execute('CHECKPOINT')" >&2
  sleep 5
  $PY manage.py bench_pages --requests 30 --suffix "$1"
  # 100 letters' e-mails through db_worker to a real SMTP server on loopback (issue 16).
  $PY manage.py bench_email --count 100 --suffix "$1"
  # Re-checking every open end date against the holiday calendar (what entering a year's
  # official arrangement costs at most; the daily run without a calendar change checks none).
  $PY manage.py shell -v 0 -c "import time
from terminations.services import cases_recheck_calendar
start = time.perf_counter(); report = cases_recheck_calendar(everything=True)
print(f'calendar_recheck_all_$1 {time.perf_counter() - start:.1f} s')
print(f'calendar_recheck_cases_$1 {report.checked} cases')
start = time.perf_counter(); cases_recheck_calendar()
print(f'calendar_recheck_unchanged_$1 {(time.perf_counter() - start) * 1000:.0f} ms')"
}

DATABASE_URL="sqlite:///$TMP/bench.sqlite3" run_one sqlite

PG=${PG_URL:-postgres://postgres@127.0.0.1:5432/bench}
PG=${PG%/*}/bench
if $PY - "$PG" <<'PYEOF' >&2
import sys, psycopg
url = sys.argv[1]
admin = url.rsplit("/", 1)[0] + "/postgres"
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute("DROP DATABASE IF EXISTS bench")
    conn.execute("CREATE DATABASE bench")
PYEOF
then
  DATABASE_URL="$PG" run_one postgres
else
  echo "PostgreSQL not reachable at $PG: postgres figures skipped" >&2
fi

if $PY manage.py help bench_letters >/dev/null 2>&1; then
  $PY manage.py bench_letters
fi
