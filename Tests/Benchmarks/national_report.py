#!/usr/bin/env python3
"""Group `national` of `make bench`: checks the row counts and prints csp beside DuckDB on the national month.

  national_report.py RAWDIR OUT.json

Reads from RAWDIR (written by run.sh's bench_national): national.rows (data rows of the input files, by wc -l),
national.ref.json and national.ref.time (the DuckDB script's counts and its /usr/bin/time -v), national.hyperfine.json,
and when csp ran: national.csp.time and national.01-ingest.manifest.json ... national.04-normalised.manifest.json;
national.skipped when the pipeline file was absent. Exit 1 when a side's records in differ from the files' rows.
"""
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone


def peak_rss_mib(path):
    """Maximum resident set size from a /usr/bin/time -v file, in MiB (None when the file is absent)."""
    if not os.path.exists(path):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
    return int(m.group(1)) / 1024 if m else None


def main():
    raw, out = sys.argv[1], sys.argv[2]
    rows = int(open(os.path.join(raw, "national.rows")).read())
    ref = json.load(open(os.path.join(raw, "national.ref.json")))
    timed = {r["command"]: r for r in json.load(open(os.path.join(raw, "national.hyperfine.json")))["results"]}
    skipped = os.path.exists(os.path.join(raw, "national.skipped"))
    failures = []

    rc = ref["counts"]
    if rc["raw"] != rows:
        failures.append(f"DuckDB read {rc['raw']} rows, the files hold {rows}")
    d = timed["duckdb stages 1-4"]
    duck = {"wall_s": d["median"], "cpu_s": d["user"] + d["system"], "rss_mib": peak_rss_mib(os.path.join(raw, "national.ref.time")),
            "rows_in": rc["raw"], "published": rc["crimes"] + rc["asb_incidents"], "duplicates": rc.get("duplicate", 0),
            "excluded": rc["excluded"], "rejected": rc.get("rejected", 0), "stages_s": ref["stages_s"], "reference": ref["reference"]}

    csp = None
    if not skipped:
        c = timed["csp stages 1-4"]
        manifests = {}
        for stage in ("01-ingest", "02-clean", "03-geocode", "04-normalised"):
            p = os.path.join(raw, f"national.{stage}.manifest.json")
            if os.path.exists(p):
                manifests[stage] = json.load(open(p))["counts"]
        ingest_in = manifests.get("01-ingest", {}).get("in")
        if ingest_in != rows:
            failures.append(f"csp's stage 1 read {ingest_in} records, the files hold {rows}")
        csp = {"wall_s": c["median"], "cpu_s": c["user"] + c["system"], "rss_mib": peak_rss_mib(os.path.join(raw, "national.csp.time")),
               "rows_in": ingest_in, "published": manifests.get("04-normalised", {}).get("out"),
               "duplicates": manifests.get("02-clean", {}).get("duplicates"), "stages": manifests}
        w = timed.get("csp stages 1-4, layer cache")
        if w:
            csp["cached"] = {"wall_s": w["median"], "cpu_s": w["user"] + w["system"], "rss_mib": None,
                             "rows_in": ingest_in, "published": csp["published"], "duplicates": csp["duplicates"]}

    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"\nnational month, stages 1-4: {rows:,} data.police.uk rows in the 2024-01 street files (wc -l less headers); "
          f"{os.cpu_count()} cores, csp {rev}")
    print(f"  {'':<20}{'wall s':>8}{'CPU s':>8}{'RSS MiB':>9}{'rows in':>10}{'published':>11}{'dupl.':>7}")
    rows_out = [("csp stages 1-4", csp)]
    if csp and csp.get("cached"):
        rows_out.append(("csp, layer cache", csp["cached"]))
    for name, s in rows_out + [("duckdb stages 1-4", duck)]:
        if s is None:
            print(f"  {name:<20}  skipped: Pipelines/police-uk-england-wales.yaml not present")
            continue
        rss = f"{s['rss_mib']:>9.1f}" if s.get("rss_mib") else f"{'-':>9}"
        print(f"  {name:<20}{s['wall_s']:>8.2f}{s['cpu_s']:>8.2f}{rss}{s['rows_in'] or 0:>10,}{s['published'] or 0:>11,}{s['duplicates'] or 0:>7,}")
    print(f"  duckdb per stage (in-process s): " + ", ".join(f"{k} {v:.2f}" for k, v in duck["stages_s"].items() if k != "setup")
          + f"; {duck['reference']}")
    targets = []
    if csp is None:
        targets.append({"target": "national stages 1-4 no slower than DuckDB (csp/duckdb)", "value": None, "bound": "<= 1.0", "result": "SKIP"})
        targets.append({"target": "national peak RSS < 256 MiB", "value": None, "bound": "< 256", "result": "SKIP"})
    else:
        ratio = csp["wall_s"] / duck["wall_s"]
        rss_ratio = csp["rss_mib"] / duck["rss_mib"] if csp["rss_mib"] and duck["rss_mib"] else None
        print(f"  csp/duckdb: wall {ratio:.2f}, peak RSS {rss_ratio:.2f}" if rss_ratio else f"  csp/duckdb: wall {ratio:.2f}")
        targets.append({"target": "national stages 1-4 no slower than DuckDB (csp/duckdb)", "value": round(ratio, 2), "bound": "<= 1.0",
                        "result": "PASS" if ratio <= 1.0 else "MISS"})
        if csp.get("cached"):
            cratio = csp["cached"]["wall_s"] / duck["wall_s"]
            print(f"  csp/duckdb with the layer cache of an earlier run (the nightly case): wall {cratio:.2f}")
            targets.append({"target": "national stages 1-4, layer cache of an earlier run, no slower than DuckDB (csp/duckdb)", "value": round(cratio, 2),
                            "bound": "<= 1.0", "result": "PASS" if cratio <= 1.0 else "MISS"})
        targets.append({"target": "national peak RSS < 256 MiB", "value": round(csp["rss_mib"], 1), "bound": "< 256",
                        "result": "PASS" if csp["rss_mib"] < 256 else "MISS"})
    print("targets:")
    for t in targets:
        print(f"  {t['result']:<5} {t['target']}: {t['value']} (target {t['bound']})")
    for f in failures:
        print(f"  FAIL  {f}")
    result = {"scale": "national 2024-01", "rows": rows, "csp": csp, "duckdb": duck, "targets": targets, "failures": failures,
              "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          "csp": rev}}
    json.dump(result, open(out, "w"), indent=2)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
