#!/usr/bin/env bash
# The mutation check (`make mutation`): applies each one-line defect of Tests/Mutation/defects.tsv in turn, builds the
# tests, runs the defect's `swift test --filter` expression, and restores the file whatever happens (a trap, also on
# Ctrl-C). A defect is `killed` when its tests fail (or `killed (compile error)` when it does not build), `survived`
# when they pass. Before the defects, each distinct filter is run once on the unchanged code: a defect whose tests
# already fail is `invalid` (its kill would prove nothing) and left out of the score.
#
# usage: Tests/Mutation/run.sh [ID...]        (default: every defect; logs in .build/mutation/)
set -u
cd "$(dirname "$0")/../.."
LIST=Tests/Mutation/defects.tsv
SWIFT=${SWIFT:-swift}
LOGS=.build/mutation
mkdir -p "$LOGS"

backup="" target=""
restore() {
    if [ -n "$backup" ]; then
        # cat, not cp -p: the restored file gets a new modification time, so the next build recompiles it.
        cat "$backup" > "$target" && rm -f "$backup"
        backup="" target=""
    fi
}
trap restore EXIT
trap 'restore; echo "interrupted: $target restored"; exit 130' INT TERM

# id<TAB>file<TAB>original<TAB>replacement<TAB>filter, comments and the header left out.
defects() { grep -v '^#' "$LIST" | tail -n +2; }

# apply FILE ORIGINAL REPLACEMENT ID: replaces the text, which must occur exactly once.
apply() {
    python3 - "$@" <<'EOF'
import sys
path, original, replacement, ident = sys.argv[1:5]
text = open(path, encoding="utf-8").read()
n = text.count(original)
if n != 1:
    sys.exit(f"defect {ident}: its original text occurs {n} times in {path} (must be exactly once): {original}")
open(path, "w", encoding="utf-8").write(text.replace(original, replacement))
EOF
}

# Tests that run the release `csp` (SpanMatrixTests) need the defect in the release build too; the release build is
# made again from the restored code at the end, so that no defect is left in .build/release.
build() {
    $SWIFT build --build-tests || return 1
    [[ "$1" != *SpanMatrix* ]] || $SWIFT build -c release
}
release_used=no
trap 'restore; if [ "$release_used" = yes ]; then $SWIFT build -c release >"$LOGS/release-restore.log" 2>&1; fi' EXIT

wanted=" $* "
start=$(date +%s)
echo "building the unchanged code"
build SpanMatrix >"$LOGS/baseline-build.log" 2>&1 || { echo "the unchanged code does not build: $LOGS/baseline-build.log"; exit 1; }

declare -A baseline
while IFS=$'\t' read -r -u 3 id file original replacement filter; do
    [ "$wanted" != "  " ] && [[ "$wanted" != *" $id "* ]] && continue
    [ -n "${baseline[$filter]+x}" ] && continue
    if $SWIFT test --skip-build --filter "$filter" >"$LOGS/baseline-$id.log" 2>&1; then baseline[$filter]=pass
    else baseline[$filter]=fail; echo "baseline: tests fail without any defect: $filter ($LOGS/baseline-$id.log)"; fi
done 3< <(defects)

killed=0 total=0 invalid=0
while IFS=$'\t' read -r -u 3 id file original replacement filter; do
    [ "$wanted" != "  " ] && [[ "$wanted" != *" $id "* ]] && continue
    if [ "${baseline[$filter]}" = fail ]; then
        printf '%-40s invalid (its tests fail without the defect)\n' "$id"; invalid=$((invalid + 1)); continue
    fi
    t0=$(date +%s)
    target="$file" backup="$LOGS/$(basename "$file").orig"
    cp "$file" "$backup"
    if ! apply "$file" "$original" "$replacement" "$id"; then restore; exit 2; fi
    total=$((total + 1))
    [[ "$filter" != *SpanMatrix* ]] || release_used=yes
    if ! build "$filter" >"$LOGS/$id-build.log" 2>&1; then
        result="killed (compile error)"; killed=$((killed + 1))
    elif $SWIFT test --skip-build --filter "$filter" >"$LOGS/$id-test.log" 2>&1; then
        result="survived"
    else
        result="killed"; killed=$((killed + 1))
    fi
    restore
    printf '%-40s %-24s %4ss  %s\n' "$id" "$result" "$(( $(date +%s) - t0 ))" "$filter"
done 3< <(defects)

echo "score: $killed/$total killed$([ "$invalid" -gt 0 ] && echo ", $invalid invalid") in $(( $(date +%s) - start ))s"
echo "$killed passed, $((total - killed)) failed"
[ "$killed" -eq "$total" ] && [ "$invalid" -eq 0 ]
