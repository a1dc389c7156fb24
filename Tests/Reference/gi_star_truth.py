#!/usr/bin/env python3
"""Hot spots of the true counts against the published ones, computed independently of csp (standard library + PyYAML).

For one run: the true LSOA counts of each theme over the `twelve_months` period, read straight from the warehouse
(`04-normalised/warehouse.sqlite`, the theme's `where` equalities from the themes file), rates per 1,000 residents
(the populations printed in `tables/hotspots.csv`), queen contiguity of the LSOA outlines in the warehouse's `geometry`
table (two areas are neighbours when their rings share a vertex, coordinates rounded to the centimetre), Getis-Ord Gi*
with binary weights and the area itself (as esda.G_Local(star=True, transform="B")), two-sided normal p-values and
Benjamini-Hochberg over the areas with a neighbour; hot spot when z > 0 and the adjusted p-value is below 0.05.

It compares the published `gi_star_hotspot` column with that truth and reports, per theme: true hot spots, published
hot spots, artefacts (published hot spots that are not hot spots of the true counts), missed (true hot spots published
as "not significant") and withheld (true hot spots published as `~`), the same for cold spots, and per layer of
`tables/hotspots.csv` the largest count withheld (`~`) that is not small (a complement), and the counts published as a
band ("80 to 99": a complement coarsened instead of withheld; the true count must lie in it): how many and the largest.
Prints one JSON object.

    python3 Tests/Reference/gi_star_truth.py RUN_FOLDER THEMES_YAML [THRESHOLD]

RUN_FOLDER is `<output>/<pipeline>/runs/<run-id>` (or `latest`).
"""

import csv
import json
import math
import re
import sqlite3
import sys


def load_themes(path):
    """Theme id -> (dataset, {column: value}) from the themes YAML (flow style, as the repository writes it)."""
    try:
        import yaml  # noqa: PLC0415
        doc = yaml.safe_load(open(path, encoding="utf-8"))
        return {t["id"]: (t["dataset"], t.get("where") or {}) for t in doc["themes"]}
    except ImportError:
        sys.exit("gi_star_truth.py needs PyYAML to read the themes file")


def rings(wkt):
    """Every ring of a WKT (MULTI)POLYGON as a list of (x, y) rounded to the centimetre."""
    out = []
    for ring in re.findall(r"\(([^()]+)\)", wkt):
        pts = []
        for pair in ring.split(","):
            xy = pair.split()
            if len(xy) >= 2:
                pts.append((round(float(xy[0]), 2), round(float(xy[1]), 2)))
        out.append(pts)
    return out


def queen(codes, wkt):
    """Neighbour sets (indices) by shared vertices."""
    owners = {}
    for i, c in enumerate(codes):
        for ring in rings(wkt.get(c, "")):
            for v in ring:
                owners.setdefault(v, set()).add(i)
    nb = [set() for _ in codes]
    for s in owners.values():
        for i in s:
            nb[i] |= s - {i}
    return nb


def benjamini_hochberg(p):
    """Adjusted p-values of the non-None entries together (step-up, capped at 1)."""
    idx = sorted((i for i in range(len(p)) if p[i] is not None), key=lambda i: (p[i], i))
    m = len(idx)
    out = [None] * len(p)
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = idx[rank]
        running = min(running, p[i] * m / (rank + 1))
        out[i] = min(1.0, running)
    return out


def gi_star_classes(values, nb, alpha=0.05):
    """Class per area ('hot spot', 'cold spot', 'not significant', 'island') and z."""
    n = len(values)
    mean = sum(values) / n
    s = math.sqrt(sum((x - mean) ** 2 for x in values) / n)
    z, p = [None] * n, [None] * n
    for i in range(n):
        w = len(nb[i]) + 1
        var = (n * w - w * w) / (n - 1)
        if var <= 0:
            continue
        local = values[i] + sum(values[j] for j in nb[i])
        z[i] = (local - mean * w) / (s * math.sqrt(var))
        if nb[i]:
            p[i] = min(1.0, math.erfc(abs(z[i]) / math.sqrt(2)))
    adj = benjamini_hochberg(p)
    classes = []
    for i in range(n):
        if z[i] is None:
            classes.append("*")
        elif not nb[i]:
            classes.append("island")
        elif adj[i] < alpha and z[i] != 0:
            classes.append("hot spot" if z[i] > 0 else "cold spot")
        else:
            classes.append("not significant")
    return classes, z


def parse_band(cell):
    """The (least, greatest) count of a count published as a band ("80 to 99"), or None for any other cell."""
    parts = cell.split(" to ")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])

def main():
    run, themes_path = sys.argv[1], sys.argv[2]
    threshold = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    themes = load_themes(themes_path)
    assessment = json.load(open(run + "/05-assess/assessment.json", encoding="utf-8"))
    twelve = assessment["periods"]["twelve_months"]
    first, last = twelve["from"][:7], twelve["to"][:7]
    with open(run + "/05-assess/tables/hotspots.csv", newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    head = {name: i for i, name in enumerate(table[0])}
    db = sqlite3.connect(run + "/04-normalised/warehouse.sqlite")
    wkt = dict(db.execute("SELECT code, wkt FROM geometry WHERE layer = 'lsoa21'").fetchall())
    layer_column = {"lsoa": "lsoa21_code", "ward": "ward_code", "ward08": "ward08_code", "place": "place_code"}

    by_theme = {}
    for r in table[1:]:
        by_theme.setdefault(r[head["theme_id"]], {}).setdefault(r[head["layer"]], []).append(r)

    report = {"themes": {}, "complements": {}, "bands": {}}
    nb_cache = None
    for theme, layers in sorted(by_theme.items()):
        dataset, where = themes[theme]
        cols = {row[1] for row in db.execute(f"PRAGMA table_info({dataset})")}
        month_sql = "substr(month, 1, 7)"
        conditions = " AND ".join(f'"{k}" = ?' for k in where)
        args = [str(v) for v in where.values()]
        for layer, rows in layers.items():
            column = layer_column.get(layer, layer + "_code")
            if column not in cols:
                continue
            sql = (f'SELECT "{column}", COUNT(*) FROM "{dataset}" WHERE {month_sql} BETWEEN ? AND ?'
                   + (f" AND {conditions}" if conditions else "") + f' GROUP BY "{column}"')
            truth = dict(db.execute(sql, [first, last] + args).fetchall())
            largest = report["complements"].get(layer, 0)
            widest = report["bands"].get(layer, {"count": 0, "largest": 0})
            for r in rows:
                n = truth.get(r[head["area_code"]], 0)
                shown = r[head["count"]]
                band = parse_band(shown)
                if shown == "~":
                    # Only counts withheld outright: a band is published, if only partly.
                    if n >= threshold:
                        largest = max(largest, n)
                elif band is not None:
                    if not band[0] <= n <= band[1]:
                        sys.exit(f"{theme} {layer} {r[head['area_code']]}: published as {shown}, warehouse {n}")
                    widest = {"count": widest["count"] + 1, "largest": max(widest["largest"], n)}
                elif int(shown) != n:
                    sys.exit(f"{theme} {layer} {r[head['area_code']]}: published {shown}, warehouse {n}")
            report["complements"][layer] = largest
            report["bands"][layer] = widest
            if layer != "lsoa" or "gi_star_hotspot" not in head:
                continue
            codes = [r[head["area_code"]] for r in rows]
            pops = [int(r[head["population"]]) for r in rows]
            if nb_cache is None or nb_cache[0] != codes:
                nb_cache = (codes, queen(codes, wkt))
            values = [1000 * truth.get(c, 0) / p for c, p in zip(codes, pops)]
            classes, _ = gi_star_classes(values, nb_cache[1])
            published = [r[head["gi_star_hotspot"]] for r in rows]
            t = {}
            for kind in ("hot spot", "cold spot"):
                true_set = {c for c, k in zip(codes, classes) if k == kind}
                pub_set = {c for c, k in zip(codes, published) if k == kind}
                key = kind.split()[0]
                t[key] = {
                    "true": len(true_set),
                    "published": len(pub_set),
                    "artefacts": sorted(pub_set - true_set),
                    "missed": sorted(c for c, k in zip(codes, published) if c in true_set and k == "not significant"),
                    "withheld": sorted(c for c, k in zip(codes, published) if c in true_set and k == "~"),
                }
            t["withheld_flags"] = sum(1 for k in published if k == "~")
            report["themes"][theme] = t
    print(json.dumps(report, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
