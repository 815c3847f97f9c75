#!/usr/bin/env bash
# Make sure the services the test suite needs answer, installing them with apt when missing.
# PostgreSQL: use FIW_TEST_DATABASE_URL when it answers; otherwise start a throwaway server in
# a temporary folder and record its URL in var/test-env for scripts/test-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
: > var/test-env
url="${FIW_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"

pg_answers() {
  .venv/bin/python - "$1" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "need root to apt-get install $*" >&2; return 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

throwaway="postgresql://postgres@127.0.0.1:55432/test"
if pg_answers "$url"; then
  echo "PostgreSQL answers at $url"
elif pg_answers "$throwaway"; then
  echo "export FIW_TEST_DATABASE_URL=$throwaway" >> var/test-env
  echo "Reusing the throwaway PostgreSQL at $throwaway"
else
  echo "No PostgreSQL at $url: starting a throwaway server"
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    apt_install postgresql
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  dir=$(mktemp -d /tmp/fiw-pg.XXXXXX)
  chown -R postgres "$dir" 2>/dev/null || true
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  run_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
  port=55432
  run_pg "$bindir/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" \
    -l "$dir/log" -w start >/dev/null
  run_pg "$bindir/createdb" -h 127.0.0.1 -p $port -U postgres test
  url="postgresql://postgres@127.0.0.1:$port/test"
  pg_answers "$url"
  echo "export FIW_TEST_DATABASE_URL=$url" >> var/test-env
  echo "Throwaway PostgreSQL at $url (data in $dir)"
fi

if [ -n "${FIW_NEED_CHROMIUM:-1}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's Chromium for the browser tests"
  apt_install chromium
fi

# WeasyPrint (the workbench's PDF export) renders through Pango and HarfBuzz.
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  echo "Installing the Pango libraries WeasyPrint needs"
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
fi
