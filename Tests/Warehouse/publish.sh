#!/usr/bin/env bash
# `csp publish` and the run's GeoPackage, against real tools (README: "Publish"). Checks, each failing the script with a
# line saying what differs:
#   GeoPackage (05-assess/<pipeline>.gpkg, read by GDAL's ogrinfo, never by csp):
#   - GDAL opens it with the GPKG driver; one layer per theme and area layer of tables/hotspots.csv (counted by Python's
#     csv module), each with as many features as the table has rows for it, NULL counts exactly where the table has `~`,
#     in EPSG:27700; a QGIS style (layer_styles) per area layer whose fill of every area is the report's map's (its
#     SVG in report.html); point layers only for data.police.uk pipelines.
#   csp publish into a real PostgreSQL server with PostGIS (started here in a temporary folder, as postgres.sh does):
#   - a password in --to is refused (64); an unreachable server is 69; a wrong password (scram) is 77, both naming the
#     server; a schema holding another table is 73, naming it, and nothing is created there;
#   - the first load: every table's rows equal the manifest's (Python's json module), the ledger has one current load;
#   - the second load of the same run: exit 0, says so, the ledger unchanged (timed);
#   - a killed load: a second run's load is held at its last step (the ledger row) by a lock this script takes, csp is
#     killed (SIGKILL) while its transaction holds the new tables; the previous load is intact afterwards (ledger,
#     tables, counts); a load the server stops mid-way (statement_timeout) is 65 naming the table, the previous load
#     intact again; and the killed run then loads normally (its password from a .pgpass file).
# The server is stopped and the folder deleted on every exit path. Ends with "N passed, M failed"; exit 1 on a failure.
#
#   bash Tests/Warehouse/publish.sh              (make test runs it after postgres.sh; CSP=path overrides the binary)
#   bash Tests/Warehouse/publish.sh --run DIR --pipeline FILE [--set name=value]...   publish an existing run instead
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CSP=${CSP:-$ROOT/.build/release/csp}
PIPELINE=$ROOT/Pipelines/central-bedfordshire-2009.yaml
RUN_DIR=""; SETS=()
while [ $# -gt 0 ]; do
  case $1 in
    --run) RUN_DIR=${2:?--run needs a run folder}; shift 2 ;;
    --pipeline) PIPELINE=${2:?--pipeline needs a file}; shift 2 ;;
    --set) SETS+=(--set "${2:?--set needs name=value}"); shift 2 ;;
    *) echo "usage: bash Tests/Warehouse/publish.sh [--run RUN_FOLDER --pipeline FILE [--set name=value]...]"; exit 64 ;;
  esac
done
STARTED=$(date +%s.%N)
PASSED=0; FAILED=0
. "$ROOT/Tests/Warehouse/server.sh"
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
# expect_exit WHAT CODE PATTERN CMD...: the command exits CODE and its standard error matches PATTERN.
expect_exit() {
  local what=$1 code=$2 pattern=$3; shift 3
  "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?
  if [ "$got" = "$code" ] && grep -q -- "$pattern" "$WORK/err"; then ok "$what: exit $got, $(grep -m1 -- "$pattern" "$WORK/err" | cut -c1-160)"
  else bad "$what: expected exit $code and /$pattern/, got $got: $(tail -2 "$WORK/err" | cut -c1-300)"; fi
}

command -v ogrinfo >/dev/null || make -C "$ROOT" --no-print-directory setup-gdal || die "make setup-gdal failed: apt-get install gdal-bin"
command -v ogrinfo >/dev/null || die "ogrinfo (gdal-bin) is still missing"
start_server

# --- The run ----------------------------------------------------------------------------------------------------------
if [ -z "$RUN_DIR" ]; then
  [ -x "$CSP" ] || die "no release binary at $CSP: run swift build -c release (or set CSP=...)"
  OUT=$WORK/out-runs
  SETS=(--set key_file="$WORK/keys/cb.key")
  "$CSP" key init --if-missing --pipeline "$PIPELINE" --output "$OUT" "${SETS[@]}" >/dev/null 2>"$WORK/csp.err" || { tail -5 "$WORK/csp.err" >&2; die "csp key init failed"; }
  t0=$(date +%s.%N)
  RUN_DIR=$("$CSP" run --pipeline "$PIPELINE" --output "$OUT" "${SETS[@]}" 2>"$WORK/csp.err") || { tail -5 "$WORK/csp.err" >&2; die "csp run failed"; }
  echo "csp run: $(secs "$t0") s, run folder $RUN_DIR"
fi
RUN_DIR=$(cd "$RUN_DIR" && pwd -P) || die "no run folder $RUN_DIR"  # -P: latest is a link; its run id is the target
OUT=$(dirname "$(dirname "$(dirname "$RUN_DIR")")")
RUN_ID=$(basename "$RUN_DIR")
COMMON=(--pipeline "$PIPELINE" --output "$OUT" "${SETS[@]}")

# --- The GeoPackage, through GDAL -------------------------------------------------------------------------------------
GPKG=$(ls "$RUN_DIR"/05-assess/*.gpkg 2>/dev/null | head -1)
[ -n "$GPKG" ] || die "no GeoPackage in $RUN_DIR/05-assess"
ogrinfo -ro -q "$GPKG" >"$WORK/layers" 2>"$WORK/ogr.err" || die "ogrinfo cannot open $GPKG: $(cat "$WORK/ogr.err")"
OPENED=$(ogrinfo -ro "$GPKG" 2>&1)   # captured first: with pipefail, a grep -q that stops early fails the pipe
grep -q "using driver \`GPKG' successful" <<<"$OPENED" && ok "GDAL opens $(basename "$GPKG") with its GPKG driver" || bad "GDAL's GPKG driver did not open $GPKG"
python3 - "$RUN_DIR/05-assess/tables/hotspots.csv" >"$WORK/expected" <<'PY' || die "reading hotspots.csv failed"
import csv, sys, collections
rows, withheld = collections.Counter(), collections.Counter()
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    key = r["layer"] + "_" + r["theme_id"]
    rows[key] += 1
    # Withheld: a `~` count, or a large complement published as a band (`20 to 29`: NULL, the band in count_band).
    withheld[key] += r["count"] == "~" or " to " in r["count"]
for k in sorted(rows):
    print(k, rows[k], withheld[k])
PY
same "area layers = (layer, theme) pairs of hotspots.csv" "$(awk '{ print $1 }' "$WORK/expected" | sort | paste -sd' ')" \
  "$(sed -n 's/^[0-9]*: \([a-z0-9_]*\) (Multi Polygon)$/\1/p' "$WORK/layers" | sort | paste -sd' ')"
STYLED=$(ogrinfo -ro -q -sql "SELECT f_table_name FROM layer_styles WHERE styleQML LIKE '%RuleRenderer%' AND styleSLD LIKE '%StyledLayerDescriptor%'" "$GPKG" 2>/dev/null | sed -n 's/^ *f_table_name (String) = //p' | sort -u)
diffs=0; features=0; styled=0
while read -r layer rows withheld; do
  info=$(ogrinfo -ro -so "$GPKG" "$layer" 2>/dev/null)
  n=$(echo "$info" | sed -n 's/^Feature Count: //p')
  nulls=$(ogrinfo -ro -q -sql "SELECT count(*) AS n FROM \"$layer\" WHERE \"count\" IS NULL AND withheld = 1" "$GPKG" 2>/dev/null | sed -n 's/^ *n (Integer) = //p')
  grep -q 'ID\["EPSG",27700\]' <<<"$info" || { diffs=$((diffs + 1)); echo "    $layer: not EPSG:27700"; }
  [ "$n" = "$rows" ] || { diffs=$((diffs + 1)); echo "    $layer: $n features, hotspots.csv $rows rows"; }
  [ "$nulls" = "$withheld" ] || { diffs=$((diffs + 1)); echo "    $layer: $nulls withheld NULL counts, hotspots.csv $withheld ~"; }
  grep -qx "$layer" <<<"$STYLED" && styled=$((styled + 1))
  features=$((features + n))
done <"$WORK/expected"
LAYERS=$(wc -l <"$WORK/expected")
same "area layers whose feature count, withheld NULLs or SRS differ from hotspots.csv ($LAYERS layers, $features features)" 0 "$diffs"
same "area layers with a QGIS style (QML rule renderer and SLD)" "$LAYERS" "$styled"
# The layer opens looking like the report's map: per theme and area, the fill its style gives the feature (the QML rule
# of its rate_class, or the withheld/no-rate rule) is the fill of that area on the report's map (report.html's SVG).
python3 - "$RUN_DIR" "$GPKG" >"$WORK/fills" <<'PY' || die "comparing with the report's maps failed"
import glob, re, sqlite3, sys, xml.etree.ElementTree as ET
run, gpkg = sys.argv[1], sys.argv[2]
html = open(run + "/05-assess/report.html", encoding="utf-8").read()
db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
compared = differ = 0
for theme, body in re.findall(r'<section class="theme" id="([^"]+)">(.*?)</section>', html, re.S):
    for layer, prefix in (("ward", "ward"), ("lsoa", "lsoa21")):
        fills = dict(re.findall(r'<use href="#%s-([^"]+)" fill="(#[0-9a-f]+)"' % prefix, body))
        if not fills:
            continue
        qml = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = ?", (f"{layer}_{theme}",)).fetchone()
        if qml is None:
            differ += 1; print(f"    {layer}_{theme}: no style"); continue
        root = ET.fromstring(qml[0].split("\n", 1)[1])
        colour = {s.get("name"): next(o.get("value") for o in s.iter("Option") if o.get("name") == "color") for s in root.iter("symbol")}
        rule = {r.get("filter"): colour[r.get("symbol")] for r in root.iter("rule")}
        hexed = lambda rgba: "#%02x%02x%02x" % tuple(int(v) for v in rgba.split(",")[:3])
        for code, k in db.execute(f'SELECT area_code, rate_class FROM "{layer}_{theme}"'):
            got = hexed(rule[f'"rate_class" = {k}'] if k else rule['"rate_class" IS NULL'])
            want = fills.get(code, "").replace("#ddd", "#dddddd")
            compared += 1
            if got != want:
                differ += 1
                if differ <= 5: print(f"    {layer}_{theme} {code}: style fill {got}, report {want}")
print(compared, differ)
PY
read -r COMPARED DIFFER < <(tail -1 "$WORK/fills")
head -n -1 "$WORK/fills"
same "areas whose style fill differs from the report's map ($COMPARED compared)" 0 "$DIFFER"
[ "${COMPARED:-0}" -gt 0 ] || bad "no area compared with the report's maps"
if grep -q "police-uk" <<<"$(sed -n 's/^ *kind: *//p' "$PIPELINE" | sort -u | paste -sd' ')" && ! grep -qv "police-uk" <<<"$(sed -n 's/^ *kind: *//p' "$PIPELINE")"; then
  grep -q "points_crimes (Point)" "$WORK/layers" && ok "data.police.uk pipeline: a points_crimes layer" || bad "data.police.uk pipeline without a points_crimes layer"
else
  same "point layers of a pipeline with force exports (their locations are never published)" 0 "$(grep -c '(Point)' "$WORK/layers")"
fi

# --- csp publish: refusals --------------------------------------------------------------------------------------------
URL="postgresql://postgres@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$SOCK"):$PORT/csp"
expect_exit "a password in --to" 64 "password" "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "postgresql://postgres:secret@localhost/csp"
expect_exit "an unreachable server" 69 "cannot reach the PostgreSQL server postgresql://postgres@127.0.0.1:1/csp" \
  env PGCONNECT_TIMEOUT=3 "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "postgresql://postgres@127.0.0.1:1/csp"
q "CREATE ROLE publisher LOGIN PASSWORD 'right-one'; GRANT CREATE ON DATABASE csp TO publisher" || die "CREATE ROLE failed"
expect_exit "a wrong password (PGPASSWORD)" 77 "refused the load.*publisher" \
  env PGPASSWORD=wrong-one "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "${URL/postgres@/publisher@}"
psql_ -d postgres -c "CREATE DATABASE plain" || die "CREATE DATABASE plain failed"
expect_exit "a database without PostGIS" 69 "database plain on .* has no PostGIS" "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "${URL%/csp}/plain"
same "tables in database plain after the refused load" "" "$(psql_ -d plain -At -c "SELECT string_agg(table_schema || '.' || table_name, ',') FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")"
q "CREATE SCHEMA other; CREATE TABLE other.budget (x int)" || die "creating a foreign table failed"
expect_exit "a schema holding another table" 73 "other.*budget" "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "$URL" --schema other
same "tables in schema other after the refused load" "budget" "$(q "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'other'")"

# --- csp publish: first load, second load (a no-op), counts against the manifest ---------------------------------------
manifest_rows() { python3 - "$1/04-normalised/manifest.json" <<'PY'
import json, sys
for o in sorted(json.load(open(sys.argv[1]))["outputs"], key=lambda o: o["path"]):
    if o["path"].endswith(".csv") and o["role"] not in ("rejects", "excluded", "duplicates"):
        print(o["path"][:-4], o["rows"])
PY
}
check_tables() {  # check_tables RUN_DIR WHAT: every table's rows on the server = the run's manifest
  local wrong=0 n=0
  while read -r t rows; do
    n=$((n + 1)); got=$(q "SELECT count(*) FROM csp.\"$t\"" 2>/dev/null)
    [ "$got" = "$rows" ] || { wrong=$((wrong + 1)); echo "    $t: $got rows on the server, manifest $rows"; }
  done < <(manifest_rows "$1")
  same "$2: tables whose rows differ from the manifest ($n tables)" 0 "$wrong"
}
t0=$(date +%s.%N)
PGPASSWORD=right-one "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "${URL/postgres@/publisher@}" >"$WORK/out" 2>"$WORK/err" \
  && ok "first load (as publisher, password from PGPASSWORD): $(cat "$WORK/out") [$(secs "$t0") s]" || bad "first load failed: $(tail -3 "$WORK/err")"
check_tables "$RUN_DIR" "first load"
same "ledger after the first load (run, current)" "$RUN_ID|true" "$(q "SELECT string_agg(run_id || '|' || current, ',') FROM csp.loads")"
same "crimes with a PostGIS point in EPSG:27700 = rows with easting/northing or longitude/latitude" \
  "$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if (r["easting"] and r["northing"]) or (r["longitude"] and r["latitude"])))' "$RUN_DIR/04-normalised/crimes.csv")" \
  "$(q "SELECT count(*) FROM csp.crimes WHERE ST_SRID(geom) = 27700")"
t0=$(date +%s.%N)
PGPASSWORD=right-one "$CSP" publish "${COMMON[@]}" --run "$RUN_ID" --to "${URL/postgres@/publisher@}" >"$WORK/out" 2>"$WORK/err"; code=$?
if [ "$code" = 0 ] && grep -q "already the current load" "$WORK/out"; then ok "second load of the same run: a no-op, exit 0: $(cat "$WORK/out") [$(secs "$t0") s]"
else bad "second load: exit $code, $(cat "$WORK/out") $(tail -2 "$WORK/err")"; fi
same "ledger rows after the second load" 1 "$(q "SELECT count(*) FROM csp.loads")"

# --- A killed load leaves the previous one intact ----------------------------------------------------------------------
RUN_B=$("$CSP" run "${COMMON[@]}" --until normalise 2>"$WORK/csp.err") || { tail -5 "$WORK/csp.err" >&2; die "a second csp run failed"; }
RUN_B_ID=$(basename "$RUN_B")
# Hold the ledger (SHARE): csp's load runs to its last step, the ledger row, and waits there inside its transaction.
psql_ -d csp -c "BEGIN; LOCK TABLE csp.loads IN SHARE MODE; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
HOLDER=$!
sleep 0.5
"$CSP" publish "${COMMON[@]}" --run "$RUN_B_ID" --to "$URL" >"$WORK/killed.out" 2>"$WORK/killed.err" &
VICTIM=$!
waited=""
for _ in $(seq 1 240); do
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csp publish' AND wait_event_type = 'Lock'")" = 1 ] && { waited=1; break; }
  sleep 0.25
done
[ -n "$waited" ] && ok "csp's load reached the ledger row with its tables loaded ($(grep -c 'COPY' "$WORK/killed.err") COPYs logged) and waits on the lock" \
  || bad "csp's load never waited on the ledger lock: $(tail -2 "$WORK/killed.err")"
kill -9 "$VICTIM" 2>/dev/null; wait "$VICTIM" 2>/dev/null
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$HOLDER" 2>/dev/null
for _ in $(seq 1 40); do [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csp publish'")" = 0 ] && break; sleep 0.25; done
same "csp's connections left after the kill" 0 "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csp publish'")"
same "ledger after the killed load (run, current)" "$RUN_ID|true" "$(q "SELECT string_agg(run_id || '|' || current, ',') FROM csp.loads")"
check_tables "$RUN_DIR" "after the killed load, the previous load"
# A load the server fails mid-way (every statement limited to 100 ms: a COPY takes longer) exits 65 naming the
# server and the table, and leaves the previous load as it was.
expect_exit "a load the server stops mid-way (statement_timeout)" 65 "loading into postgresql://.* failed at table .*statement timeout.*previous load is intact" \
  env PGOPTIONS="-c statement_timeout=100" "$CSP" publish "${COMMON[@]}" --run "$RUN_B_ID" --to "$URL"
same "ledger after the failed load (run, current)" "$RUN_ID|true" "$(q "SELECT string_agg(run_id || '|' || current, ',') FROM csp.loads")"
check_tables "$RUN_DIR" "after the failed load, the previous load"
# This time the password comes from a .pgpass file (libpq's PGPASSFILE), none in the environment.
printf '*:*:*:publisher:right-one\n' >"$WORK/pgpass" && chmod 600 "$WORK/pgpass"
env -u PGPASSWORD PGPASSFILE="$WORK/pgpass" "$CSP" publish "${COMMON[@]}" --run "$RUN_B_ID" --to "${URL/postgres@/publisher@}" >"$WORK/out" 2>"$WORK/err" \
  && ok "the killed run then loads (as publisher, password from .pgpass): $(cat "$WORK/out")" || bad "the killed run's load failed: $(tail -2 "$WORK/err")"
same "ledger after it (current run)" "$RUN_B_ID" "$(q "SELECT run_id FROM csp.loads WHERE current")"
check_tables "$RUN_B" "the second run's load"

echo "publish.sh: $(secs "$STARTED") s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
