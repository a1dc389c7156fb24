#!/usr/bin/env python3
"""Prints one table of every benchmark target from the groups' JSON files in OUTDIR (the latest run of each
group; a group not run this time is shown with its date), and writes OUTDIR/summary.json.

  summary.py OUTDIR GROUP...
"""
import json
import os
import sys


def main():
    outdir, groups = sys.argv[1], sys.argv[2:]
    rows = []
    for g in ["readers", "stages", "geocode", "rerun", "national"]:
        path = os.path.join(outdir, f"{g}.json")
        if not os.path.exists(path):
            continue
        d = json.load(open(path))
        when = (d.get("machine") or {}).get("date", "")[:16]
        fresh = g in groups
        scale = d.get("scale", d.get("scale_millions"))
        targets = d.get("targets") or []
        if isinstance(targets, dict):  # geocode_report.py: {name: passed}
            targets = [{"target": k, "value": v, "bound": "true", "result": "PASS" if v else "MISS"} for k, v in targets.items()]
        if g == "rerun":
            ok = d.get("all_skipped") and d["median_s"] < d.get("target_s", 0.5)
            targets = [{"target": "no-change nightly rerun < 0.5 s, every stage skipped", "value": round(d["median_s"], 3),
                        "bound": "< 0.5", "result": "PASS" if ok else "MISS"}]
        for t in targets:
            rows.append({"group": g, "scale": scale, "this_run": fresh, "date": when, **t})
    json.dump(rows, open(os.path.join(outdir, "summary.json"), "w"), indent=2)
    print("\n== summary of the targets (Output/bench/summary.json)")
    for r in rows:
        note = "" if r["this_run"] else f"  (not run now: {r['date']})"
        print(f"  {r['result']:<5} {r['group']:<8} SCALE={r['scale']!s:<4} {r['target']}: {r['value']} (target {r['bound']}){note}")


if __name__ == "__main__":
    main()
