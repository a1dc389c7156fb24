#!/usr/bin/env python3
"""Census 2021 usual residents of every May 2025 ward, council and City of London, computed without csp.

The national pipeline gives each LSOA21's residents whole to its best-fit ward (ONS LSOA21 -> WD25 best-fit lookup:
the ward holding the LSOA's population-weighted centroid). This script does the same from the raw files only:

- the wards: every feature of `national/ward-wd25/*.geojson` (WD25CD, LAD25CD), read with the json module;
- the lookup: `national/lookups/LSOA21_to_WD25_to_LAD25_best_fit_EW.csv` (LSOA21CD -> WD25CD);
- the residents: `national/lookups/census2021_lsoa21_usual_residents.csv` (LSOA21CD, usual_residents).

It prints the Swift literals of Tests/CSPGeocodeTests/WardResidentsTests.swift:
- `withoutResidents`: every ward left without a resident figure or with 0 by the method, with its reason:
  `best-fit-none` (no LSOA21 of the lookup has it as best fit: no LSOA21's population-weighted centroid lies in it)
  or `best-fit-incomplete` (some of its LSOA21 have no row in the residents file);
- `councils`: each council's residents, the sum of the LSOA21 whose LAD25CD in the lookup is that council;
- the national total and the City of London's (E09000001) residents.

    python3 Tests/Reference/ward_residents_reference.py [REALDATA]

REALDATA defaults to ../shared/realdata from the repository root. Python 3.11, standard library only.
"""

import csv
import glob
import json
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "../.."))


def main():
    realdata = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(REPO, "../shared/realdata"))
    national = os.path.join(realdata, "national")
    wards = {}
    for path in sorted(glob.glob(os.path.join(national, "ward-wd25", "*.geojson"))):
        with open(path, encoding="utf-8") as f:
            for feat in json.load(f)["features"]:
                p = feat["properties"]
                wards.setdefault(p["WD25CD"], (p["WD25NM"], p["LAD25CD"]))
    with open(os.path.join(national, "lookups", "census2021_lsoa21_usual_residents.csv"), encoding="utf-8-sig") as f:
        residents = {r["LSOA21CD"]: int(r["usual_residents"]) for r in csv.DictReader(f)}
    with open(os.path.join(national, "lookups", "LSOA21_to_WD25_to_LAD25_best_fit_EW.csv"), encoding="utf-8-sig") as f:
        lookup = list(csv.DictReader(f))

    lsoas = defaultdict(list)
    council = Counter()
    for r in lookup:
        lsoas[r["WD25CD"]].append(r["LSOA21CD"])
        council[r["LAD25CD"]] += residents.get(r["LSOA21CD"], 0)
    without = []
    for code in sorted(wards):
        name, lad = wards[code]
        if not lsoas[code]:
            without.append((code, lad, name, "best-fit-none"))
        elif any(l not in residents for l in lsoas[code]):
            without.append((code, lad, name, "best-fit-incomplete"))

    print(f"// {len(wards)} ward codes; {len(without)} without residents; {len(residents)} LSOA21, {sum(residents.values())} residents")
    print("/// Every ward without residents by the method, in code order: code, council (LAD25CD), name, method (the reason).")
    print("static let withoutResidents: [(code: String, council: String, name: String, method: String)] = [")
    for w in without:
        print("    (" + ", ".join(json.dumps(x, ensure_ascii=False) for x in w) + "),")
    print("]")
    print("/// Residents of England and Wales: every LSOA21 of the residents file.")
    print(f"static let total = {sum(residents.values())}")
    city = sum(residents[r["LSOA21CD"]] for r in lookup if r["LAD25CD"] == "E09000001")
    print("/// Residents of the City of London (council E09000001, CSP E22000180).")
    print(f"static let cityOfLondon = {city}  // {sum(1 for r in lookup if r['LAD25CD'] == 'E09000001')} LSOA21 whose LAD25CD is E09000001")
    print("/// Residents of each council (LAD25CD): the sum of its LSOA21 by the lookup's LAD25CD.")
    print("static let councils: [String: Int] = [")
    items = [f'"{c}": {council[c]}' for c in sorted(council)]
    for i in range(0, len(items), 6):
        print("    " + ", ".join(items[i:i + 6]) + ",")
    print("]")


if __name__ == "__main__":
    main()
