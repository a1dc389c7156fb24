#!/usr/bin/env bash
# Builds the libFuzzer targets for the CSV and XML readers (swiftc -sanitize=fuzzer,address on the modules' own
# sources) and runs each for a bounded time on a copy of the committed seed corpus. Called by `make test`.
# FUZZ_SECONDS (default 20) bounds each run. A crash fails the test run and leaves its input in .build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${FUZZ_SECONDS:-20}"
OUT=.build-fuzz
mkdir -p "$OUT"
LIBXML_CFLAGS=$(pkg-config --cflags libxml-2.0)
# The release flags of Package.swift (`let releaseSwiftFlags: [String] = [...]`): the fuzzers test the code csp ships.
RELEASE_FLAGS=$(sed -n 's/^let releaseSwiftFlags: \[String\] = \[\(.*\)\]$/\1/p' Package.swift | tr -d '",')
[[ -n "$RELEASE_FLAGS" ]] || { echo "Tests/Fuzz/run.sh: cannot read releaseSwiftFlags from Package.swift" >&2; exit 1; }
[[ "$RELEASE_FLAGS" != *unchecked* ]] || { echo "Tests/Fuzz/run.sh: Package.swift's release flags ($RELEASE_FLAGS) drop Swift's safety checks; the build that reads hostile files keeps them" >&2; exit 1; }
echo "release flags: $RELEASE_FLAGS"
echo "building fuzz targets (log: $OUT/build.log)"
{ swiftc -sanitize=fuzzer,address -parse-as-library $RELEASE_FLAGS -module-name CSPFuzzCSV \
    Sources/CSPCSV/*.swift Tests/Fuzz/FuzzCSV.swift -o "$OUT/fuzz-csv" &&
  swiftc -sanitize=fuzzer,address -parse-as-library $RELEASE_FLAGS -module-name CSPFuzzXML \
    -I Sources/CLibXML2 -Xcc ${LIBXML_CFLAGS} -lxml2 \
    Sources/CSPXML/*.swift Tests/Fuzz/FuzzXML.swift -o "$OUT/fuzz-xml"; } > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
for target in csv xml; do
  rm -rf "$OUT/corpus-$target"; cp -r "Tests/Fuzz/corpus/$target" "$OUT/corpus-$target"
  echo "fuzz $target: ${SECONDS_EACH}s"
  (cd "$OUT" && ./fuzz-$target -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
      "corpus-$target" 2>&1 | tail -n 12)
done
