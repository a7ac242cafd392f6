#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 (a free port) for the `postgres` test tier and print the URL to
# use; PG_DIR_FILE, if set, receives the server's folder (stop it with: pg_ctl -D <folder>/data stop).
# Debian's postgresql is installed if missing. Prints nothing (and exits 1) when no server could be started.
set -uo pipefail
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || exit 1
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
DIR=$(mktemp -d /tmp/interviewer-pg.XXXXXX)
echo "$DIR" > "${PG_DIR_FILE:-/dev/null}"
chown postgres "$DIR" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
as_pg "$PGBIN/initdb -D $DIR/data -A trust -U postgres" >&2 || exit 1
as_pg "$PGBIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off' start" >&2 || exit 1
psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE interviewer_test" >&2 || exit 1
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/interviewer_test"
