#!/usr/bin/env python3
"""Independent reference for the period figures a real-data pipeline publishes (`05-assess/tables/theme-profiles.csv`).

Reads the raw data.police.uk street CSVs of a folder of `YYYY-MM/` month folders and computes, for every theme of
`Pipelines/reference/themes-police-uk.yaml` (each theme is one data.police.uk `Crime type`; ASB is "Anti-social
behaviour"), what csp should publish for Central Bedfordshire: `volume_<period>` for each period, and the change,
per cent, words and p cells of the three comparisons. It shares no code with csp; it follows the rules as written:

Counting (stages 1-3):
- a month folder's street file is `YYYY-MM/*-street.csv`; a row whose `Month` is not the folder's month is rejected;
- a row whose `Crime type` is not in `Pipelines/reference/police-uk-categories.csv` is rejected;
- crimes (rows with a Crime ID) sharing a Crime ID: exact repeats (same type, longitude, latitude, LSOA code and
  last outcome) are one record; rows differing in any of these are different records and all are kept;
  rows without a Crime ID (ASB) are never duplicates;
- the point decides: Point(lon, lat) in a Central Bedfordshire WD25 ward (shapely, WGS84 degrees); a row without a
  point is placed by its LSOA code when that 2021 LSOA has most of its area in a Central Bedfordshire ward; else it
  is out of the area.

Periods (anchored on month A):
- A = the latest month folder whose street file exists and is not short (fewer rows than half the median of the up
  to six months with a file on each side);
- current = the 6 months ending A; previous_year = the same 6 months a year earlier; previous_six_months = the 6
  before current; twelve_months = the 12 ending A; previous_twelve_months = the 12 before;
- a period is available when it lies wholly inside the first..last month with a street file and at least half of its
  months have one; its length is its months with a file. An unavailable period's volume is `*`, and each comparison
  using it is `*` in all four cells.

Comparisons: change = n2 - n1; per cent = 100 (n2/t2 - n1/t1) / (n1/t1), one decimal, `*` when n1 = 0;
p = scipy.stats.binomtest(n2, n1 + n2, t2 / (t1 + t2)).pvalue (two-sided), four decimals or `<0.0001`; words
"Increasing volume"/"Decreasing volume" when p < 0.05 (by the rates), else "Stable".

usage: periods_reference.py MONTHS_DIR [--realdata DIR]
Prints JSON: {"anchor": "YYYY-MM", "periods": {name: {"from", "to", "available", "length"}},
              "themes": {theme_id: {column of theme-profiles.csv: cell}}}
exit 3 when shapely, scipy or yaml cannot be imported.
"""
import csv
import glob
import json
import os
import re
import statistics
import sys

try:
    import yaml
    from scipy.stats import binomtest
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union
    from shapely.prepared import prep
except ImportError as e:  # pragma: no cover
    print(f"a module is missing ({e}): pip install shapely scipy pyyaml", file=sys.stderr)
    sys.exit(3)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEME = [("current", -5, 0), ("previous_year", -17, -12), ("previous_six_months", -11, -6),
          ("twelve_months", -11, 0), ("previous_twelve_months", -23, -12)]
# (column prefix cells, previous period, current period)
COMPARISONS = [
    (["change_current_vs_previous_year", "percent_change", "performance_current", "p_current"], "previous_year", "current"),
    (["change_12m", "percent_change_12m", "performance_12m", "p_12m"], "previous_twelve_months", "twelve_months"),
    (["change_current_vs_previous_six_months", "percent_change_6m", "performance_6m", "p_6m"], "previous_six_months", "current"),
]


def month_index(text):
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def month_text(index):
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def last_day(index):
    y, m = index // 12, index % 12 + 1
    days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return f"{month_text(index)}-{days[m - 1]:02d}"


def street_files(folder):
    """{month index: path} of each month folder holding one street file."""
    out = {}
    for d in sorted(os.listdir(folder)):
        if re.fullmatch(r"\d{4}-\d{2}", d):
            files = sorted(glob.glob(os.path.join(folder, d, "*-street.csv")))
            if files:
                out[month_index(d)] = files[0]
    return out


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def anchor_month(rows_by_month):
    """The latest month with a street file that is not short."""
    months = sorted(rows_by_month)
    for i in reversed(range(len(months))):
        around = [rows_by_month[m] for m in months[max(0, i - 6):i]] + [rows_by_month[m] for m in months[i + 1:i + 7]]
        if not around or rows_by_month[months[i]] >= statistics.median(around) / 2:
            return months[i]
    return None


def periods_for(anchor, with_file):
    first, last = min(with_file), max(with_file)
    out = {}
    for name, a, b in SCHEME:
        lo, hi = anchor + a, anchor + b
        length = sum(1 for m in range(lo, hi + 1) if m in with_file)
        available = first <= lo and hi <= last and 2 * length >= (hi - lo + 1)
        out[name] = {"from": f"{month_text(lo)}-01", "to": last_day(hi), "available": available, "length": length,
                     "months": (lo, hi)}
    return out


def ward_area(realdata):
    with open(os.path.join(realdata, "ons-boundaries/ward_WD25_E06000056_central_bedfordshire.geojson"), encoding="utf-8") as f:
        wards = [shape(ft["geometry"]) for ft in json.load(f)["features"]]
    return wards


def lsoa_in_area(realdata, wards):
    """2021 LSOA codes whose largest share of area lies in a Central Bedfordshire ward (every LSOA of the file)."""
    with open(os.path.join(realdata, "ons-boundaries/lsoa21_E06000056_central_bedfordshire.geojson"), encoding="utf-8") as f:
        features = json.load(f)["features"]
    out = set()
    for ft in features:
        g = shape(ft["geometry"])
        if max(g.intersection(w).area for w in wards) > 0:
            out.add(ft["properties"]["LSOA21CD"])
    return out


def p_text(p):
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


def fixed1(v):
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def comparison(n1, t1, n2, t2):
    p = binomtest(n2, n1 + n2, t2 / (t1 + t2)).pvalue if n1 + n2 > 0 else 1.0
    percent = "*" if n1 == 0 else fixed1(100 * (n2 / t2 - n1 / t1) / (n1 / t1))
    words = "Stable"
    if p < 0.05:
        words = "Increasing volume" if n2 / t2 > n1 / t1 else "Decreasing volume"
    return [str(n2 - n1), percent, words, p_text(p)]


def main(argv):
    realdata = "/work/shared/realdata"
    if "--realdata" in argv:
        i = argv.index("--realdata")
        realdata = argv[i + 1]
        del argv[i:i + 2]
    folder = argv[0]
    with open(os.path.join(REPO, "Pipelines/reference/police-uk-categories.csv"), encoding="utf-8") as f:
        groups = {r["crime_type"]: r["offence_group"] for r in csv.DictReader(f)}
    with open(os.path.join(REPO, "Pipelines/reference/themes-police-uk.yaml"), encoding="utf-8") as f:
        themes = yaml.safe_load(f)["themes"]

    files = street_files(folder)
    rows = {m: read_rows(p) for m, p in files.items()}
    anchor = anchor_month({m: len(r) for m, r in rows.items()})
    periods = periods_for(anchor, set(files))

    wards = ward_area(realdata)
    area = prep(unary_union(wards))
    lsoas = lsoa_in_area(realdata, wards)

    # (offence group, month) of every record published in the area.
    records = []
    seen = set()
    for m, rs in rows.items():
        for r in rs:
            if r["Month"].strip() != month_text(m) or r["Crime type"].strip() not in groups:
                continue
            crime_id = r["Crime ID"].strip()
            if crime_id:
                key = (crime_id, r["Crime type"].strip(), r["Longitude"].strip(), r["Latitude"].strip(),
                       r["LSOA code"].strip().upper(), r["Last outcome category"].strip())
                if key in seen:
                    continue
                seen.add(key)
            lon, lat = r["Longitude"].strip(), r["Latitude"].strip()
            inside = area.contains(Point(float(lon), float(lat))) if lon and lat else r["LSOA code"].strip().upper() in lsoas
            if inside:
                records.append((groups[r["Crime type"].strip()], m))

    out = {"anchor": month_text(anchor),
           "periods": {k: {x: v[x] for x in ("from", "to", "available", "length")} for k, v in periods.items()},
           "themes": {}}
    for t in themes:
        group = t.get("where", {}).get("offence_group", "Anti-social behaviour")
        volumes = {}
        for name, p in periods.items():
            lo, hi = p["months"]
            volumes[name] = sum(1 for g, m in records if g == group and lo <= m <= hi) if p["available"] else None
        cells = {f"volume_{k}": ("*" if v is None else str(v)) for k, v in volumes.items()}
        for columns, before, after in COMPARISONS:
            if volumes[before] is None or volumes[after] is None:
                values = ["*"] * 4
            else:
                values = comparison(volumes[before], periods[before]["length"], volumes[after], periods[after]["length"])
            cells.update(zip(columns, values))
        out["themes"][t["id"]] = cells
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
