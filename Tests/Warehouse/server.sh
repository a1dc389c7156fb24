# Sourced by Tests/Warehouse/publish.sh (and postgres.sh, for everything but start_server): a throwaway PostgreSQL server with PostGIS in a temporary folder (Debian's
# packages; `make setup-postgres` installs them when missing), listening on a Unix socket only, stopped and deleted on
# every exit path; and the check helpers (ok, bad, same, die). Defines WORK, PGBIN, SOCK, PORT, psql_ and q (one query
# on database csp). Trust authentication for every role but `publisher`, which needs its password (scram-sha-256), so
# a wrong password can be tried.
WORK=""; PGDATA=""; SERVER_UP=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_UP" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || echo "warning: pg_ctl stop failed" >&2
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

die() { echo "FAIL: $*" >&2; [ -n "$WORK" ] && [ -f "$WORK/server.log" ] && { echo "--- server log (last 15 lines)" >&2; tail -15 "$WORK/server.log" >&2; }; exit 1; }
ok() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
same() { if [ "$2" = "$3" ]; then ok "$1: $3"; else bad "$1: expected $2, got $3"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
has_postgis() { [ -n "$(pg_bin)" ] && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; }

start_server() {
  if ! has_postgis; then
    make -C "$ROOT" --no-print-directory setup-postgres || die "make setup-postgres failed: install postgresql and postgresql-<major>-postgis-3"
  fi
  PGBIN=$(pg_bin)
  for tool in initdb pg_ctl psql; do [ -x "$PGBIN/$tool" ] || die "$PGBIN/$tool missing"; done
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root and there is no postgres user to run the server"
    as_pg() { runuser -u postgres -- "$@"; }
    PG_OWNER=postgres
  else
    as_pg() { "$@"; }
    PG_OWNER=$(id -un)
  fi
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/csp-publish.XXXXXX") || die "mktemp failed"
  chmod 711 "$WORK"
  PGDATA=$WORK/pg/data; SOCK=$WORK/pg; PORT=5432
  mkdir -p "$SOCK" && chown "$PG_OWNER" "$SOCK" || die "cannot make $SOCK"
  : >"$WORK/server.log" && chown "$PG_OWNER" "$WORK/server.log"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  { echo "local all publisher scram-sha-256"; cat "$PGDATA/pg_hba.conf"; } >"$WORK/hba" && cp "$WORK/hba" "$PGDATA/pg_hba.conf" \
    && chown "$PG_OWNER" "$PGDATA/pg_hba.conf" || die "cannot write pg_hba.conf"
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $SOCK -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || die "pg_ctl start failed"
  SERVER_UP=1
  psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres "$@"; }
  q() { psql_ -d csp -At -c "$1"; }
  psql_ -d postgres -c "CREATE DATABASE csp" || die "CREATE DATABASE failed"
  q "CREATE EXTENSION postgis" || die "CREATE EXTENSION postgis failed"
  echo "server: PostgreSQL $(q 'SHOW server_version'), PostGIS $(q 'SELECT postgis_lib_version()'); socket $SOCK"
}
