#!/usr/bin/env python3
"""Figures of the `geocode` benchmark group (Tests/Benchmarks/run.sh bench_geocode): writes the JSON, prints the table.

usage: geocode_report.py RAW RUNDIR LEDGER OUTFILE SCALE
  RAW     Output/bench/raw (geocode.hyperfine.json, geocode.csp.time)
  RUNDIR  the base run folder (its 02-clean/manifest.json gives the records stage 3 reads)
  LEDGER  the pipeline's ledger.jsonl (the geocode attempts' duration_s)
"""
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import machine  # noqa: E402  (same machine line as the readers table)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    raw, rundir, ledger, outfile, scale = sys.argv[1:]
    hf = json.load(open(os.path.join(raw, "geocode.hyperfine.json")))["results"][0]
    tv = open(os.path.join(raw, "geocode.csp.time")).read()

    def tfield(label):
        m = re.search(r"^\s*" + re.escape(label) + r": (.*)$", tv, re.M)
        return m.group(1).strip() if m else None

    rss_mib = int(tfield("Maximum resident set size (kbytes)")) / 1024
    cpu_time_v = float(tfield("User time (seconds)")) + float(tfield("System time (seconds)"))
    clean = json.load(open(os.path.join(rundir, "02-clean", "manifest.json")))
    records = clean["counts"]["out"]
    attempts = [json.loads(l) for l in open(ledger) if l.strip()]
    geo = [a for a in attempts if a.get("event") == "stage" and a.get("stage") == "geocode" and a.get("outcome") == "succeeded"]
    # The ledger is fresh for each bench: its geocode attempts are the /usr/bin/time run, hyperfine's warm-up and
    # runs, then (when perf is usable) the slower perf run, which is left out.
    if os.path.exists(os.path.join(raw, "geocode.perf.txt")):
        geo_timed = geo[:-1]
    else:
        geo_timed = geo
    runs = int(hf.get("runs") or len(hf["times"]))
    stage_s = [a["duration_s"] for a in geo_timed[-runs:]]  # the same runs as hyperfine's median
    counts = geo[-1]["counts"] if geo else {}
    median = hf["median"]
    cpu = hf["user"] + hf["system"]
    stage_med = statistics.median(stage_s) if stage_s else None
    out = {
        "group": "geocode", "scale": int(scale), "machine": machine(),
        "command": hf["command"],
        "records_in": records, "placed": counts.get("out"), "excluded": counts.get("excluded"),
        "wall_median_s": median, "wall_times_s": hf["times"], "cpu_mean_s": cpu,
        "records_per_s": records / median,
        "peak_rss_mib": rss_mib, "time_v_cpu_s": cpu_time_v,
        "ledger_stage_s": stage_s, "ledger_stage_median_s": stage_med,
        "records_per_s_in_stage": records / stage_med if stage_med else None,
        "process_overhead_s": median - stage_med if stage_med else None,
    }
    # CPU breakdown from perf (children = the function and what it calls): the locating proper is the projection of
    # each longitude/latitude to the grid plus the point-in-polygon lookup of the ward layer.
    perf_txt = os.path.join(raw, "geocode.perf.txt")
    if os.path.exists(perf_txt):
        text = open(perf_txt).read()
        samples = None
        try:  # `perf report --sort comm -n`: "100.00%  100.00%  15220  csp"
            for line in open(os.path.join(raw, "geocode.perf.total.txt")):
                f = line.split()
                n = [x for x in f if x.isdigit()]
                if f and f[0].endswith("%") and n:
                    samples = (samples or 0) + int(n[0])
        except OSError:
            pass
        def share(sym):
            for line in text.splitlines():
                f = line.split()
                if len(f) > 5 and sym in line and f[0].endswith("%"):
                    return float(f[0].rstrip("%")) / 100
            return 0.0
        parts = {"project_wgs84_to_osgb36": share("OSGB36O9fromWGS84"), "point_in_polygon": share("AreaLayerV6locate"),
                 "csv_write": share("CSVWriterC10writeField5bytes"), "sha256_outputs": share("sha256_block_data_order"),  # hashed as written (CSVWriter) or read back (FileDigest)
                 "csv_parse": share("CSVParserV5parse")}
        total = samples / 4000 if samples else None
        out["perf"] = {"samples_at_4khz": samples, "cpu_s": total, "shares": parts}
        if total:
            out["locate_cpu_s"] = total * (parts["project_wgs84_to_osgb36"] + parts["point_in_polygon"])
            out["locate_points_per_s"] = records / out["locate_cpu_s"] if out["locate_cpu_s"] else None
    os.makedirs(os.path.dirname(outfile), exist_ok=True)
    json.dump(out, open(outfile, "w"), indent=2)
    m = out["machine"]
    model = (m.get("cpu_model") or "").split(" ")[0:2]
    print(f"\ngeocode benchmark, SCALE={scale}  ({m.get('nproc')} cores, {' '.join(model)}, {m.get('date')}, csp {m.get('csp_commit')})")
    print("csp stage geocode --run BASE: median wall of hyperfine runs, cpu = user+system (mean); ledger = the stage's own duration_s")
    print(f"{'records':>10} {'wall s':>7} {'rec/s':>8} {'cpu s':>6} {'RSS MiB':>8} | {'ledger s':>8} {'rec/s':>8} {'start+load s':>12} | placed / excluded")
    print("-" * 100)
    print(f"{records:>10,} {median:>7.3f} {records / median / 1e6:>7.2f}M {cpu:>6.3f} {rss_mib:>8.1f} | "
          f"{stage_med if stage_med is not None else float('nan'):>8.3f} {(out['records_per_s_in_stage'] or 0) / 1e6:>7.2f}M "
          f"{out['process_overhead_s'] if out['process_overhead_s'] is not None else float('nan'):>12.3f} | {counts.get('out')} / {counts.get('excluded')}")
    print(f"  peak RSS and cpu from one run under /usr/bin/time -v: {rss_mib:.1f} MiB, {cpu_time_v:.2f} s")
    if out.get("perf") and out.get("locate_cpu_s"):
        p = out["perf"]
        print(f"  perf ({p['cpu_s']:.2f} s sampled): projection {p['shares']['project_wgs84_to_osgb36']:.1%}, point in polygon {p['shares']['point_in_polygon']:.1%}"
              f" -> locating {out['locate_cpu_s']:.3f} s ({out['locate_points_per_s'] / 1e6:.2f}M points/s); CSV write {p['shares']['csv_write']:.1%},"
              f" sha256 of outputs {p['shares']['sha256_outputs']:.1%}, CSV parse {p['shares']['csv_parse']:.1%}")
    # The target is for locating the points; the stage also reads, writes and hashes every row (see the README).
    print("\ntargets:")
    checks = []
    if out.get("locate_cpu_s") is not None:
        checks.append(("locating 1M points (projection + point in polygon) < 1 s CPU", out["locate_cpu_s"] * 1e6 / records, out["locate_cpu_s"] * 1e6 / records < 1.0, "< 1.0 per 1M"))
    for name, value, ok, want in checks + [
        ("whole stage 3 single-core CPU (read, locate, write, hash) < 1 s", cpu, cpu < 1.0, "< 1.0"),
        ("stage 3 peak RSS < 256 MiB", rss_mib, rss_mib < 256, "< 256"),
    ]:
        print(f"  {'PASS' if ok else 'MISS'}  {name:<52} value {value:.3f}  (want {want})")
    out["targets"] = {"cpu_under_1s": cpu < 1.0, "rss_under_256mib": rss_mib < 256,
                      "locate_under_1s_per_1m": (out["locate_cpu_s"] * 1e6 / records < 1.0) if out.get("locate_cpu_s") is not None else None}
    json.dump(out, open(outfile, "w"), indent=2)


if __name__ == "__main__":
    main()
