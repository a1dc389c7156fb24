#!/usr/bin/env bash
# The fault matrix: the release `csp` on the fixture pipeline, in real processes, under the faults a nightly run meets.
# For every case it checks and prints: the exit code, what `latest` points at (unchanged by the fault), that the earlier
# run is untouched (SHA-256 of every file before and after), and that a rerun gives datasets (04-normalised/*.csv,
# 05-assess/tables/*.csv) byte-identical to an uninterrupted run's. Ends with "N passed, M failed"; exits 1 on a failure.
#
#   bash Tests/Faults/run.sh            (make test runs it after the Swift tests; CSP=path overrides the binary)
#
# The disk, read-only and mid-run cases mount (tmpfs, bind mounts) and need root, as CI has; without it they are
# printed as skipped. Everything happens in a temporary copy of Pipelines/ and Fixtures/: the checkout is never touched.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CSP=${CSP:-$ROOT/.build/release/csp}
NAME=central-bedfordshire-2009
WORK=$(mktemp -d "${TMPDIR:-/tmp}/csp-faults.XXXXXX")
MOUNTS=()
PASSED=0; FAILED=0; SKIPPED=0
STARTED=$(date +%s.%N)

cleanup() {
  for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; umount "$m" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$CSP" ] || { echo "no release binary at $CSP: run swift build -c release"; exit 1; }
CSP=$(cd "$(dirname "$CSP")" && pwd)/$(basename "$CSP")

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# The fixture pipeline, copied (the mid-run cases move fixture files away).
mkdir -p "$WORK/src"
cp -a "$ROOT/Pipelines" "$ROOT/Fixtures" "$WORK/src/"
P=$WORK/src/Pipelines/$NAME.yaml
csp() { "$CSP" "$@" --pipeline "$P"; }

# The run folder's files with their SHA-256, relative to the output folder.
sums() { (cd "$1" && find "$NAME/runs/$2" -type f -print0 | sort -z | xargs -0 sha256sum); }
latest_of() { readlink "$1/$NAME/latest" 2>/dev/null || echo "(none)"; }
datasets() { (cd "$1" && ls 04-normalised/*.csv 05-assess/tables/*.csv); }

# --- The uninterrupted reference run, and the time of a full forced run --------------------------------------------
BASE=$WORK/base
csp key init --if-missing --output "$BASE" >/dev/null || { echo "csp key init failed"; exit 1; }
csp run --output "$BASE" >/dev/null 2>"$WORK/base.err" || { echo "the reference run failed:"; tail -5 "$WORK/base.err"; exit 1; }
R0=$(basename "$(latest_of "$BASE")")
REF=$BASE/$NAME/runs/$R0
sums "$BASE" "$R0" >"$WORK/base.sums"
BASE_FILES=$(wc -l <"$WORK/base.sums")
BASE_KB=$(du -sk "$BASE" | cut -f1)
# T: the shorter of two uninterrupted forced runs (the first also warms the page cache).
mkdir -p "$WORK/timing"; cp -al "$BASE/." "$WORK/timing/"
TIMES=()
for _ in 1 2; do
  t0=$(now); csp run --output "$WORK/timing" --force >/dev/null 2>&1 || { echo "a forced rerun failed"; exit 1; }
  TIMES+=("$(secs "$t0" "$(now)")")
done
T=$(printf '%s\n' "${TIMES[@]}" | sort -n | head -1)
rm -rf "$WORK/timing"
echo "reference run $R0: $BASE_FILES files, $((BASE_KB / 1024)) MiB; uninterrupted csp run --force: ${TIMES[*]} s (T = $T s)"

# A fresh output folder holding the reference run (hard links on disk; copies on a tmpfs).
fresh() { mkdir -p "$1"; if [ "${2:-link}" = copy ]; then cp -a "$BASE/." "$1/"; else cp -al "$BASE/." "$1/"; fi; }

# check CASE DIR EXPECTED_EXIT ACTUAL_EXIT DETAIL [allow-finished]: the four checks, then one line.
check() {
  local case=$1 dir=$2 want=$3 got=$4 detail=$5 allow=${6:-}
  local problems=() lat new latest_said="latest unchanged"
  lat=$(latest_of "$dir")
  if [ "$got" != "$want" ]; then
    if [ -n "$allow" ] && [ "$got" = 0 ]; then detail="$detail (the run finished before the signal)"; else problems+=("exit $got, expected $want"); fi
  fi
  if [ "$lat" != "runs/$R0" ]; then
    new=$dir/$NAME/$lat
    if [ -n "$allow" ] && [ "$got" = 0 ] && grep -q '"status" : "succeeded"' "$new/run.json" 2>/dev/null; then
      latest_said="latest -> the completed run"
    else
      problems+=("latest is $lat, was runs/$R0")
    fi
  fi
  if ! diff -q <(sums "$dir" "$R0") "${EXPECT_SUMS:-$WORK/base.sums}" >/dev/null; then problems+=("the earlier run $R0 changed"); fi
  # The rerun.
  local r0 r1 rerun_dir
  r0=$(now)
  if ! csp run --output "$dir" --force >"$WORK/rerun.out" 2>"$WORK/rerun.err"; then
    problems+=("the rerun failed: $(grep 'error' "$WORK/rerun.err" | tail -1)")
  else
    rerun_dir=$(cat "$WORK/rerun.out")
    local mismatch=0 n=0
    for f in $(datasets "$REF"); do
      n=$((n + 1)); cmp -s "$REF/$f" "$rerun_dir/$f" || { mismatch=$((mismatch + 1)); problems+=("rerun $f differs"); }
    done
    [ "$(datasets "$rerun_dir" | wc -l)" = "$n" ] || problems+=("the rerun has a different set of datasets")
    [ "$(latest_of "$dir")" = "runs/$(basename "$rerun_dir")" ] || problems+=("latest did not move to the rerun")
  fi
  r1=$(now)
  # A good run audits clean.
  "$CSP" audit --pipeline "$P" --output "$dir" >/dev/null 2>&1 || problems+=("audit of the rerun exits $?")
  if [ ${#problems[@]} -eq 0 ]; then
    PASSED=$((PASSED + 1))
    printf 'PASS  %-28s exit %-3s | %s | earlier run intact (%s files) | rerun identical (%s datasets, %s s) | %s\n' \
      "$case" "$got" "$latest_said" "$BASE_FILES" "$n" "$(secs "$r0" "$r1")" "$detail"
  else
    FAILED=$((FAILED + 1))
    printf 'FAIL  %-28s exit %-3s | %s | %s\n' "$case" "$got" "$(IFS=';'; echo "${problems[*]}")" "$detail"
  fi
}

skip() { SKIPPED=$((SKIPPED + 1)); printf 'SKIP  %-28s %s\n' "$1" "$2"; }

# The run started last in DIR (its id sorts last) and its folder.
newest_run() { ls "$1/$NAME/runs" | sort | tail -1; }

# Waits (up to 60 s) until a file or folder matching GLOB exists (or PID exits); 0 when it appeared.
wait_for() {
  local glob=$1 pid=$2
  for _ in $(seq 6000); do
    compgen -G "$glob" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# First error line of a run's standard error (the file named, shortened to the run folder).
why() { grep -m1 '^csp: error' "$1" | sed -e "s#$WORK/##g" -e 's#runs/[0-9TZ-]*[0-9a-f]\{4\}/#runs/<id>/#g' | cut -c1-150; }

CAN_MOUNT=0
if [ "$(id -u)" = 0 ] && mkdir -p "$WORK/probe" && mount -t tmpfs -o size=64k tmpfs "$WORK/probe" 2>/dev/null; then
  umount "$WORK/probe"; CAN_MOUNT=1
fi

# --- SIGKILL at ten evenly spaced moments of a full run --------------------------------------------------------------
for i in $(seq 1 10); do
  d=$WORK/kill-$i; fresh "$d"
  at=$(awk -v t="$T" -v i="$i" 'BEGIN { printf "%.3f", t * i / 11 }')
  "$CSP" run --pipeline "$P" --output "$d" --force >/dev/null 2>"$WORK/kill.err" &
  pid=$!
  sleep "$at"
  kill -KILL "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; code=$?  # (quiet: bash reports a killed job on standard error)
  victim=$d/$NAME/runs/$(newest_run "$d")
  where=$(cd "$victim" && ls -d .tmp-* 2>/dev/null | sed 's/^\.tmp-\(.*\)-[0-9]*$/\1/')
  published=$(cd "$victim" && ls -d 0* 2>/dev/null | tr '\n' ' ')
  check "SIGKILL at $i/11 (${at} s)" "$d" 137 "$code" "writing ${where:-no stage}; published: ${published:-none}" allow-finished
  rm -rf "$d"
done

# --- A full disk in each stage ------------------------------------------------------------------------------------------
# A tmpfs holding the reference run, filled so that only ROOM KiB are left, then `csp run --from STAGE --force`: the
# earlier stages are carried by hard link (no space), the stage fills the disk. ROOM is a share of what the stage
# writes (stage 4 fills up inside the SQLite warehouse, the others in a CSV).
stage_folder() { case $1 in ingest) echo 01-ingest;; clean) echo 02-clean;; geocode) echo 03-geocode;; normalise) echo 04-normalised;; assess) echo 05-assess;; esac; }
for stage in ingest clean geocode normalise assess; do
  if [ $CAN_MOUNT = 0 ]; then skip "disk full in $stage" "needs root and mount"; continue; fi
  d=$WORK/full-$stage; mkdir -p "$d"
  mount -t tmpfs -o size=$((BASE_KB * 2 + 65536))k tmpfs "$d" && MOUNTS+=("$d")
  fresh "$d" copy
  out_kb=$(du -sk "$REF/$(stage_folder $stage)" | cut -f1)
  case $stage in normalise) room=$((out_kb * 3 / 10));; *) room=$((out_kb / 3));; esac
  avail=$(df --output=avail -k "$d" | tail -1)
  fallocate -l $(((avail - room) * 1024)) "$d/filler"
  csp run --output "$d" --from "$stage" --force >/dev/null 2>"$WORK/full.err"; code=$?
  failed=$(newest_run "$d")
  published=""; [ -e "$d/$NAME/runs/$failed/$(stage_folder $stage)" ] && published=" BUT THE STAGE WAS PUBLISHED"
  rm -f "$d/filler"
  check "disk full in $stage" "$d" 73 "$code" "${room} KiB free; $(why "$WORK/full.err")$published"
  umount "$d"; rm -rf "$d"
done

# --- The output folder made read-only mid-run ---------------------------------------------------------------------------
# A read-only bind mount over the output folder at half the run's time: every file created or renamed from then on fails
# with EROFS (files already open keep writing beneath it; root ignores permission bits, so chmod cannot do this).
if [ $CAN_MOUNT = 1 ]; then
  d=$WORK/readonly; fresh "$d"
  csp run --output "$d" --force >/dev/null 2>"$WORK/ro.err" &
  pid=$!
  sleep "$(awk -v t="$T" 'BEGIN { printf "%.3f", t / 2 }')"
  # The kernel can refuse the remount for a moment ("mount point is busy") while files are being created: retry.
  ro=0
  if mount --bind "$d" "$d"; then
    MOUNTS+=("$d")
    for _ in $(seq 1 40); do
      if mount -o remount,bind,ro "$d" 2>/dev/null; then ro=1; break; fi
      sleep 0.05
    done
  fi
  { wait "$pid"; } 2>/dev/null; code=$?
  umount "$d" 2>/dev/null
  if [ $ro = 1 ]; then
    check "output read-only mid-run" "$d" 73 "$code" "$(why "$WORK/ro.err")" allow-finished
  else
    skip "output read-only mid-run" "the kernel refused the read-only remount for 2 s (mount point busy)"
  fi
  rm -rf "$d"
else
  skip "output read-only mid-run" "needs root and mount"
fi

# --- Inputs that vanish or become unreadable mid-run ---------------------------------------------------------------------
# The run is stopped (SIGSTOP) as soon as the stage before the one that reads the file starts writing, the file is moved
# away (or replaced by a folder, which opens but cannot be read), and the run continued; the file is put back before
# the rerun. The last source (the Place Survey) is read last in stage 1; the 2008 ward boundaries at the start of stage 3.
midrun() {
  local case=$1 when=$2 file=$3 how=$4
  local d=$WORK/midrun; fresh "$d"
  csp run --output "$d" --force >/dev/null 2>"$WORK/mid.err" &
  local pid=$! code
  if wait_for "$d/$NAME/runs/*/$when" "$pid"; then
    kill -STOP "$pid"
    mv "$file" "$file.away"
    [ "$how" = folder ] && mkdir "$file"
    kill -CONT "$pid"
  fi
  wait "$pid"; code=$?
  [ "$how" = folder ] && rmdir "$file"
  mv "$file.away" "$file"
  check "$case" "$d" 66 "$code" "$(why "$WORK/mid.err")"
  rm -rf "$d"
}
midrun "source vanishes (stage 1)" ".tmp-01-ingest-*" "$WORK/src/Fixtures/raw/survey/place_survey_2008.csv" remove
midrun "source unreadable (stage 1)" ".tmp-01-ingest-*" "$WORK/src/Fixtures/raw/survey/place_survey_2008.csv" folder
midrun "boundary vanishes (stage 3)" ".tmp-02-clean-*" "$WORK/src/Fixtures/boundaries/wards-2008.geojson" remove

# --- Files changed after publication: csp audit exits 65 naming the file -------------------------------------------------
# In a copy (the reference run's files are hard-linked elsewhere). The earlier run here is the tampered one: neither the
# audit nor the rerun may change it further.
truncate_dataset() { local f=$1/04-normalised/crimes.csv; truncate -s $(($(stat -c %s "$f") / 2)) "$f"; }
edit_manifest() {
  python3 - "$1/03-geocode/manifest.json" <<'PY'
import json, sys
path = sys.argv[1]
m = json.load(open(path))
for o in m["outputs"]:
    if o["path"] == "crimes.csv":
        o["rows"] += 1
json.dump(m, open(path, "w"), indent=2, sort_keys=True)
PY
}
tamper() {
  local case=$1 target=$2 edit=$3
  local d=$WORK/tamper; fresh "$d" copy
  "$edit" "$d/$NAME/runs/$R0"
  sums "$d" "$R0" >"$WORK/tampered.sums"
  "$CSP" audit --pipeline "$P" --output "$d" >"$WORK/audit.out" 2>&1; local code=$?
  local named; named=$(grep -m1 "^MISMATCH \[\(checksum\|rows\)\] $target:" "$WORK/audit.out" | sed 's/^MISMATCH //' | cut -c1-100)
  if [ -n "$named" ]; then
    EXPECT_SUMS=$WORK/tampered.sums check "$case" "$d" 65 "$code" "audit: $named"
  else
    FAILED=$((FAILED + 1))
    printf 'FAIL  %-28s exit %-3s | the audit does not name %s: %s\n' "$case" "$code" "$target" "$(head -3 "$WORK/audit.out" | tr '\n' ' ')"
  fi
  rm -rf "$d"
}
tamper "stage file truncated" "04-normalised/crimes.csv" truncate_dataset
tamper "manifest edited by hand" "03-geocode/crimes.csv" edit_manifest

# The uninterrupted run audits clean.
if "$CSP" audit --pipeline "$P" --output "$BASE" >/dev/null 2>&1; then PASSED=$((PASSED + 1)); echo "PASS  audit of the reference run   exit 0"
else FAILED=$((FAILED + 1)); echo "FAIL  audit of the reference run"; fi

echo "fault matrix: $(secs "$STARTED" "$(now)") s$([ "$SKIPPED" = 0 ] || echo ", $SKIPPED cases skipped (not root, or mount refused)")"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
