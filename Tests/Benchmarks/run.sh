#!/usr/bin/env bash
# csp benchmarks: `make bench` (SCALE=1) or `make bench SCALE=10`, from the repository root,
# after `swift build -c release`. See Tests/Benchmarks/README.md.
#
# Layout: one function per benchmark group (bench_readers is the first; stage benchmarks go
# beside it and are added to GROUPS). Tools and generated inputs are cached in .build-bench/
# (git-ignored): the venv is made once, the data is regenerated only when it is missing, SCALE
# changes or the generator changes. Results: Output/bench/<group>.json plus a printed table.
set -euo pipefail

SCALE="${1:-${SCALE:-1}}"
[[ "$SCALE" =~ ^[0-9]+(\.[0-9]+)?$ && ! "$SCALE" =~ ^0+(\.0*)?$ ]] || { echo "usage: run.sh [SCALE]   (SCALE in millions of records, > 0; 0.1 for a quick check)" >&2; exit 64; }
RUNS="${BENCH_RUNS:-3}"           # hyperfine --runs (median of at least 3)
(( RUNS >= 3 )) || { echo "BENCH_RUNS must be >= 3" >&2; exit 64; }
BENCH_GROUP_LIST="${BENCH_GROUPS:-readers stages geocode rerun national}" # space-separated benchmark groups to run

ROOT="$(pwd)"
HERE="$ROOT/Tests/Benchmarks"
[[ -f "$HERE/run.sh" && -f Package.swift ]] || { echo "run.sh: run from the repository root" >&2; exit 64; }
CACHE="$ROOT/.build-bench"
VENV="$CACHE/venv"
PY="$VENV/bin/python"
DATA="$CACHE/data"
OUT="$ROOT/Output/bench"
RAW="$OUT/raw"
CSP="${BENCH_CSP:-$ROOT/.build/release/csp}"   # BENCH_CSP=PATH times another build of csp (a before/after comparison)
PIP_PKGS=(duckdb==2.0.1 lxml==6.1.3)

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
apt_install() { # apt_install PACKAGE... (quiet; apt-get update first, once)
  local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if [[ -z "${_APT_UPDATED:-}" ]]; then $sudo apt-get update -qq >/dev/null; _APT_UPDATED=1; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

setup_tools() {
  local need=()
  command -v hyperfine >/dev/null || need+=(hyperfine)
  [[ -x /usr/bin/time ]] || need+=(time)
  if ((${#need[@]})); then log "installing ${need[*]} (apt-get)"; apt_install "${need[@]}"; fi
  command -v hyperfine >/dev/null || die "hyperfine is missing"

  local stamp="$VENV/.bench-pkgs"
  if [[ ! -x "$PY" || "$(cat "$stamp" 2>/dev/null)" != "${PIP_PKGS[*]}" ]]; then
    log "making $VENV with ${PIP_PKGS[*]} (pip; cached for later runs)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --disable-pip-version-check "${PIP_PKGS[@]}"
    echo "${PIP_PKGS[*]}" > "$stamp"
  fi
  [[ -x "$CSP" ]] || die "$CSP is missing: run 'swift build -c release' (make bench does)"
}

# ---------------------------------------------------------------- inputs
gen_data() {
  local key; key="scale=$SCALE gen=$(sha256sum "$HERE/gen_inputs.py" | cut -c1-16) py=$(python3 -c 'import sys;print("%d.%d"%sys.version_info[:2])')"
  if [[ "$(cat "$DATA/.key" 2>/dev/null)" != "$key" || ! -s "$DATA/crimes.csv" || ! -s "$DATA/asb.xml" ]]; then
    log "generating inputs at SCALE=$SCALE into $DATA"
    rm -rf "$DATA"; mkdir -p "$DATA"
    local t0=$SECONDS
    python3 "$HERE/gen_inputs.py" "$SCALE" "$DATA"
    echo "$key" > "$DATA/.key"
    log "generated in $((SECONDS - t0)) s"
  else
    log "inputs cached in $DATA ($key)"
  fi
}

# SCALE million data.police.uk street rows (csp-fixtures --scale N --format police-uk: 30 monthly files, about 1%
# re-published crimes), for the stages, geocode and rerun groups; cached in $PDATA and regenerated only when SCALE, the
# generator's sources or the fixture reference tables change. The generator's own count is in $PDATA/scale.json.
PDATA="$CACHE/police-uk-data-scale$SCALE"   # one cache per SCALE (10M is 2.1 GB)
gen_police_uk() {
  local fixtures="$ROOT/.build/release/csp-fixtures"
  [[ -x "$fixtures" ]] || die "$fixtures is missing: run 'swift build -c release'"
  local key; key="scale=$SCALE gen=$(cat "$ROOT"/Sources/CSPFixtures/*.swift "$ROOT"/Fixtures/reference/*.csv | sha256sum | cut -c1-16)"
  if [[ "$(cat "$PDATA/.key" 2>/dev/null)" != "$key" || ! -s "$PDATA/scale.json" ]]; then
    log "generating $SCALE M data.police.uk street rows into $PDATA"
    rm -rf "$PDATA"; mkdir -p "$PDATA"
    "$fixtures" --scale "$SCALE" --format police-uk --out "$PDATA" >&2
    echo "$key" > "$PDATA/.key"
  else
    log "data.police.uk inputs cached in $PDATA ($key)"
  fi
}

# ---------------------------------------------------------------- measuring helpers
# rss_run NAME OUTFILE CMD...: one run under /usr/bin/time -v; stdout to OUTFILE, peak RSS (KB)
# to $RAW/NAME.rss. Fails loudly on a non-zero exit.
rss_run() {
  local name="$1" out="$2"; shift 2
  if ! /usr/bin/time -v -o "$RAW/$name.time" "$@" > "$out" 2> "$RAW/$name.stderr"; then
    cat "$RAW/$name.stderr" >&2; die "$name failed: $*"
  fi
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$RAW/$name.time" > "$RAW/$name.rss"
}

# hf NAME FILE CMD...: hyperfine, warmup 1, $RUNS runs, JSON to $RAW/NAME.hyperfine.json.
# Each command is given as "label=command". No shell (-N): hyperfine splits the words itself
# (so paths are %q-quoted) and sends stdout to /dev/null, so "cat FILE" is `cat FILE > /dev/null`
# without a shell's start-up in the few milliseconds it takes. Before every run, `cat FILE`
# (--prepare) puts the input back in the page cache: this VM pages out memory left idle for
# about a minute, and a multi-GB input read back from disk would time the disk, not the reader.
hf() {
  local name="$1" file="$2"; shift 2
  local args=() c
  for c in "$@"; do args+=(-n "${c%%=*}" "${c#*=}"); done
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --prepare "cat $(printf %q "$file")" \
    --export-json "$RAW/$name.hyperfine.json" "${args[@]}" >&2
}

# ---------------------------------------------------------------- group: readers
bench_readers() {
  gen_data
  local csv="$DATA/crimes.csv" xml="$DATA/asb.xml" ref="$HERE/duckdb_readers.py"
  local q_csv q_xml q_py q_ref
  q_csv=$(printf %q "$csv"); q_xml=$(printf %q "$xml"); q_py=$(printf %q "$PY"); q_ref=$(printf %q "$ref")
  local q_csp; q_csp=$(printf %q "$CSP")

  log "readers: correctness + peak RSS (one run each under /usr/bin/time -v)"
  cat "$csv" "$xml" > /dev/null  # page cache, as for the timed runs
  rss_run csv.csp "$RAW/csv.csp.out" "$CSP" inspect "$csv" --count-by Ward
  rss_run csv.ref "$RAW/csv.ref.out" "$PY" "$ref" csv "$csv"
  rss_run xml.csp "$RAW/xml.csp.out" "$CSP" inspect "$xml" --format xml --record Incident --count-by Location/Ward
  rss_run xml.ref "$RAW/xml.ref.out" "$PY" "$ref" xml "$xml" lxml
  rss_run csv.cat /dev/null cat "$csv"
  rss_run xml.cat /dev/null cat "$xml"
  rss_run csv.startup /dev/null "$PY" "$ref" startup

  log "readers: timing, CSV (hyperfine --warmup 1 --runs $RUNS)"
  hf csv "$csv" \
    "cat=cat $q_csv" \
    "csp=$q_csp inspect $q_csv --count-by Ward" \
    "ref=$q_py $q_ref csv $q_csv" \
    "startup=$q_py $q_ref startup"
  log "readers: timing, XML"
  hf xml "$xml" \
    "cat=cat $q_xml" \
    "csp=$q_csp inspect $q_xml --format xml --record Incident --count-by Location/Ward" \
    "ref=$q_py $q_ref xml $q_xml lxml"

  # readers.json is the latest run; readers-scaleN.json keeps one per SCALE.
  local rc=0
  python3 "$HERE/report.py" readers "$RAW" "$DATA" "$OUT/readers.json" "$SCALE" || rc=$?
  [[ -f "$OUT/readers.json" ]] && cp "$OUT/readers.json" "$OUT/readers-scale$SCALE.json"
  return "$rc"
}

# ---------------------------------------------------------------- group: stages
# Stages 1-4 on SCALE million data.police.uk street rows (Tests/Benchmarks/stages-pipeline.yaml), end to end
# (`csp run --force --until normalise`) and each stage alone (`csp stage X --run BASE`), beside the DuckDB reference
# (Tests/Benchmarks/reference.sql through duckdb_stages.py) and the physical floor (`cat` of the input files).
# Each is timed by hyperfine (median of $RUNS after a warm-up) and run once more under /usr/bin/time -v for the peak
# RSS. Runs other than BASE are deleted before each timed run (prune.sh), so the output stays the size of two runs.
bench_stages() {
  gen_police_uk
  local sout="$CACHE/stages-out" rout="$CACHE/stages-ref" pipeline="$HERE/stages-pipeline.yaml"
  local files=("$PDATA"/police-uk/*/*-street.csv)
  local common=(--pipeline "$pipeline" --output "$sout" --set "data=$PDATA" -q)
  local refargs=("$HERE/duckdb_stages.py" "$PDATA/police-uk/*/*-street.csv" "$ROOT/Pipelines/reference/police-uk-categories.csv"
                 "$ROOT/Fixtures/reference/lsoa01-wards.csv" "$ROOT/Fixtures/reference/wards-2009.csv" "$rout")
  rm -rf "$sout" "$rout" "$RAW"/stages.*
  cat "${files[@]}" > /dev/null

  log "stages: csp run --until normalise once (peak RSS, log, the base run for the single stages)"
  /usr/bin/time -v -o "$RAW/stages.e2e.time" "$CSP" run --until normalise --pipeline "$pipeline" --output "$sout" --set "data=$PDATA" \
    > "$RAW/stages.e2e.out" 2> "$RAW/stages.e2e.log" || { cat "$RAW/stages.e2e.log" >&2; die "stages: csp run failed"; }
  local rundir; rundir="$(tail -1 "$RAW/stages.e2e.out")"; local base; base="$(basename "$rundir")"
  [[ -f "$rundir/04-normalised/manifest.json" ]] || die "stages: no stage 4 output in $rundir"
  cp "$rundir/run.json" "$RAW/stages.run.json"
  for f in "$rundir"/0*/manifest.json; do cp "$f" "$RAW/stages.$(basename "$(dirname "$f")").manifest.json"; done

  # Deletes every run but BASE (and the latest link): hyperfine's --prepare, so the disk holds two runs at most.
  local prune="$RAW/stages.prune.sh"
  printf '#!/usr/bin/env bash\nfind %q -mindepth 1 -maxdepth 1 ! -name %q -exec rm -rf {} +\nrm -f %q\ncat %s > /dev/null\n' \
    "$sout/bench-stages/runs" "$base" "$sout/bench-stages/latest" "$(printf '%q ' "${files[@]}")" > "$prune"

  local stage
  for stage in ingest clean geocode normalise; do
    bash "$prune"
    /usr/bin/time -v -o "$RAW/stages.$stage.time" "$CSP" stage "$stage" --run "$base" "${common[@]}" > /dev/null 2> "$RAW/stages.$stage.log" \
      || { cat "$RAW/stages.$stage.log" >&2; die "stages: csp stage $stage failed"; }
  done
  bash "$prune"
  /usr/bin/time -v -o "$RAW/stages.ref.time" "$PY" "${refargs[@]}" > "$RAW/stages.ref.json" 2> "$RAW/stages.ref.log" \
    || { cat "$RAW/stages.ref.log" >&2; die "stages: the DuckDB reference failed"; }
  /usr/bin/time -v -o "$RAW/stages.cat.time" cat "${files[@]}" > /dev/null

  log "stages: timing (hyperfine --warmup 1 --runs $RUNS): end to end, each stage, DuckDB, cat"
  local q_csp q_py; q_csp=$(printf %q "$CSP"); q_py=$(printf %q "$PY")
  local qc; qc="$(printf '%q ' "${common[@]}")"
  # DuckDB's per-stage times: duckdb_stages.py appends its JSON to $BENCH_STEPS_LOG on every run.
  export BENCH_STEPS_LOG="$RAW/stages.ref.steps.jsonl"; rm -f "$BENCH_STEPS_LOG"
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --prepare "bash $(printf %q "$prune")" \
    --export-json "$RAW/stages.hyperfine.json" \
    -n "csp stages 1-4" "$q_csp run --force --until normalise $qc" \
    -n "csp ingest" "$q_csp stage ingest --run $base $qc" \
    -n "csp clean" "$q_csp stage clean --run $base $qc" \
    -n "csp geocode" "$q_csp stage geocode --run $base $qc" \
    -n "csp normalise" "$q_csp stage normalise --run $base $qc" \
    -n "duckdb stages 1-4" "$q_py $(printf '%q ' "${refargs[@]}")" \
    -n "cat" "cat $(printf '%q ' "${files[@]}")" >&2
  unset BENCH_STEPS_LOG
  bash "$prune"

  python3 "$HERE/stages_report.py" "$RAW" "$PDATA" "$OUT/stages.json" "$SCALE" "$OUT"
}

# ---------------------------------------------------------------- group: geocode
# Stage 3 on SCALE million synthetic data.police.uk street rows (csp-fixtures --format police-uk, 30 monthly
# files, cached in .build-bench/police-uk-data) against the real WD25 ward polygons of ../shared/realdata
# (REALDATA to override): `csp run --until clean` once, then `csp stage geocode --run BASE` timed.
bench_geocode() {
  local realdata="${REALDATA:-$ROOT/../shared/realdata}" gdata="$PDATA" gout="$CACHE/geocode-out"
  local pipeline="$HERE/geocode-pipeline.yaml"
  [[ -f "$realdata/ons-boundaries/ward_WD25_E06000056_central_bedfordshire.geojson" ]] \
    || die "geocode: the real ward polygons are not in $realdata/ons-boundaries (set REALDATA)"
  realdata="$(cd "$realdata" && pwd)"
  gen_police_uk
  rm -rf "$gout"
  local common=(--pipeline "$pipeline" --output "$gout" --set "realdata=$realdata" --set "data=$gdata" -q)
  log "geocode: stages 1-2 (csp run --until clean)"
  local rundir; rundir="$("$CSP" run --until clean "${common[@]}")" || die "geocode: csp run --until clean failed"
  local base; base="$(basename "$rundir")"   # csp run prints the run folder; its name is the run id
  local ledger="$gout/bench-geocode/ledger.jsonl"
  [[ -f "$rundir/02-clean/manifest.json" && -f "$ledger" ]] || die "geocode: no run folder or ledger ($rundir, $ledger)"
  local files=("$gdata"/police-uk/*/*-street.csv)

  log "geocode: peak RSS and CPU (one run under /usr/bin/time -v)"
  cat "${files[@]}" > /dev/null
  rss_run geocode.csp /dev/null "$CSP" stage geocode --run "$base" "${common[@]}"
  log "geocode: timing (hyperfine --warmup 1 --runs $RUNS)"
  local cmd; cmd="$(printf '%q ' "$CSP" stage geocode --run "$base" "${common[@]}")"
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$RAW/geocode.hyperfine.json" \
    -n "csp stage geocode" "$cmd" >&2

  # Where the stage's CPU goes (optional: needs perf): one run sampled at 4 kHz; the report takes the share of the
  # WGS84 -> OSGB36 projection and the point-in-polygon lookup, i.e. the locating proper.
  rm -f "$RAW/geocode.perf.txt" "$RAW/geocode.perf.total.txt"
  if command -v perf >/dev/null && perf record -F 4000 -g -o "$RAW/geocode.perf.data" "$CSP" stage geocode --run "$base" "${common[@]}" >/dev/null 2>"$RAW/geocode.perf.stderr"; then
    perf report -i "$RAW/geocode.perf.data" --children -n --stdio --percent-limit 0.1 > "$RAW/geocode.perf.txt" 2>/dev/null || true
    perf report -i "$RAW/geocode.perf.data" --sort comm -n --stdio > "$RAW/geocode.perf.total.txt" 2>/dev/null || true
  else
    log "geocode: perf not usable, no CPU breakdown"
  fi

  python3 "$HERE/geocode_report.py" "$RAW" "$rundir" "$ledger" "$OUT/geocode.json" "$SCALE"
  cp "$OUT/geocode.json" "$OUT/geocode-scale$SCALE.json"
}

# ---------------------------------------------------------------- no-change nightly rerun
# After bench_geocode (same inputs and output folder): one full run of all five stages, then the same `csp run`
# timed again on unchanged inputs — every stage must be skipped (fingerprints equal), target < 0.5 s at 1M.
bench_rerun() {
  local gdata="$PDATA" gout="$CACHE/geocode-out" pipeline="$HERE/geocode-pipeline.yaml"
  local realdata="${REALDATA:-$ROOT/../shared/realdata}"
  [[ -d "$gdata" ]] || die "rerun: run the geocode group first (it generates $gdata)"
  realdata="$(cd "$realdata" && pwd)"
  local common=(--pipeline "$pipeline" --output "$gout" --set "realdata=$realdata" --set "data=$gdata" -q)
  log "rerun: one full run (stages 1-5), then an unchanged rerun timed"
  "$CSP" run "${common[@]}" >/dev/null || die "rerun: the full run failed"
  local cmd; cmd="$(printf '%q ' "$CSP" run "${common[@]}")"
  hyperfine -N --style basic --warmup 1 --runs 5 --export-json "$RAW/rerun.hyperfine.json" -n "csp run (no change)" "$cmd" >&2
  python3 - "$RAW/rerun.hyperfine.json" "$gout/bench-geocode/latest/run.json" "$OUT/rerun.json" "$SCALE" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["results"][0]
run = json.load(open(sys.argv[2]))
statuses = [s["status"] for s in run["stages"]]
result = {"scale_millions": float(sys.argv[4]), "median_s": h["median"], "mean_s": h["mean"], "user_s": h["user"],
          "stages": statuses, "all_skipped": all(s == "skipped" for s in statuses), "target_s": 0.5}
json.dump(result, open(sys.argv[3], "w"), indent=2)
ok = result["all_skipped"] and h["median"] < 0.5
print(f"\nno-change rerun, SCALE={sys.argv[4]}: median {h['median']:.3f} s (user {h['user']:.3f} s), stages {statuses}")
print(f"  {'PASS' if ok else 'MISS'}  no-change nightly rerun < 0.5 s with every stage skipped")
PY
}

# ---------------------------------------------------------------- group: national
# The national month of real data (../shared/realdata/national/police-uk/2024-01: 40 forces' street files) through
# stages 1-4: `csp run --force --until normalise --pipeline Pipelines/police-uk-england-wales.yaml` beside the DuckDB
# script national.sql (same typing, deduplication and LSOA-lookup assignment), each timed by hyperfine and run once
# under /usr/bin/time -v for the peak RSS. Without the pipeline file, csp's side prints a "skipped:" line and only
# DuckDB's figures and row checks are given. SCALE does not apply (the month is what it is).
bench_national() {
  local realdata="${REALDATA:-$ROOT/../shared/realdata}"
  [[ -d "$realdata/national/police-uk/2024-01" ]] || die "national: no $realdata/national/police-uk/2024-01 (set REALDATA)"
  realdata="$(cd "$realdata" && pwd)"
  local nat="$realdata/national" pipeline="$ROOT/Pipelines/police-uk-england-wales.yaml"
  local nout="$CACHE/national-out" rout="$CACHE/national-ref"
  local files=("$nat"/police-uk/*/*-street.csv)
  local refargs=("$HERE/duckdb_stages.py" --sql "$HERE/national.sql" "data=$nat/police-uk/*/*-street.csv"
                 "categories=$ROOT/Pipelines/reference/police-uk-categories.csv"
                 "wd25=$nat/lookups/LSOA21_to_WD25_to_LAD25_best_fit_EW.csv" "lsoa11=$nat/lookups/LSOA11_to_LSOA21_to_LAD22_EW.csv"
                 "csp24=$nat/lookups/LAD24_to_CSP24_to_PFA24_EW.csv" "lad17=$realdata/ons-lookups/LAD17_to_CSP17_to_PFA17_lookup_EW_v2.csv"
                 "out=$rout")
  rm -rf "$nout" "$rout" "$RAW"/national.*
  # The rows the files hold (lines less one header each; data.police.uk quotes no line breaks), the check for both.
  echo "$(( $(cat "${files[@]}" | wc -l) - ${#files[@]} ))" > "$RAW/national.rows"

  local hf_args=() have_csp=0
  if [[ -f "$pipeline" ]]; then
    have_csp=1
    local sets=()
    # The pipeline's own `realdata` variable (relative to Pipelines/) finds ../shared/realdata; REALDATA moves it.
    if [[ -n "${REALDATA:-}" ]] && grep -q '^ *realdata:' "$pipeline"; then sets+=(--set "realdata=$realdata"); fi
    local common=(--pipeline "$pipeline" --output "$nout" "${sets[@]}")
    log "national: csp run --until normalise once (peak RSS)"
    /usr/bin/time -v -o "$RAW/national.csp.time" "$CSP" run --force --until normalise "${common[@]}" \
      > "$RAW/national.csp.out" 2> "$RAW/national.csp.log" || { tail -20 "$RAW/national.csp.log" >&2; die "national: csp run failed"; }
    local rundir; rundir="$(tail -1 "$RAW/national.csp.out")"
    for f in "$rundir"/0*/manifest.json; do cp "$f" "$RAW/national.$(basename "$(dirname "$f")").manifest.json"; done
    local prune="$RAW/national.prune.sh"
    printf '#!/usr/bin/env bash\nrm -rf %q\ncat %s > /dev/null\n' "$nout" "$(printf '%q ' "${files[@]}")" > "$prune"
    hf_args+=(--prepare "bash $(printf %q "$prune")" -n "csp stages 1-4" "$(printf '%q ' "$CSP" run --force --until normalise "${common[@]}" -q)")
    # The nightly case: the output folder of an earlier run in place, so stage 3 takes the ward layer from its cache
    # (<output>/<pipeline>/cache, built by hyperfine's warm-up run); every run folder is removed before each run.
    local wout="$CACHE/national-warm" keep="$RAW/national.keep-cache.sh"
    rm -rf "$wout"
    printf '#!/usr/bin/env bash\nfind %q -mindepth 2 -maxdepth 2 ! -name cache -exec rm -rf {} +\ncat %s > /dev/null\n' "$wout" "$(printf '%q ' "${files[@]}")" > "$keep"
    local wcommon=(--pipeline "$pipeline" --output "$wout" "${sets[@]}")
    hf_args+=(--prepare "bash $(printf %q "$keep")" -n "csp stages 1-4, layer cache" "$(printf '%q ' "$CSP" run --force --until normalise "${wcommon[@]}" -q)")
    hf_args+=(--prepare "cat $(printf '%q ' "${files[@]}")")  # DuckDB's (hyperfine wants one --prepare per command)
  else
    echo "skipped: Pipelines/police-uk-england-wales.yaml not present (csp's side of the national comparison; DuckDB's alone below)" | tee "$RAW/national.skipped"
    hf_args+=(--prepare "cat $(printf '%q ' "${files[@]}")")
  fi
  log "national: the DuckDB script once (peak RSS, row counts)"
  /usr/bin/time -v -o "$RAW/national.ref.time" "$PY" "${refargs[@]}" > "$RAW/national.ref.json" 2> "$RAW/national.ref.log" \
    || { cat "$RAW/national.ref.log" >&2; die "national: the DuckDB script failed"; }
  log "national: timing (hyperfine --warmup 1 --runs $RUNS)"
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$RAW/national.hyperfine.json" "${hf_args[@]}" \
    -n "duckdb stages 1-4" "$(printf '%q ' "$PY" "${refargs[@]}")" >&2
  [[ "$have_csp" == 1 ]] && rm -rf "$nout" "$CACHE/national-warm"
  python3 "$HERE/national_report.py" "$RAW" "$OUT/national.json"
}

# ---------------------------------------------------------------- main
mkdir -p "$OUT" "$RAW"
setup_tools
status=0
for g in $BENCH_GROUP_LIST; do
  declare -F "bench_$g" >/dev/null || die "no benchmark group '$g'"
  "bench_$g" || status=$?
done
python3 "$HERE/summary.py" "$OUT" $BENCH_GROUP_LIST || true
exit "$status"
