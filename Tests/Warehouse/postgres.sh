#!/usr/bin/env bash
# The published tables in PostgreSQL, as a region's analysts would share them (README: "Beyond one machine").
# Starts a real PostgreSQL server (Debian's packages, with PostGIS) in a temporary folder, runs the release `csp` on the
# fixture pipeline up to stage 4, and loads every 04-normalised/*.csv with COPY into tables made from DICTIONARY.md.
# Checks, each failing the script with a line saying what differs:
#   - every CSV's SHA-256 and row count equal what 04-normalised/manifest.json lists for it;
#   - every table's row count equals the CSV's data rows (Python's csv module), COPY's own count, the manifest's rows
#     and the warehouse.sqlite table's; text values keep their original first character (the CSVs' spreadsheet-safety
#     quote is undone), as warehouse.sqlite has them, column by column;
#   - crimes get a PostGIS point in EPSG:27700 from easting/northing (longitude/latitude through ST_Transform where
#     there is no easting) and a GiST index; EXPLAIN of a bounding-box query (`&&` ST_MakeEnvelope) uses that index, and
#     the rows it counts in the box equal an independent count over the CSV; every crime placed by point lies within 1 m
#     of its ward's outline (the geometry table's WKT as MultiPolygons);
#   - a read-only analyst role can read every table and cannot write.
# Not loaded: 04-normalised/rejects.csv (an audit file: it stays with the run, as the README says of the server).
# The server is stopped and the folder deleted on every exit path. Ends with "N passed, M failed"; exit 1 on a failure.
#
#   bash Tests/Warehouse/postgres.sh              (make test runs it after the fault matrix; CSP=path overrides the binary)
#   bash Tests/Warehouse/postgres.sh --run DIR    load an existing run folder (runs/<id>) instead of running csp
#
# PostgreSQL and PostGIS come from `make setup-postgres` (apt-get) when missing. The server runs as the `postgres`
# user (the Debian package creates it) when this script runs as root, as CI does, and as the caller otherwise; it
# listens on a Unix socket in the temporary folder only (no TCP port, so parallel runs cannot clash).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CSP=${CSP:-$ROOT/.build/release/csp}
PIPELINE=$ROOT/Pipelines/central-bedfordshire-2009.yaml
HERE=$ROOT/Tests/Warehouse
SCHEMA=csp
RUN_DIR=""; LOADED_RUN=""
while [ $# -gt 0 ]; do
  case $1 in
    --run) RUN_DIR=${2:?--run needs a run folder}; LOADED_RUN=1; shift 2 ;;
    *) echo "usage: bash Tests/Warehouse/postgres.sh [--run RUN_FOLDER]"; exit 64 ;;
  esac
done

STARTED=$(date +%s.%N)
PASSED=0; FAILED=0
# The temporary folder's and server's clean-up on every exit path, the check helpers (ok, bad, same, die) and the
# PostgreSQL finders (pg_bin, has_postgis): one copy, shared with publish.sh. This script starts its own server below.
. "$HERE/server.sh"
py() { python3 "$HERE/published.py" "$@" || die "published.py $1 failed (above)"; }

# --- PostgreSQL and PostGIS -----------------------------------------------------------------------------------------
if ! has_postgis; then
  echo "PostgreSQL or PostGIS missing: make setup-postgres"
  make -C "$ROOT" --no-print-directory setup-postgres || die "make setup-postgres failed: install postgresql and postgresql-<major>-postgis-3"
fi
has_postgis || die "PostGIS is still missing after make setup-postgres"
PGBIN=$(pg_bin)
PG_MAJOR=$(basename "$(dirname "$PGBIN")")
[ -f "/usr/share/postgresql/$PG_MAJOR/extension/postgis.control" ] || die "PostGIS is not installed for PostgreSQL $PG_MAJOR (postgresql-$PG_MAJOR-postgis-3)"
for tool in initdb pg_ctl psql; do [ -x "$PGBIN/$tool" ] || die "$PGBIN/$tool missing"; done
command -v python3 >/dev/null || die "python3 missing"

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root and there is no postgres user to run the server (the Debian package creates it)"
  as_pg() { runuser -u postgres -- "$@"; }
  PG_OWNER=postgres
else
  as_pg() { "$@"; }
  PG_OWNER=$(id -un)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/csp-pg.XXXXXX") || die "mktemp failed"
chmod 711 "$WORK"                       # the server's user must reach its folder inside
PGDATA=$WORK/pg/data
SOCK=$WORK/pg
PORT=5432                               # only names the socket file: the server listens on no TCP port
mkdir -p "$SOCK" && chown "$PG_OWNER" "$SOCK" || die "cannot make $SOCK"
: >"$WORK/server.log" && chown "$PG_OWNER" "$WORK/server.log"

as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
# fsync off: a throwaway server in a test (a shared server keeps the defaults; see the README).
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $SOCK -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || die "pg_ctl start failed"
SERVER_UP=1
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres "$@"; }
q() { psql_ -d csp -At -c "$1"; }            # one query, unaligned, tuples only
psql_ -d postgres -c "CREATE DATABASE csp" || die "CREATE DATABASE failed"
q "CREATE EXTENSION postgis" || die "CREATE EXTENSION postgis failed"
echo "server: $(q 'SHOW server_version'), PostGIS $(q 'SELECT postgis_lib_version()'); psql: $("$PGBIN/psql" --version)"
case "$(q 'SHOW server_version')" in "$PG_MAJOR".*) ok "server version is PostgreSQL $PG_MAJOR" ;; *) bad "server version $(q 'SHOW server_version') is not $PG_MAJOR" ;; esac

# --- The run to load ------------------------------------------------------------------------------------------------
if [ -z "$RUN_DIR" ]; then
  [ -x "$CSP" ] || die "no release binary at $CSP: run swift build -c release (or set CSP=...)"
  OUT=$WORK/out
  KEY=$WORK/keys/central-bedfordshire.key
  "$CSP" key init --if-missing --pipeline "$PIPELINE" --output "$OUT" --set key_file="$KEY" >/dev/null 2>"$WORK/csp.err" \
    || { tail -5 "$WORK/csp.err" >&2; die "csp key init failed"; }
  t0=$(date +%s.%N)
  RUN_DIR=$("$CSP" run --pipeline "$PIPELINE" --output "$OUT" --set key_file="$KEY" --until normalise 2>"$WORK/csp.err") \
    || { tail -5 "$WORK/csp.err" >&2; die "csp run --until normalise failed"; }
  echo "csp run --until normalise: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s, run folder $RUN_DIR"
fi
RUN_DIR=$(cd "$RUN_DIR" && pwd) || die "no run folder $RUN_DIR"
N4=$RUN_DIR/04-normalised
[ -d "$N4" ] || die "$N4 missing: the run did not publish stage 4"

# --- The files against the manifest ---------------------------------------------------------------------------------
py plan "$RUN_DIR" >"$WORK/plan" || exit 1
while read -r name rows sha m_rows m_sha _; do
  same "$name.csv SHA-256 = manifest" "$m_sha" "$sha"
  if [ "$m_rows" != "-" ]; then same "$name.csv data rows = manifest rows" "$m_rows" "$rows"; fi
done <"$WORK/plan"
[ "$FAILED" = 0 ] || die "the published files do not match their manifest: not loading them"
awk '$6 == "load"' "$WORK/plan" >"$WORK/load"
awk '$6 == "audit" { printf "%s%s.csv (%s rows)", sep, $1, $2; sep = ", " }' "$WORK/plan" | sed 's/^./not loaded (audit files stay with the run): &/'; echo

# --- Tables from DICTIONARY.md, COPY, counts ------------------------------------------------------------------------
py ddl "$RUN_DIR" "$SCHEMA" tables >"$WORK/ddl.sql" || exit 1
py ddl "$RUN_DIR" "$SCHEMA" keys >"$WORK/keys.sql" || exit 1
q "CREATE SCHEMA $SCHEMA" || die "CREATE SCHEMA failed"
grep -v '^-- copy ' "$WORK/ddl.sql" | psql_ -d csp -f - || die "the tables of DICTIONARY.md could not be created ($WORK/ddl.sql)"
# PostGIS columns, computed by the server as COPY writes each row (a later UPDATE would write every row twice).
# Easting/northing are OSGB36 metres, EPSG:27700 as they stand; data.police.uk rows have only WGS84 longitude/latitude,
# which PostGIS transforms (PROJ; csp's own conversion agrees to about 5 m: see Geography). Outlines are WKT in 27700.
grep -q '^-- copy crimes ' "$WORK/ddl.sql" || die "the run published no crimes dataset"
q "ALTER TABLE $SCHEMA.crimes ADD COLUMN geom geometry(Point, 27700) GENERATED ALWAYS AS (CASE
     WHEN easting IS NOT NULL AND northing IS NOT NULL THEN ST_SetSRID(ST_MakePoint(easting, northing), 27700)
     WHEN longitude IS NOT NULL AND latitude IS NOT NULL THEN ST_Transform(ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), 27700)
   END) STORED;
   ALTER TABLE $SCHEMA.geometry ADD COLUMN geom geometry(MultiPolygon, 27700) GENERATED ALWAYS AS (ST_GeomFromText(wkt, 27700)) STORED;" \
  || die "the geometry columns could not be added"
py warehouse "$RUN_DIR" >"$WORK/warehouse" || exit 1
L0=$(date +%s.%N)
while read -r name rows _; do
  cols=$(sed -n "s/^-- copy $name //p" "$WORK/ddl.sql")
  [ -n "$cols" ] || die "no COPY column list for $name"
  # COPY FROM STDIN: psql sends the file; the server never opens a path (a shared server has no access to the run).
  c0=$(date +%s.%N)
  copied=$("$PGBIN/psql" -X -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d csp -At \
    -c "COPY $SCHEMA.\"$name\" ($cols) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')" <"$N4/$name.csv" 2>"$WORK/copy.err") \
    || { cat "$WORK/copy.err" >&2; die "COPY of $name.csv failed"; }
  COPY_S=$(awk -v t="${COPY_S:-0}" -v a="$c0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", t + b - a }')
  same "$name: COPY's count = CSV data rows" "$rows" "${copied#COPY }"
  same "$name: table rows = CSV data rows" "$rows" "$(q "SELECT count(*) FROM $SCHEMA.\"$name\"")"
  w=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/warehouse")
  if [ -n "$w" ]; then same "$name: table rows = warehouse.sqlite rows" "$w" "$rows"; else bad "$name: no table $name in warehouse.sqlite"; fi
done <"$WORK/load"
# The CSVs put a ' before a text cell starting with = + - @ tab or CR (spreadsheet safety); the server gets the value
# itself, as warehouse.sqlite has it: per text column, the count of such values must equal the warehouse's.
py unquote "$RUN_DIR" "$SCHEMA" | psql_ -d csp -f - || die "undoing the spreadsheet-safety quote failed"
py triggers "$RUN_DIR" >"$WORK/triggers.sqlite" || exit 1
py triggers "$RUN_DIR" "$SCHEMA" | psql_ -d csp -At -f - >"$WORK/triggers.pg" || die "counting formula characters failed"
if diff <(sort "$WORK/triggers.sqlite") <(sort "$WORK/triggers.pg") >"$WORK/triggers.diff"; then
  ok "text values starting with = + - @ tab CR, per column: as in warehouse.sqlite ($(awk '{ s += $3 } END { print s + 0 }' "$WORK/triggers.pg") values, $(wc -l <"$WORK/triggers.pg") columns)"
else
  bad "text values starting with = + - @ tab CR differ from warehouse.sqlite (< warehouse, > server):"; sed 's/^/    /' "$WORK/triggers.diff"
fi
k0=$(date +%s.%N)
psql_ -d csp -f "$WORK/keys.sql" || die "the keys or indexes of DICTIONARY.md could not be made ($WORK/keys.sql)"
KEYS_S=$(awk -v a="$k0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
q "ANALYZE" || die "ANALYZE failed"
ROWS=$(awk '{ s += $2 } END { print s }' "$WORK/load")
echo "loaded $(wc -l <"$WORK/load") tables, $ROWS rows in $(awk -v a="$L0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s (COPY alone $COPY_S s: $(awk -v r="$ROWS" -v t="$COPY_S" 'BEGIN { printf "%d", r / t }') rows/s; keys and indexes $KEYS_S s; the rest is the checks)"

# --- PostGIS: points in British National Grid metres, a GiST index, a bounding box -----------------------------------
CRIMES=$N4/crimes.csv
[ -f "$CRIMES" ] || die "$CRIMES missing"
q "CREATE INDEX crimes_geom_gist ON $SCHEMA.crimes USING gist (geom);
   CREATE INDEX geometry_geom_gist ON $SCHEMA.geometry USING gist (geom);
   ANALYZE $SCHEMA.crimes; ANALYZE $SCHEMA.geometry;" || die "the GiST indexes failed"
read -r EN LL <<<"$(py located "$CRIMES")"
same "crimes: rows with a point = CSV rows with easting/northing ($EN) or only longitude/latitude ($LL)" "$((EN + LL))" "$(q "SELECT count(geom) FROM $SCHEMA.crimes")"
same "crimes: points not valid or not SRID 27700" "0" "$(q "SELECT count(*) FROM $SCHEMA.crimes WHERE geom IS NOT NULL AND (NOT ST_IsValid(geom) OR ST_SRID(geom) <> 27700)")"
same "geometry: outlines = rows with WKT" "$(q "SELECT count(wkt) FROM $SCHEMA.geometry")" "$(q "SELECT count(geom) FROM $SCHEMA.geometry")"
# Stage 3 placed these crimes by point in polygon on outlines it holds in fractional metres; geometry.csv rounds each
# vertex to whole metres, which moves an edge by at most 0.71 m. So every such crime must lie within 1 m of its own
# ward's published outline (ST_DWithin; a point on a shared edge counts for both sides).
OUTSIDE=$(q "SELECT count(*) FROM $SCHEMA.crimes c WHERE c.geocode_method = 'point' AND c.geom IS NOT NULL AND NOT EXISTS (
   SELECT 1 FROM $SCHEMA.geometry g WHERE g.layer = 'ward' AND g.code = c.ward_code AND ST_Intersects(g.geom, c.geom))")
same "crimes placed by point more than 1 m outside their own ward's outline ($OUTSIDE outside by less: rounding)" "0" \
  "$(q "SELECT count(*) FROM $SCHEMA.crimes c WHERE c.geocode_method = 'point' AND c.geom IS NOT NULL AND NOT EXISTS (
   SELECT 1 FROM $SCHEMA.geometry g WHERE g.layer = 'ward' AND g.code = c.ward_code AND ST_DWithin(g.geom, c.geom, 1.0))")"

# A bounding box from the data: the middle half of the easting and northing ranges. The independent count reads the
# eastings/northings of crimes.csv, so rows placed from longitude/latitude are left out of both counts. (The index and
# && compare single-precision boxes: exact for whole metres, which is what easting/northing are.)
if [ "$EN" -lt 4 ] && [ -n "$LOADED_RUN" ]; then
  echo "skip bounding-box check: $RUN_DIR has $EN crimes with easting/northing ($LL placed from longitude/latitude only)"
else
  read -r X0 Y0 X1 Y1 <<<"$(py box "$CRIMES")"
  [ -n "${Y1:-}" ] || die "no bounding box from $CRIMES"
  BOX="ST_MakeEnvelope($X0, $Y0, $X1, $Y1, 27700)"
  QUERY="SELECT count(*) FROM $SCHEMA.crimes WHERE geom && $BOX"
  [ "$LL" = 0 ] || QUERY="$QUERY AND easting IS NOT NULL AND northing IS NOT NULL"
  echo "box: easting $X0-$X1, northing $Y0-$Y1"
  echo "plan as the planner chooses: $(q "EXPLAIN (COSTS OFF) $QUERY" | grep -v 'Cond:\|Filter:' | sed 's/^ *//; s/^-> *//' | paste -sd'>' | sed 's/>/ -> /g')"
  # A table of a few thousand rows fits in a few pages, where a sequential scan is cheaper: turn it off to see the index.
  PLAN=$(psql_ -d csp -At -c "SET enable_seqscan = off" -c "EXPLAIN $QUERY") || die "EXPLAIN failed"
  echo "$PLAN" | sed 's/^/    /; s/'"'"'[0-9A-F]\{40,\}'"'"'::geometry/<box>/'
  INDEX_LINE=$(echo "$PLAN" | grep -E "(Index|Index Only|Bitmap Index) Scan (using|on) crimes_geom_gist" | head -1 | sed 's/^ *//; s/^-> *//')
  if [ -n "$INDEX_LINE" ]; then ok "EXPLAIN uses the GiST index: $INDEX_LINE"; else bad "EXPLAIN of the bounding-box query does not use crimes_geom_gist"; fi
  IN_BOX_PG=$(psql_ -d csp -At -c "SET enable_seqscan = off" -c "$QUERY") || die "the bounding-box query failed"
  IN_BOX_SEQ=$(psql_ -d csp -At -c "SET enable_indexscan = off" -c "SET enable_bitmapscan = off" -c "$QUERY") || die "the bounding-box query failed"
  IN_BOX_CSV=$(py count "$CRIMES" "$X0" "$Y0" "$X1" "$Y1")
  same "crimes in the box: index scan = independent count over crimes.csv" "$IN_BOX_CSV" "$IN_BOX_PG"
  same "crimes in the box: sequential scan = independent count over crimes.csv" "$IN_BOX_CSV" "$IN_BOX_SEQ"
  if [ "$IN_BOX_CSV" -gt 0 ] 2>/dev/null; then ok "the box holds crimes ($IN_BOX_CSV of $EN with easting/northing)"; else bad "the box holds no crime: the check proves nothing"; fi
fi

echo "size on the server: crimes $(q "SELECT format('%s rows, table %s B/row, indexes %s B/row', count(*),
  pg_table_size('$SCHEMA.crimes') / greatest(count(*), 1), pg_indexes_size('$SCHEMA.crimes') / greatest(count(*), 1)) FROM $SCHEMA.crimes")\
 (crimes.csv $(( $(wc -c <"$CRIMES") / $(awk '$1 == "crimes" { print ($2 > 0 ? $2 : 1) }' "$WORK/load") )) B/row); database $(q "SELECT pg_size_pretty(pg_database_size('csp'))")"

# --- A read-only role for the region's analysts ----------------------------------------------------------------------
q "CREATE ROLE csp_read NOLOGIN;
   GRANT CONNECT ON DATABASE csp TO csp_read;
   GRANT USAGE ON SCHEMA $SCHEMA TO csp_read;
   GRANT SELECT ON ALL TABLES IN SCHEMA $SCHEMA TO csp_read;
   CREATE ROLE analyst LOGIN IN ROLE csp_read;" || die "creating the roles failed"
TABLES=$(awk '{ print $1 }' "$WORK/load")
readable=0
for t in $TABLES; do
  psql_ -d csp -U analyst -At -c "SELECT count(*) FROM $SCHEMA.\"$t\"" >/dev/null 2>&1 && readable=$((readable + 1))
done
same "analyst can read every table" "$(echo "$TABLES" | wc -w)" "$readable"
if psql_ -d csp -U analyst -At -c "DELETE FROM $SCHEMA.crimes" >/dev/null 2>"$WORK/denied"; then
  bad "analyst could DELETE from crimes"
else
  grep -q "permission denied" "$WORK/denied" && ok "analyst cannot write: $(head -1 "$WORK/denied" | sed 's/^[^:]*: *//')" || bad "analyst's DELETE failed for another reason: $(cat "$WORK/denied")"
fi

echo "postgres.sh: $(awk -v a="$STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
