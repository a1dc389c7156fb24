"""Crime ID collisions in the shared data.police.uk archives, counted independently of the Swift code.

Reads the raw street CSVs of each archive (every YYYY-MM/*-street.csv of a run) with Python's csv module and groups
the rows that have a Crime ID by it. A Crime ID collides when its rows differ in any of Longitude, Latitude, Location,
LSOA code, Crime type or Last outcome category (values as published, surrounding spaces removed). Rows equal in all
six are one record published twice: a duplicate. For each archive it prints:
  rows            street rows read
  keyed           rows with a Crime ID
  ids             Crime IDs that collide
  records         rows kept and flagged crime_ref_collision: the distinct records (six values) of those IDs
  pairs           pairs of distinct records sharing a Crime ID (k records give k(k-1)/2)
  duplicates      keyed rows minus distinct (Crime ID, six values): the rows csp drops as duplicates
  cross_month     Crime IDs found in more than one month (0 in all three: there, csp's rule, under which a later
                  month's row with the same type and place is a re-publication, counts the same as this one)
and the Swift literal of CleanCollisionCountTests.
Run: python3 Tests/Reference/crime_id_collisions_reference.py [REALDATA]   (default ../shared/realdata)
"""
import csv, glob, os, sys
from collections import defaultdict

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
realdata = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "realdata")
ARCHIVES = [
    ("bedfordshire", "police-uk-archive"),
    ("city-of-london", "police-uk-city-of-london"),
    ("national-2024-01", "national/police-uk"),
]
FIELDS = ["Longitude", "Latitude", "Location", "LSOA code", "Crime type", "Last outcome category"]


def count(folder):
    by_id = defaultdict(list)  # Crime ID -> [(month, details)]
    rows = keyed = 0
    for path in sorted(glob.glob(os.path.join(realdata, folder, "[0-9]" * 4 + "-[0-9][0-9]", "*-street.csv"))):
        with open(path, newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                rows += 1
                cid = r["Crime ID"].strip()
                if not cid:
                    continue
                keyed += 1
                by_id[cid].append((r["Month"].strip(), tuple(r[k].strip() for k in FIELDS)))
    ids = records = pairs = distinct_all = cross = 0
    for group in by_id.values():
        distinct = {d for _, d in group}
        distinct_all += len(distinct)
        if len({m for m, _ in group}) > 1:
            cross += 1
        if len(distinct) > 1:
            ids += 1
            records += len(distinct)
            pairs += len(distinct) * (len(distinct) - 1) // 2
    return dict(rows=rows, keyed=keyed, ids=ids, records=records, pairs=pairs, duplicates=keyed - distinct_all, cross_month=cross)


results = [(name, folder, count(folder)) for name, folder in ARCHIVES]
for name, folder, c in results:
    print(name, folder, " ".join(f"{k}={v}" for k, v in c.items()))
print()
for name, folder, c in results:
    print(f'        ("{folder}", {c["rows"]}, {c["ids"]}, {c["records"]}, {c["pairs"]}, {c["duplicates"]}),')
