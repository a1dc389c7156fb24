#!/usr/bin/env python3
"""Independent check of the national run's ward placement (issue 15), computed without csp.

For every row that `04-normalised/crimes.csv` and `asb_incidents.csv` of a national run publish, this script goes back
to the raw data.police.uk line its lineage names (source_file, source_record), places the line's longitude/latitude
in the May 2025 wards itself (shapely STRtree over the 318 ward files, in CRS84 longitude/latitude: csp works in
British National Grid metres, so the two can differ only for points within centimetres of a ward edge) and compares:

- per ward: csp's count of point-placed rows against this script's count (written to --out as
  `ward_code,csp,reference`), and row by row;
- point against LSOA: the share of point-placed rows whose published LSOA's best-fit ward
  (LSOA21_to_WD25_to_LAD25_best_fit_EW.csv) is another ward: the disagreement rate of the issue;
- old districts: for every row csp placed in a CSP by `old-district`, the CSP by another path than csp's (csp reads
  the 2011 LSOA's name): the LSOA21's 2011 LSOAs (by code) -> their 2019 district (LSOA11_to_WD19_to_LAD19) -> the
  2019 CSP lookup where the district has one CSP, else (BCP, formed in April 2019) the 2018 district of the 2011
  LSOA's name and the 2018 lookup.

    python3 Tests/Reference/national_wards_reference.py Output/police-uk-england-wales/latest [--realdata ../shared/realdata] [--out wards.csv]

With `--literals FILE COUNCILS` instead of a run folder, it prints the Swift literal of
Tests/CSPGeocodeTests/NationalWardsReferenceTests.swift: the wards of the councils COUNCILS (comma-separated LAD25
codes) that hold the points of every row of the street file FILE (under national/police-uk/), with their counts.

Exit status 1 when any row's ward differs from csp's. Run with shapely 2.2.0 (Python 3.11).
"""

import argparse
import csv
import glob
import json
import os
import sys
from collections import Counter

import shapely
from shapely.geometry import shape

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "../.."))


def load_wards(folder):
    codes, geoms = [], []
    for path in sorted(glob.glob(os.path.join(folder, "*.geojson"))):
        with open(path, encoding="utf-8") as f:
            for feat in json.load(f)["features"]:
                codes.append(feat["properties"]["WD25CD"])
                geoms.append(shape(feat["geometry"]))
    return codes, geoms, shapely.STRtree(geoms)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run", nargs="?", help="a national run folder (holds 04-normalised/)")
    ap.add_argument("--literals", nargs=2, metavar=("FILE", "COUNCILS"))
    ap.add_argument("--realdata", default=os.path.normpath(os.path.join(REPO, "../shared/realdata")))
    ap.add_argument("--pipeline-dir", default=os.path.join(REPO, "Pipelines"), help="the folder source_file is relative to")
    ap.add_argument("--out", default=None, help="write ward_code,csp,reference here")
    args = ap.parse_args()

    codes, geoms, tree = load_wards(os.path.join(args.realdata, "national/ward-wd25"))
    if args.literals:
        literals(args, codes, tree)
        return
    def table(path, encoding="utf-8-sig"):
        with open(path, encoding=encoding) as f:
            yield from csv.DictReader(f)

    best_fit = {r["LSOA21CD"]: r["WD25CD"] for r in table(os.path.join(args.realdata, "national/lookups/LSOA21_to_WD25_to_LAD25_best_fit_EW.csv"))}

    # LSOA21 -> CSP of its 2011 LSOAs' 2019 (else 2018) district, by codes only.
    ons = os.path.join(args.realdata, "ons-lookups")
    lad19_of, lsoa11_name = {}, {}
    for r in table(os.path.join(ons, "LSOA11_to_WD19_to_LAD19_lookup_EW.csv")):
        lad19_of[r["LSOA11CD"]] = r["LAD19CD"]
        lsoa11_name[r["LSOA11CD"]] = r["LSOA11NM"]
    csps19 = {}
    for r in table(os.path.join(ons, "LAD19_to_CSP19_to_PFA19_lookup_EW.csv")):
        csps19.setdefault(r["LAD19CD"], set()).add(r["CSP19CD"])
    lsoa11_of = {}
    for r in table(os.path.join(args.realdata, "national/lookups/LSOA11_to_LSOA21_to_LAD22_EW.csv"), encoding="cp1252"):
        lsoa11_of.setdefault(r["LSOA21CD"], []).append(r["LSOA11CD"])
    # BCP (E06000058) already replaced its districts in the 2019 lookup, with three CSPs: there the 2011 LSOA's name
    # in the 2019 lookup names its 2018 district (Bournemouth, Christchurch, Poole), whose CSP the 2018 lookup gives.
    bcp18 = {r["LAD18NM"]: r["CSP18CD"] for r in table(os.path.join(ons, "LAD18_to_CSP18_to_PFA18_lookup_EW.csv"))}

    def district_csp(lsoa21):
        votes = Counter()
        for l11 in lsoa11_of.get(lsoa21, []):
            c = csps19.get(lad19_of.get(l11, ""), set())
            if len(c) == 1:
                votes[next(iter(c))] += 1
            elif l11 in lsoa11_name:  # BCP: the 2018 district named by the 2019 lookup's own 2011 LSOA name
                votes[bcp18.get(lsoa11_name[l11].rsplit(" ", 1)[0], "")] += 1
        return votes.most_common(1)[0][0] if votes else ""

    old_checked = old_disagree = 0
    raw_cache = {}

    def raw_line(source_file, line):
        if source_file not in raw_cache:
            with open(os.path.join(args.pipeline_dir, source_file), encoding="utf-8", newline="") as f:
                raw_cache.clear()
                raw_cache[source_file] = f.read().splitlines()
        text = raw_cache[source_file][line - 1]
        return next(csv.reader([text]))

    csp_counts, ref_counts = Counter(), Counter()
    rows = point_rows = row_mismatch = lsoa_checked = lsoa_disagree = on_edge = 0
    examples = []
    for dataset in ("crimes", "asb_incidents"):
        path = os.path.join(args.run, "04-normalised", dataset + ".csv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            rdr = csv.DictReader(f)
            published = sorted(rdr, key=lambda r: (r["source_file"], int(r["source_record"])))
        for r in published:
            rows += 1
            if r["csp_method"] == "old-district":
                old_checked += 1
                if district_csp(r["lsoa_code"]) != r["csp_code"]:
                    old_disagree += 1
            if r["geocode_method"] != "point":
                continue
            point_rows += 1
            raw = raw_line(r["source_file"], int(r["source_record"]))
            lon, lat = float(raw[4]), float(raw[5])  # street header: Longitude, Latitude are columns 5 and 6
            pt = shapely.Point(lon, lat)
            hits = [codes[i] for i in tree.query(pt, predicate="intersects")]
            # A point on an edge shared by two wards lies in both: any of them is right (csp's rule picks one).
            if len(hits) > 1:
                on_edge += 1
            ref = r["ward_code"] if r["ward_code"] in hits else (sorted(hits)[0] if hits else "")
            csp_counts[r["ward_code"]] += 1
            ref_counts[ref] += 1
            if ref != r["ward_code"]:
                row_mismatch += 1
                if len(examples) < 10:
                    examples.append((r["source_file"], r["source_record"], lon, lat, r["ward_code"], hits))
            lsoa = raw[7]
            if lsoa in best_fit:
                lsoa_checked += 1
                if best_fit[lsoa] != r["ward_code"]:
                    lsoa_disagree += 1

    wards = sorted(set(csp_counts) | set(ref_counts))
    differ = [w for w in wards if csp_counts[w] != ref_counts[w]]
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["ward_code", "csp", "reference"])
            for ward in wards:
                w.writerow([ward, csp_counts[ward], ref_counts[ward]])
    print(f"published rows: {rows}; placed by point: {point_rows}; wards with records: {len(wards)}")
    print(f"rows whose ward differs from the reference's: {row_mismatch}; wards whose counts differ: {len(differ)};"
          f" points on an edge two wards share: {on_edge}")
    for e in examples:
        print("  differs:", e)
    rate = lsoa_disagree / lsoa_checked if lsoa_checked else 0.0
    print(f"point vs published LSOA's best-fit ward: {lsoa_disagree} of {lsoa_checked} point-placed rows disagree ({100 * rate:.2f}%)")
    print(f"old-district CSPs: {old_disagree} of {old_checked} rows differ from the CSP of the LSOA's 2019/2018 district")
    sys.exit(1 if row_mismatch or old_disagree else 0)


def literals(args, codes, tree):
    name, councils = args.literals[0], args.literals[1].split(",")
    prefix = {}
    for c in councils:
        with open(os.path.join(args.realdata, "national/ward-wd25", c + ".geojson"), encoding="utf-8") as f:
            for feat in json.load(f)["features"]:
                prefix[feat["properties"]["WD25CD"]] = c
    counts = Counter()
    rows = 0
    with open(os.path.join(args.realdata, "national/police-uk", name[:7], name), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not r["Longitude"] or not r["Latitude"]:
                continue
            rows += 1
            hits = sorted(codes[i] for i in tree.query(shapely.Point(float(r["Longitude"]), float(r["Latitude"])), predicate="intersects"))
            if hits and hits[0] in prefix:
                counts[hits[0]] += 1
    print(f"// {name}: {rows} rows with a point; {sum(counts.values())} in {len(counts)} wards of {', '.join(councils)}")
    print("[" + ", ".join(f'"{k}": {v}' for k, v in sorted(counts.items())) + "]")


if __name__ == "__main__":
    main()
