#!/usr/bin/env python3
"""Independent per-ward counts of the London Fire Brigade sample, for LFBMappingTests.

Reads the LFB incident CSV itself (csv module, not csp), takes each incident's exact point (Easting_m/Northing_m)
where it has one and the point rounded to 50 m (Easting_rounded/Northing_rounded) otherwise, converts it from
British National Grid to WGS84 with pyproj (EPSG:27700 -> EPSG:4326, PROJ's own transformation) and places it in
the May 2025 wards of the London councils (the E09*.geojson files, CRS84) with shapely. Prints JSON:
{"wards": {WD25CD: count}, "no_ward": n, "records": n, "exact": n, "rounded": n, "lfb_agrees": n}, where lfb_agrees
counts incidents whose IncGeo_WardCode is the ward their point is in.

Usage: lfb_wards_reference.py INCIDENTS.csv WARD_DIR
"""
import csv, glob, json, os, sys

from pyproj import Transformer
from shapely.geometry import Point, shape
from shapely.strtree import STRtree


def main():
    incidents, ward_dir = sys.argv[1], sys.argv[2]
    geoms, codes = [], []
    for path in sorted(glob.glob(os.path.join(ward_dir, "E09*.geojson"))):
        with open(path, encoding="utf-8") as f:
            for feat in json.load(f)["features"]:
                geoms.append(shape(feat["geometry"]))
                codes.append(feat["properties"]["WD25CD"])
    tree = STRtree(geoms)
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    wards, no_ward, records, exact, rounded, agrees = {}, 0, 0, 0, 0, 0
    with open(incidents, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            records += 1
            if row["Easting_m"].strip() and row["Northing_m"].strip():
                e, n = float(row["Easting_m"]), float(row["Northing_m"])
                exact += 1
            else:
                e, n = float(row["Easting_rounded"]), float(row["Northing_rounded"])
                rounded += 1
            lon, lat = to_wgs84.transform(e, n)
            p = Point(lon, lat)
            hit = None
            for i in tree.query(p):
                if geoms[i].covers(p):
                    hit = codes[i]
                    break
            if hit is None:
                no_ward += 1
                continue
            wards[hit] = wards.get(hit, 0) + 1
            if row["IncGeo_WardCode"].strip().upper() == hit:
                agrees += 1
    json.dump({"wards": wards, "no_ward": no_ward, "records": records, "exact": exact, "rounded": rounded, "lfb_agrees": agrees}, sys.stdout)


if __name__ == "__main__":
    main()
