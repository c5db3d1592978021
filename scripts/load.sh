#!/usr/bin/env bash
# `make load`: gunicorn (one worker per core, production settings) on loopback over
# `seed_demo --cases 20000`, then a bounded 30-second wrk run over a realistic mix of pages.
# Prints throughput, p95 and the error count; fails when any request failed.
set -eu
cd "$(dirname "$0")/.."
bash scripts/apt_packages.sh wrk
PY=.venv/bin/python
WORK=$(mktemp -d)
PORT=${LOAD_PORT:-8765}
DURATION=${LOAD_DURATION:-30s}
export DATABASE_URL=${LOAD_DATABASE_URL:-sqlite:///$WORK/load.sqlite3}
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DJANGO_FIELD_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 MEDIA_ROOT="$WORK/media" DJANGO_LOG_LEVEL=WARNING

echo "Preparing the database ($DATABASE_URL) with 20,000 cases…"
$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo --cases 20000 > /dev/null
$PY manage.py collectstatic --noinput -v 0

$PY manage.py shell -v 0 -c "
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.conf import settings
from terminations.models import Notice, TerminationCase
user = User.objects.get(username='manager')
s = SessionStore(); s['_auth_user_id'] = str(user.pk); s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; s['_auth_user_hash'] = user.get_session_auth_hash(); s.create()
open('$WORK/cookie', 'w').write(f'{settings.SESSION_COOKIE_NAME}={s.session_key}')
refs = list(TerminationCase.objects.order_by('?').values_list('reference', flat=True)[:20])
letters = list(Notice.objects.exclude(sha256='').order_by('?').values_list('pk', flat=True)[:5])
with open('$WORK/paths', 'w') as f:
    f.write('3 /dashboard/\n3 /cases/\n1 /cases/?stage=open&o=end_date\n1 /partners/\n1 /my-work/\n')
    for r in refs: f.write(f'1 /cases/{r}/\n')
    for pk in letters: f.write(f'1 /letters/{pk}/pdf/\n')
"

WORKERS=$(nproc)
.venv/bin/gunicorn config.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" --log-level warning --pid "$WORK/gunicorn.pid" --daemon
trap 'kill $(cat "$WORK/gunicorn.pid") 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 0.2; done

echo "Load: $WORKERS gunicorn workers, wrk 2 threads × 8 connections for $DURATION on 127.0.0.1:$PORT"
LOAD_COOKIE=$(cat "$WORK/cookie") LOAD_PATHS="$WORK/paths" wrk -t2 -c8 -d"$DURATION" --timeout 10s \
  -s scripts/load.lua "http://127.0.0.1:$PORT" | tee "$WORK/out" | grep -E "^load_"
errors=$(awk '/^load_errors/ {print $2}' "$WORK/out")
[ "${errors:-1}" -eq 0 ] || { echo "FAILED: $errors requests failed" >&2; exit 1; }
