#!/usr/bin/env python3
"""Independent reference for the LSOA vintages of the placed crimes of street files of both vintages.

For each street file given, counts the crimes (rows whose `Crime type` is not "Anti-social behaviour"; exact repeats of
a Crime ID, same type, place and outcome, counted once) that lie in Central Bedfordshire (Point(lon, lat) in a WD25
ward, shapely, WGS84), by the vintage of their `LSOA code` in the ONS LSOA11 -> LSOA21 lookup: "2011" (a 2011 code
only), "2021" (a 2021 code only), "2011=2021" (a code of both: unchanged), "" (neither). Prints JSON
{"YYYY-MM": {vintage: count}}.

usage: lsoa_vintage_reference.py REALDATA STREET.csv...
"""
import csv
import json
import os
import sys

from shapely.geometry import Point, shape
from shapely.ops import unary_union
from shapely.prepared import prep


def main(argv):
    realdata, files = argv[0], argv[1:]
    with open(os.path.join(realdata, "national/lookups/LSOA11_to_LSOA21_to_LAD22_EW.csv"), encoding="windows-1252", newline="") as f:
        rows = list(csv.DictReader(f))
    old, new = {r["LSOA11CD"] for r in rows}, {r["LSOA21CD"] for r in rows}
    with open(os.path.join(realdata, "ons-boundaries/ward_WD25_E06000056_central_bedfordshire.geojson"), encoding="utf-8") as f:
        area = prep(unary_union([shape(ft["geometry"]) for ft in json.load(f)["features"]]))
    out = {}
    for path in files:
        seen = set()
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                if r["Crime type"].strip() == "Anti-social behaviour":
                    continue
                key = (r["Crime ID"], r["Crime type"], r["Longitude"], r["Latitude"], r["LSOA code"], r["Last outcome category"])
                if r["Crime ID"].strip():
                    if key in seen:
                        continue
                    seen.add(key)
                lon, lat = r["Longitude"].strip(), r["Latitude"].strip()
                if not lon or not area.contains(Point(float(lon), float(lat))):
                    continue
                code = r["LSOA code"].strip().upper()
                vintage = "2011=2021" if code in old and code in new else "2011" if code in old else "2021" if code in new else ""
                month = r["Month"].strip()
                out.setdefault(month, {})
                out[month][vintage] = out[month].get(vintage, 0) + 1
    json.dump(out, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
