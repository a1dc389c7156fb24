#!/usr/bin/env python3
"""Turns the stages group's raw measurements into Output/bench/stages.json (and stages-scaleN.json) and a table.

  stages_report.py RAWDIR DATADIR OUTFILE SCALE OUTDIR

Inputs in RAWDIR (written by run.sh bench_stages): stages.hyperfine.json (median of the timed runs of csp end to end,
each csp stage alone, the DuckDB reference and cat), stages.<name>.time (/usr/bin/time -v of one extra run each:
peak RSS, CPU), stages.run.json and stages.<stage>.manifest.json (csp's counts), stages.e2e.log (csp's log: the
warehouse INSERT rate), stages.ref.json and stages.ref.steps.jsonl (DuckDB's counts and its per-stage times in every
timed run). DATADIR/scale.json is what the generator wrote (rows, re-published rows, files).

Fails (exit 1) when the counts disagree: csp's records in and DuckDB's rows against the generator's, the duplicates
csp removed and DuckDB removed against the re-published rows the generator planted, a stage's counts that do not
balance. Targets that are missed are printed as MISS (exit 0 unless BENCH_STRICT=1, then 2).

Linearity: with SCALE > 1 and OUTDIR/stages-scale1.json present, the time per record at this scale is divided by
the time per record at SCALE=1 (1.0 is linear; the target allows 1.15 for noise).
Units: MB = 10^6 bytes, RSS in MiB.
"""
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import machine  # noqa: E402

STAGES = ["ingest", "clean", "geocode", "normalise"]


def time_v(path):
    """Peak RSS (MiB), user and system CPU seconds from a /usr/bin/time -v file."""
    out = {}
    for line in open(path):
        k, _, v = line.strip().partition(": ")
        if k == "Maximum resident set size (kbytes)":
            out["rss_mib"] = round(int(v) / 1024, 1)
        elif k == "User time (seconds)":
            out["user_s"] = float(v)
        elif k == "System time (seconds)":
            out["system_s"] = float(v)
        elif k.startswith("Elapsed (wall clock) time"):
            parts = [float(p) for p in v.split(":")]
            out["wall_s"] = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return out


def main():
    raw, data, outfile, scale, outdir = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    failures = []
    gen = json.load(open(os.path.join(data, "scale.json")))
    rows = gen["rows"]
    in_bytes = sum(os.path.getsize(os.path.join(data, f)) for f in gen["files"])
    hf = {r["command"]: r for r in json.load(open(os.path.join(raw, "stages.hyperfine.json")))["results"]}
    run = json.load(open(os.path.join(raw, "stages.run.json")))
    counts = {s["stage"]: s["counts"] for s in run["stages"]}
    ref = json.load(open(os.path.join(raw, "stages.ref.json")))
    ref_runs = [json.loads(l) for l in open(os.path.join(raw, "stages.ref.steps.jsonl")) if l.strip()]

    # ---- checks: the same records went in, the same duplicates came out, every stage balances
    def check(ok, msg):
        if not ok:
            failures.append(msg)
    check(counts["ingest"]["in"] == rows, f"csp ingest read {counts['ingest']['in']} records, the generator wrote {rows}")
    check(ref["counts"]["raw"] == rows, f"DuckDB read {ref['counts']['raw']} rows, the generator wrote {rows}")
    check(counts["clean"]["duplicates"] == gen["republished"],
          f"csp removed {counts['clean']['duplicates']} duplicates, the generator planted {gen['republished']}")
    check(ref["counts"].get("duplicate", 0) == gen["republished"],
          f"DuckDB removed {ref['counts'].get('duplicate', 0)} duplicates, the generator planted {gen['republished']}")
    for st, c in counts.items():
        check(c["in"] == c["out"] + c["rejected"] + c["excluded"] + c["duplicates"], f"csp stage {st} does not balance: {c}")

    # ---- the warehouse INSERT rate, from csp's own log line
    insert = None
    log = open(os.path.join(raw, "stages.e2e.log")).read()
    m = re.search(r"warehouse: (\d+) rows; INSERTs ([\d.]+) s \((\d+) rows/s\)", log)
    if m:
        insert = {"rows": int(m.group(1)), "insert_s": float(m.group(2)), "rows_per_s": int(m.group(3))}

    # ---- figures per row of the table
    def figures(label, hf_name, tv_name, records):
        h = hf[hf_name]
        tv = time_v(os.path.join(raw, f"stages.{tv_name}.time"))
        med = h["median"]
        return {"label": label, "median_s": round(med, 3), "times_s": [round(t, 3) for t in h["times"]],
                "cpu_s": round((h.get("user") or 0) + (h.get("system") or 0), 3),
                "mb_per_s": round(in_bytes / 1e6 / med, 1), "records_per_s": round(records / med),
                "peak_rss_mib": tv.get("rss_mib")}

    stage_rows = {}
    for st in STAGES:
        stage_rows[st] = figures(f"csp {st}", f"csp {st}", st, counts[st]["in"])
        ref_med = statistics.median(r["stages_s"].get(st, 0.0) for r in ref_runs) if ref_runs else None
        stage_rows[st]["duckdb_s"] = round(ref_med, 3) if ref_med is not None else None
        stage_rows[st]["ratio_duckdb"] = round(stage_rows[st]["median_s"] / ref_med, 2) if ref_med else None
    e2e = figures("csp stages 1-4", "csp stages 1-4", "e2e", rows)
    duck = figures("duckdb stages 1-4", "duckdb stages 1-4", "ref", rows)
    cat = figures("cat (floor)", "cat", "cat", rows)
    e2e["ratio_duckdb"] = round(e2e["median_s"] / duck["median_s"], 2)
    e2e["ratio_cat"] = round(e2e["median_s"] / cat["median_s"], 1)
    duck["ratio_cat"] = round(duck["median_s"] / cat["median_s"], 1)
    peak = max([e2e["peak_rss_mib"]] + [stage_rows[s]["peak_rss_mib"] for s in STAGES])

    out = {"group": "stages", "scale": scale, "machine": machine(), "records": rows, "input_bytes": in_bytes,
           "republished": gen["republished"], "csp_counts": counts, "duckdb_counts": ref["counts"],
           "duckdb": ref["reference"], "end_to_end": e2e, "stages": stage_rows, "duckdb_end_to_end": duck, "cat": cat,
           "warehouse_insert": insert, "peak_rss_mib": peak,
           "seconds_per_million_records": round(e2e["median_s"] / (rows / 1e6), 3), "failures": failures, "targets": []}

    def target(name, value, op, bound):
        ok = value is not None and (value <= bound if op == "<=" else value < bound if op == "<" else value >= bound)
        out["targets"].append({"target": name, "value": value, "bound": f"{op} {bound}", "result": "PASS" if ok else "MISS"})

    target("stages 1-4 no slower than DuckDB (csp/duckdb)", e2e["ratio_duckdb"], "<=", 1.0)
    target(f"peak RSS of every stage < 100 MiB at {scale:g}M", peak, "<", 100.0)
    target("warehouse INSERTs >= 400,000 rows/s", insert and insert["rows_per_s"], ">=", 400000)
    base = os.path.join(outdir, "stages-scale1.json")
    if scale != 1 and os.path.exists(base):
        b = json.load(open(base))
        lin = round(out["seconds_per_million_records"] / b["seconds_per_million_records"], 2)
        out["linearity_vs_scale1"] = lin
        target(f"time per record at {scale:g}M / at 1M (linear = 1.0)", lin, "<=", 1.15)

    json.dump(out, open(outfile, "w"), indent=2)
    json.dump(out, open(os.path.join(outdir, f"stages-scale{scale:g}.json"), "w"), indent=2)

    # ---- the table
    print(f"\nstages 1-4, SCALE={scale:g}: {rows:,} data.police.uk rows, {in_bytes / 1e6:.1f} MB in {len(gen['files'])} files, "
          f"{gen['republished']:,} re-published; {out['machine']['nproc']} cores, {out['machine']['cpu_model']}")
    print(f"  {'':<22}{'wall s':>8}{'CPU s':>8}{'MB/s':>8}{'rec/s':>11}{'RSS MiB':>9}{'duckdb s':>10}{'csp/duckdb':>11}")
    for st in STAGES:
        r = stage_rows[st]
        print(f"  {r['label']:<22}{r['median_s']:>8.2f}{r['cpu_s']:>8.2f}{r['mb_per_s']:>8.0f}{r['records_per_s']:>11,}"
              f"{r['peak_rss_mib']:>9.1f}{(r['duckdb_s'] or 0):>10.2f}{(r['ratio_duckdb'] or 0):>11.2f}")
    print(f"  {e2e['label']:<22}{e2e['median_s']:>8.2f}{e2e['cpu_s']:>8.2f}{e2e['mb_per_s']:>8.0f}{e2e['records_per_s']:>11,}"
          f"{e2e['peak_rss_mib']:>9.1f}{duck['median_s']:>10.2f}{e2e['ratio_duckdb']:>11.2f}")
    print(f"  {duck['label']:<22}{duck['median_s']:>8.2f}{duck['cpu_s']:>8.2f}{duck['mb_per_s']:>8.0f}{duck['records_per_s']:>11,}{duck['peak_rss_mib']:>9.1f}")
    print(f"  {cat['label']:<22}{cat['median_s']:>8.3f}{cat['cpu_s']:>8.2f}{cat['mb_per_s']:>8.0f}{cat['records_per_s']:>11,}{cat['peak_rss_mib']:>9.1f}")
    print(f"  ratio to the cat floor: csp {e2e['ratio_cat']}x, DuckDB {duck['ratio_cat']}x. DuckDB's per-stage seconds are measured "
          f"inside its process (no start-up); its end-to-end time includes Python's start-up and import.")
    if insert:
        print(f"  warehouse: {insert['rows']:,} rows inserted in {insert['insert_s']} s = {insert['rows_per_s']:,} rows/s")
    print("targets:")
    for t in out["targets"]:
        print(f"  {t['result']}  {t['target']}: {t['value']} (target {t['bound']})")
    for f in failures:
        print(f"  FAIL  {f}")
    if failures:
        sys.exit(1)
    if os.environ.get("BENCH_STRICT") == "1" and any(t["result"] == "MISS" for t in out["targets"]):
        sys.exit(2)


if __name__ == "__main__":
    main()
