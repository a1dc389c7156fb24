#!/usr/bin/env python3
"""Cross-check of the real pipeline's denominators: Census 2021 usual residents (what csp uses) against the IoD2019
mid-2015 population, both summed to the May 2025 wards of a council, independently of csp.

IoD2019 figures are per LSOA11 and are carried to LSOA21 through the ONS LSOA11 -> LSOA21 lookup (Windows-1252,
change type CHGIND): U (unchanged) exact; M (merged) summed into the new LSOA; S (split) divided among the children
in proportion to their Census 2021 residents; X (irregular) divided the same way as S over every LSOA21 the LSOA11
maps to. LSOA21 -> WD25 by the ONS best-fit lookup. Prints each ward's two figures, their ratio and the totals.

    python3 Tests/Reference/population_crosscheck.py [REALDATA] [LAD25CD]
    (defaults: ../shared/realdata, E06000056 Central Bedfordshire)
"""

import csv
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(HERE, "../../../shared/realdata"))
LAD = sys.argv[2] if len(sys.argv) > 2 else "E06000056"


def rows(path, encoding="utf-8-sig"):
    with open(path, newline="", encoding=encoding) as f:
        yield from csv.DictReader(f)


census = {r["LSOA21CD"]: int(r["usual_residents"]) for r in rows(os.path.join(REAL, "national/lookups/census2021_lsoa21_usual_residents.csv"))}
iod = {r["LSOA code (2011)"]: int(r["Total population: mid 2015 (excluding prisoners)"].replace(",", ""))
       for r in rows(os.path.join(REAL, "imd2019/File_6_-_IoD2019_Population_Denominators.csv"))}
children = defaultdict(list)
for r in rows(os.path.join(REAL, "national/lookups/LSOA11_to_LSOA21_to_LAD22_EW.csv"), encoding="cp1252"):
    children[r["LSOA11CD"]].append(r["LSOA21CD"])
iod21 = defaultdict(float)
for old, new in children.items():
    if old not in iod:
        continue
    weights = [census.get(c, 0) for c in new]
    total = sum(weights) or len(new)
    for c, w in zip(new, weights):
        iod21[c] += iod[old] * (w if sum(weights) else 1) / total
ward_of, ward_name = {}, {}
for r in rows(os.path.join(REAL, "national/lookups/LSOA21_to_WD25_to_LAD25_best_fit_EW.csv")):
    if r["LAD25CD"] == LAD:
        ward_of[r["LSOA21CD"]] = r["WD25CD"]
        ward_name[r["WD25CD"]] = r["WD25NM"]
c_ward, i_ward = defaultdict(int), defaultdict(float)
for lsoa, ward in ward_of.items():
    c_ward[ward] += census.get(lsoa, 0)
    i_ward[ward] += iod21.get(lsoa, 0.0)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["ward_code", "ward", "census2021", "iod2019_mid2015", "ratio"])
for w in sorted(c_ward, key=lambda w: ward_name[w]):
    out.writerow([w, ward_name[w], c_ward[w], "%.0f" % i_ward[w], "%.3f" % (c_ward[w] / i_ward[w]) if i_ward[w] else "nan"])
ct, it = sum(c_ward.values()), sum(i_ward.values())
ratios = sorted(c_ward[w] / i_ward[w] for w in c_ward if i_ward[w])
print("# %d LSOA21, %d wards; Census 2021 %d, IoD2019 mid-2015 %.0f (ratio %.3f); ward ratios %.3f to %.3f, median %.3f"
      % (len(ward_of), len(c_ward), ct, it, ct / it, ratios[0], ratios[-1], ratios[len(ratios) // 2]), file=sys.stderr)
