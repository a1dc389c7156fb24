#!/usr/bin/env python3
"""Independent check of stage 3's point method on the real data.police.uk street files.

Reads the street CSVs given on the command line, keeps the rows with a longitude and latitude, and puts each
point in a ward of the WD25 ward GeoJSON with shapely: Point(lon, lat) within the polygon, in plain WGS84
degrees (no projection, no datum shift). Prints JSON on stdout:

  {"wards": {WD25CD: count}, "points": n, "outside": n,
   "records": {"<file basename>|<line>": WD25CD}, "near": {"<file basename>|<line>": metres}}

`records` holds every point placed in a ward; `near` every point (in a ward or not) less than NEAR metres from a
ward boundary (metres approximated from degrees at the point's latitude). `line` is the physical line number of
the row (header = line 1), which is what the pipeline's `source_record` holds for these files.

usage: ward_counts.py WARDS.geojson STREET.csv... [--near METRES]
exit 3 when shapely cannot be imported (the caller skips with a message naming `pip install shapely`).
"""
import csv
import json
import math
import os
import sys

try:
    from shapely.geometry import Point, shape
    from shapely.strtree import STRtree
except ImportError as e:  # pragma: no cover
    print(f"shapely is not importable ({e}): pip install shapely", file=sys.stderr)
    sys.exit(3)


def main(argv):
    near_m = 5.0
    if "--near" in argv:
        i = argv.index("--near")
        near_m = float(argv[i + 1])
        del argv[i:i + 2]
    wards_path, files = argv[0], argv[1:]
    with open(wards_path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    polys = [shape(ft["geometry"]) for ft in features]
    codes = [ft["properties"]["WD25CD"] for ft in features]
    boundaries = [p.boundary for p in polys]
    tree = STRtree(polys)

    counts = {c: 0 for c in codes}
    records, near = {}, {}
    points = outside = 0
    for path in files:
        base = os.path.basename(path)
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            for row in reader:
                lon, lat = (row.get("Longitude") or "").strip(), (row.get("Latitude") or "").strip()
                if not lon or not lat:
                    continue
                try:
                    x, y = float(lon), float(lat)
                except ValueError:
                    continue
                points += 1
                key = f"{base}|{reader.line_num}"
                p = Point(x, y)
                hit = None
                for i in tree.query(p):
                    if polys[i].contains(p):  # strictly inside: a point on an edge is in no ward
                        hit = int(i)
                        break
                if hit is None:
                    outside += 1
                else:
                    counts[codes[hit]] += 1
                    records[key] = codes[hit]
                # Distance to the nearest ward boundary, degrees → metres at this latitude.
                kx, ky = 111_320.0 * math.cos(math.radians(y)), 110_574.0
                for i in tree.query(p.buffer(near_m / ky * 2)):
                    b = boundaries[i]
                    q = b.interpolate(b.project(p))
                    d = math.hypot((q.x - x) * kx, (q.y - y) * ky)
                    if d < near_m:
                        near[key] = round(min(d, near.get(key, d)), 3)
    json.dump({"wards": counts, "points": points, "outside": outside, "records": records, "near": near}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
