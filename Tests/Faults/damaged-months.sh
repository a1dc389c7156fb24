#!/usr/bin/env bash
# Issue 17's table of damage kinds and outcomes, measured: each kind of damage applied to a copy of real
# data.police.uk months (2023-06 to 2024-04, made here in a temporary folder; nothing is copied into the repository),
# run through stage 1 of the real-data pipeline (`--until ingest`; STAGES=all for every stage) in a fresh output
# folder. Prints, per kind: exit code, rejects by rule, and the warnings and errors naming a file.
# Usage: Tests/Faults/damaged-months.sh [path/to/csp]   (default .build/debug/csp)
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
csp=${1:-$repo/.build/debug/csp}
archive=${REALDATA:-$repo/../shared/realdata}/police-uk-archive
[ -d "$archive" ] || { echo "$archive is missing" >&2; exit 66; }
until_arg="--until ingest"; [ "${STAGES:-ingest}" = all ] && until_arg=""
tmp=$(mktemp -d /tmp/csp-damaged-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dec=2023-12/2023-12-bedfordshire-street.csv

fresh() {  # fresh KIND: a months folder of links, December copied
  d=$tmp/$1; mkdir -p "$d/months"
  for m in $(ls "$archive"); do [[ "$m" < 2023-06 || "$m" > 2024-04 ]] || ln -s "$archive/$m" "$d/months/$m"; done
  rm "$d/months/2023-12"; mkdir "$d/months/2023-12"; cp "$archive"/2023-12/* "$d/months/2023-12/"
  echo "$d"
}
run() {  # run KIND DESCRIPTION
  d=$tmp/$1
  "$csp" run --pipeline "$repo/Pipelines/police-uk-central-bedfordshire.yaml" --set police_uk="$d/months" $until_arg --output "$d/out" >"$d/stdout" 2>"$d/stderr"
  rc=$?
  rej=$(cat "$d"/out/*/runs/*/01-ingest/rejects.csv 2>/dev/null | awk -F, 'NR>1 && $1=="ingest" {c[$2]++} END {for (k in c) printf "%s=%d ", k, c[k]}')
  echo "== $1: $2"
  echo "   exit $rc; ingest rejects: ${rej:-none}"
  grep -E " (warning|error) " "$d/stderr" | grep -v "is missing (no file)\|gap(s)" | sed -E 's/^[^ ]+ //; s#'"$tmp"'/[^/]+/months/#…/#g' | cut -c1-330 | sed 's/^/   /' | head -8
  grep -q " warning \| error " "$d/stderr" || tail -1 "$d/stderr" | sed -E 's#'"$tmp"'/[^/]+/months/#…/#g; s/^/   /'
  grep -c "is missing (no file)" "$d/stderr" | sed 's/^/   missing-month warnings: /'
}

fresh baseline >/dev/null; run baseline "no damage"

d=$(fresh cut-comma); python3 - "$d/months/$dec" <<'PY'
import sys; p=sys.argv[1]; b=open(p,'rb').read(); br=[i for i in range(len(b)-1) if b[i:i+2]==b'\r\n']
open(p,'wb').write(b[:br[len(br)*47//100]])
PY
run cut-comma "December street cut just after a line's final comma (47% kept)"

d=$(fresh cut-mid); python3 - "$d/months/$dec" <<'PY'
import sys; p=sys.argv[1]; b=open(p,'rb').read(); br=[i for i in range(len(b)-1) if b[i:i+2]==b'\r\n']
open(p,'wb').write(b[:br[len(br)//2-1]+2+30])
PY
run cut-mid "December street cut mid-line"

d=$(fresh cut-cr); python3 - "$d/months/$dec" <<'PY'
import sys; p=sys.argv[1]; b=open(p,'rb').read(); open(p,'wb').write(b[:-1])
PY
run cut-cr "December street cut between the CR and LF of its last line"

d=$(fresh month-rows); python3 - "$d/months/$dec" <<'PY'
import sys; p=sys.argv[1]; L=open(p,'rb').read().split(b'\r\n')
for i in range(1,101): L[i]=L[i].replace(b',2023-12,',b',2024-01,')
open(p,'wb').write(b'\r\n'.join(L))
PY
run month-rows "100 rows labelled 2024-01 inside the 2023-12 street file"

d=$(fresh wrong-folder); rm "$d/months/$dec"; cp "$archive/2024-01/2024-01-bedfordshire-street.csv" "$d/months/2023-12/"
run wrong-folder "January's street file in the December folder (in place of December's)"

d=$(fresh copy-v2); cp "$d/months/$dec" "$d/months/2023-12/2023-12-bedfordshire-v2-street.csv"
run copy-v2 "copy of December's street file as 2023-12-bedfordshire-v2-street.csv"

d=$(fresh linked-folder); rm "$d/months/2024-01"; ln -s "$archive/2023-12" "$d/months/2024-01"
run linked-folder "month folder 2023-12 linked under 2024-01's name (no real 2024-01)"

d=$(fresh copy-jan); rm "$d/months/$dec"; cp "$archive/2024-01/2024-01-bedfordshire-street.csv" "$d/months/$dec"
run copy-jan "January's street bytes under December's name (in December's folder)"

d=$(fresh fifo); mkfifo "$d/months/2023-12/2023-12-bedfordshire-x-street.csv"
run fifo "a FIFO matching the street glob"

# Every kind at once (the issue's "done when"): one months folder holding one damaged copy of each kind.
d=$(fresh all); python3 - "$d/months/$dec" <<'PY'
import sys; p=sys.argv[1]; b=open(p,'rb').read(); br=[i for i in range(len(b)-1) if b[i:i+2]==b'\r\n']
open(p,'wb').write(b[:br[len(br)*47//100]])
PY
rm "$d/months/2023-11"; mkdir "$d/months/2023-11"; cp "$archive"/2023-11/* "$d/months/2023-11/"
python3 - "$d/months/2023-11/2023-11-bedfordshire-outcomes.csv" <<'PY'
import sys; p=sys.argv[1]; L=open(p,'rb').read().split(b'\r\n')
for i in range(1,101): L[i]=L[i].replace(b',2023-11,',b',2023-10,')
open(p,'wb').write(b'\r\n'.join(L))
PY
cp "$archive/2023-10/2023-10-bedfordshire-street.csv" "$d/months/2023-11/2023-10-bedfordshire-v2-street.csv"
rm "$d/months/2024-01"; mkdir "$d/months/2024-01"; cp "$archive"/2024-01/*-outcomes.csv "$archive"/2024-01/*-stop-and-search.csv "$d/months/2024-01/"
cp "$archive/2024-01/2024-01-bedfordshire-street.csv" "$d/months/2024-01/2024-01-bedfordshire-again-street.csv"
run all "all at once: Dec street cut after a comma, 100 Nov outcomes labelled 2023-10, Oct street copied into Nov's folder as 2023-10-bedfordshire-v2-street.csv, Jan street only under a second name"
