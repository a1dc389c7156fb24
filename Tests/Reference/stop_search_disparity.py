#!/usr/bin/env python3
"""Independent reference for `05-assess/tables/stop-search-disparity.csv` (stop and search by ethnicity against
Census 2021 residents) of the Central Bedfordshire pipeline.

Reads the raw data.police.uk stop-and-search CSVs of a folder of `YYYY-MM/` month folders and the national Census
and lookup files itself, and computes every cell csp publishes, before disclosure control (the Swift test compares
the published cells and checks that every small count is withheld). It shares no code with csp; its rules:

- a search's month is its `Date` in UK civil time (Europe/London), as data.police.uk's months are;
- the twelve-month period ends at the anchor: the latest month folder whose stop-and-search file is not short (fewer
  rows than half the median of the up to six months with a file on each side: `periods_reference.anchor_month`), and
  is available when it lies within the first..last month with a file and at least half its months have one;
- the partnership's searches: Point(lon, lat) inside a Central Bedfordshire WD25 ward (shapely, WGS84 degrees; stop
  and search is placed by its point only); the force's: every row of the force's files;
- residents: the partnership's are the Census 2021 TS021 groups of the LSOAs of the Central Bedfordshire LSOA21
  boundary file; the force's, of every LSOA whose best-fit council (LSOA21 -> LAD25 lookup) is a council of the force
  (LAD24 -> PFA24 lookup);
- groups: a self-defined category by its leading word (Asian, Black, Mixed, White, Other), "... - Not stated" is Not
  stated, an empty cell Blank; officer-defined likewise; Census groups by their leading word;
- rate per 1,000 = 1000 n / residents; ratio to White = rate / White rate, interval statsmodels
  `confint_poisson_2indep(n, residents, n_white, residents_white, method="wald-log", compare="ratio")`;
  linked share = searches whose "Outcome linked to object of search" is True / searches, interval statsmodels
  `proportion_confint(method="wilson")`;
- not stated: unknown = Not stated + Blank; rate shared in proportion = rate * total / (total - unknown); ratio if every
  unknown search were White = rate / ((n_white + unknown) / residents_white);
- legislation groups: `all`, and `section_60` (legislation containing "(section 60)").

usage: stop_search_disparity.py MONTHS_DIR [--realdata DIR]
Prints JSON: {"period": {"from", "to", "available"}, "rows": {"kind|legislation|basis|group": {column: cell}},
              "totals": {"partnership": n, "force": n, "force_no_location": n}}
exit 3 when shapely, statsmodels or scipy cannot be imported.
"""
import csv
import glob
import json
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

try:
    from shapely.geometry import Point, shape
    from shapely.prepared import prep
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import confint_poisson_2indep
except ImportError as e:  # pragma: no cover
    print(f"a module is missing ({e}): pip install shapely scipy statsmodels pyyaml", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import periods_reference as pr  # noqa: E402  (month arithmetic and the anchor rule, shared by the references)

LONDON = ZoneInfo("Europe/London")
CENSUS = ["Asian", "Black", "Mixed", "White", "Other"]
GROUPS = CENSUS + ["Not stated", "Blank"]
PARTNERSHIP_LA = "E06000056"


def group_of(label):
    t = (label or "").strip()
    if not t:
        return "Blank"
    low = t.lower()
    if low.startswith("not stated") or low.endswith("- not stated") or low == "self-defined ethnicity":
        return "Not stated"
    if low.startswith("chinese or other ethnic group"):  # 2001 Census categories (older files): Chinese is Asian in 2021
        return "Asian" if "- chinese" in low else "Other"
    word = ""
    for ch in t:
        if not ch.isalpha():
            break
        word += ch
    if word not in CENSUS:
        raise SystemExit(f"ethnicity {label!r} has no group")
    return word


def fixed(v, places):
    if v is None:
        return "*"
    s = f"{v:.{places}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def searches(folder):
    """(rows by folder month, [(month, lon, lat, self, officer, legislation, linked)])."""
    rows_by_month, out = {}, []
    for d in sorted(os.listdir(folder)):
        files = sorted(glob.glob(os.path.join(folder, d, "*-stop-and-search.csv")))
        if not files:
            continue
        n = 0
        for path in files:
            with open(path, encoding="utf-8-sig", newline="") as f:
                for r in csv.DictReader(f):
                    n += 1
                    when = datetime.fromisoformat(r["Date"]).astimezone(LONDON)
                    out.append((when.strftime("%Y-%m"), r["Longitude"], r["Latitude"], r["Self-defined ethnicity"],
                                r["Officer-defined ethnicity"], r["Legislation"], r["Outcome linked to object of search"]))
        rows_by_month[pr.month_index(d)] = n
    return rows_by_month, out


def residents(realdata):
    lookups = os.path.join(realdata, "national", "lookups")
    with open(os.path.join(realdata, "ons-boundaries", "lsoa21_E06000056_central_bedfordshire.geojson"), encoding="utf-8") as f:
        own = {ft["properties"]["LSOA21CD"] for ft in json.load(f)["features"]}
    with open(os.path.join(lookups, "LAD24_to_CSP24_to_PFA24_EW.csv"), encoding="utf-8-sig", newline="") as f:
        lad = list(csv.DictReader(f))
    force = {r["PFA24CD"] for r in lad if r["LAD24CD"] == PARTNERSHIP_LA}
    assert len(force) == 1
    councils = {r["LAD24CD"] for r in lad if r["PFA24CD"] in force}
    with open(os.path.join(lookups, "LSOA21_to_WD25_to_LAD25_best_fit_EW.csv"), encoding="utf-8-sig", newline="") as f:
        force_lsoas = {r["LSOA21CD"] for r in csv.DictReader(f) if r["LAD25CD"] in councils}
    res = {"partnership": {g: 0 for g in CENSUS}, "force": {g: 0 for g in CENSUS}}
    with open(os.path.join(lookups, "census2021_lsoa21_ethnicity.csv"), encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            g = group_of(r["ethnic_group"])
            if r["LSOA21CD"] in own:
                res["partnership"][g] += int(r["usual_residents"])
            if r["LSOA21CD"] in force_lsoas:
                res["force"][g] += int(r["usual_residents"])
    return res


def main(argv):
    folder = argv[1]
    realdata = argv[argv.index("--realdata") + 1] if "--realdata" in argv else os.path.join(pr.REPO, "..", "shared", "realdata")
    rows_by_month, rows = searches(folder)
    anchor = pr.anchor_month(rows_by_month)
    period = pr.periods_for(anchor, set(rows_by_month))["twelve_months"]
    lo, hi = (pr.month_text(m) for m in period["months"])
    wards = [prep(w) for w in pr.ward_area(realdata)]
    res = residents(realdata)
    counts = {}  # (kind, legislation group, basis, group) -> [n, linked]
    totals = {"partnership": 0, "force": 0, "force_no_location": 0}
    for month, lon, lat, selfdef, officer, legislation, linked in rows:
        if not (lo <= month <= hi):
            continue
        located = lon != "" and lat != ""
        inside = located and any(w.contains(Point(float(lon), float(lat))) for w in wards)
        kinds = ["force"] + (["partnership"] if inside else [])
        totals["force"] += 1
        totals["partnership"] += inside
        totals["force_no_location"] += not located
        groups = ["all"] + (["section_60"] if "(section 60)" in legislation else [])
        for kind in kinds:
            for lg in groups:
                for basis, label in (("self_defined", selfdef), ("officer_defined", officer)):
                    c = counts.setdefault((kind, lg, basis, group_of(label)), [0, 0])
                    c[0] += 1
                    c[1] += linked == "True"
    out = {}
    for kind in ("partnership", "force"):
        for lg in ("all", "section_60"):
            for basis in ("self_defined", "officer_defined"):
                n = {g: counts.get((kind, lg, basis, g), [0, 0])[0] for g in GROUPS}
                total = sum(n.values())
                unknown = n["Not stated"] + n["Blank"]
                rw = res[kind]["White"]
                for g in GROUPS:
                    x, k = n[g], counts.get((kind, lg, basis, g), [0, 0])[1]
                    r = res[kind].get(g)
                    cells = {"searches": str(x), "residents": str(r) if r is not None else "*"}
                    rate = 1000 * x / r if r else None
                    cells["rate_per_1000"] = fixed(rate, 2)
                    ratio = lower = upper = None
                    if r and g != "White" and x > 0 and n["White"] > 0:
                        ratio = (x / r) / (n["White"] / rw)
                        lower, upper = confint_poisson_2indep(x, r, n["White"], rw, method="wald-log", compare="ratio")
                    cells["ratio_to_white"] = fixed(ratio, 2)
                    cells["ratio_ci_lower"] = fixed(None if lower is None else float(lower), 2)
                    cells["ratio_ci_upper"] = fixed(None if upper is None else float(upper), 2)
                    if x > 0:
                        lw, up = proportion_confint(k, x, alpha=0.05, method="wilson")
                        cells["linked_outcome_rate"] = fixed(k / x, 3)
                        cells["linked_ci_lower"] = fixed(float(lw), 3)
                        cells["linked_ci_upper"] = fixed(float(up), 3)
                    else:
                        cells["linked_outcome_rate"] = cells["linked_ci_lower"] = cells["linked_ci_upper"] = "*"
                    stated = total - unknown
                    cells["rate_not_stated_shared"] = fixed(rate * total / stated if r and stated > 0 else None, 2)
                    as_white = None
                    if r and g != "White" and n["White"] + unknown > 0:
                        as_white = (x / r) / ((n["White"] + unknown) / rw)
                    cells["ratio_not_stated_as_white"] = fixed(as_white, 2)
                    cells["linked"] = str(k)
                    out[f"{kind}|{lg}|{basis}|{g}"] = cells
    print(json.dumps({"period": {"from": lo, "to": hi, "available": bool(period["available"])}, "rows": out, "totals": totals}, indent=1))


if __name__ == "__main__":
    main(sys.argv)
