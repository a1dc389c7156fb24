#!/usr/bin/env python3
"""Independent reference for the fixture's SNT populations: each 2009 ward's population (the ward population
reference file) shared among the SNT areas by the exact share of the ward's area inside each (shapely, British
National Grid metres). Prints JSON {SNT code: people (not rounded)} and "total".

usage: snt_population_reference.py [FIXTURES_DIR]
"""
import csv
import json
import os
import sys

from shapely.geometry import shape
from shapely.validation import make_valid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def features(path, code):
    with open(path, encoding="utf-8") as f:
        return {ft["properties"][code]: make_valid(shape(ft["geometry"])) for ft in json.load(f)["features"]}


def main(argv):
    fixtures = argv[0] if argv else os.path.join(REPO, "Fixtures")
    wards = features(os.path.join(fixtures, "boundaries/wards-2009.geojson"), "code")
    snts = features(os.path.join(fixtures, "boundaries/snt-areas.geojson"), "code")
    with open(os.path.join(fixtures, "raw/reference/ward_population.csv"), encoding="utf-8", newline="") as f:
        population = {r["ward_code"]: float(r["population"]) for r in csv.DictReader(f)}
    out = {code: sum(p * wards[w].intersection(area).area / wards[w].area for w, p in population.items() if w in wards)
           for code, area in sorted(snts.items())}
    out["total"] = sum(out.values())
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
