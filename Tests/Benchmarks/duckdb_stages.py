#!/usr/bin/env python3
"""The DuckDB reference for csp's stages 1-4: runs Tests/Benchmarks/reference.sql on the same files.

  duckdb_stages.py DATA_GLOB CATEGORIES LSOA_LOOKUP WARDS OUTDIR       (reference.sql, group `stages`)
  duckdb_stages.py --sql FILE.sql out=OUTDIR NAME=VALUE...              (another script: group `national`)

With --sql, each {NAME} in the script is replaced by its VALUE; the script must make the same tables (raw, typed with
its disposition, located, crimes, asb_incidents). OUTDIR is emptied first; it receives reference.duckdb (tables crimes, asb_incidents) and one CSV per table
(plus duplicates, excluded, rejects). Prints JSON on stdout: the row count of every step (for the checks
against csp's manifests), the time of every step and the DuckDB version and threads.
"""
import json
import os
import re
import shutil
import sys
import time

import duckdb


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.argv[1] == "--sql":
        script = sys.argv[2]
        params = dict(a.split("=", 1) for a in sys.argv[3:])
    else:
        script = os.path.join(here, "reference.sql")
        params = dict(zip(["data", "categories", "lsoa", "wards", "out"], sys.argv[1:6]))
    out = params["out"]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with open(script) as f:
        sql = f.read()
    # `-- include FILE` (a whole line) is replaced by FILE, next to the script: the statements the scripts share.
    sql = re.sub(r"^-- include (\S+)$", lambda m: open(os.path.join(os.path.dirname(os.path.abspath(script)), m.group(1))).read(),
                 sql, flags=re.M)
    for k, v in params.items():
        sql = sql.replace("{" + k + "}", v.replace("'", "''"))
    missing = sorted(set(re.findall(r"\{([a-z][a-z0-9_]*)\}", sql)))
    if missing:
        sys.exit(f"duckdb_stages.py: {script} needs " + ", ".join(f"{m}=VALUE" for m in missing))
    con = duckdb.connect(os.path.join(out, "reference.duckdb"))
    # The time of each statement, and by csp stage: a statement belongs to the stage named by the last
    # `-- stage N name` comment before it (statements before the first marker are settings).
    steps, stages, stage = [], {}, "setup"
    t_all = time.perf_counter()
    # Statements end with ";" at the end of a line; whole-line "--" comments are dropped (they may hold ";").
    statements, lines = [], []
    for line in sql.splitlines():
        mark = re.match(r"^-- stage \d+ (\w+)", line)
        if mark:
            statements.append(("mark", mark.group(1)))
        if line.lstrip().startswith("--"):
            continue
        lines.append(line)
        if line.rstrip().endswith(";"):
            statements.append(("sql", "\n".join(lines).strip().rstrip(";")))
            lines = []
    for kind, stmt in statements:
        if kind == "mark":
            stage = stmt
            continue
        t0 = time.perf_counter()
        con.execute(stmt)
        dt = time.perf_counter() - t0
        m = re.match(r"(?:CREATE (?:TEMP )?TABLE (\w+)|COPY .*? TO '[^']*/([\w.]+)')", stmt, re.S)
        steps.append({"stage": stage, "step": (m.group(1) or m.group(2)) if m else stmt.split()[0], "s": round(dt, 4)})
        stages[stage] = stages.get(stage, 0.0) + dt
    con.execute("CHECKPOINT")
    total = time.perf_counter() - t_all
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("raw", "located", "crimes", "asb_incidents")}
    counts.update({d: n for d, n in con.execute("SELECT disposition, count(*) FROM typed GROUP BY ALL").fetchall()})
    counts["excluded"] = counts.get("kept", 0) - counts["located"]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    result = {"reference": f"duckdb {duckdb.__version__}, threads={threads}", "counts": counts,
              "stages_s": {k: round(v, 4) for k, v in stages.items()}, "steps": steps, "total_s": round(total, 4)}
    if os.environ.get("BENCH_STEPS_LOG"):  # the benchmark collects every timed run's figures
        with open(os.environ["BENCH_STEPS_LOG"], "a") as f:
            f.write(json.dumps(result) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
