"""Expected values of AssessOutcomesTests, computed independently of the Swift code.

Loads Fixtures/tests/assess-outcomes/warehouse.sql into an in-memory SQLite, reads the raw rows with plain SELECTs
and does every count in Python: latest outcome per crime (latest month up to the period's end; ties by the
precedence of Pipelines/reference/outcome-groups.csv, then the later row), shares, stop-search breakdowns, monthly
series and the rate per 1,000 residents. Prints the Swift literals pasted into the test.
Run: python3 Tests/Reference/outcomes_reference.py
"""
import csv, os, sqlite3
from collections import Counter, defaultdict

root = os.path.join(os.path.dirname(__file__), "..", "..")
db = sqlite3.connect(":memory:")
db.executescript(open(os.path.join(root, "Fixtures/tests/assess-outcomes/warehouse.sql")).read())
FROM, TO = "2023-05", "2024-04"

mapping = {}
groups = []
for r in csv.DictReader(open(os.path.join(root, "Pipelines/reference/outcome-groups.csv"))):
    mapping[r["outcome"]] = (r["group_id"], int(r["precedence"]))
    if r["group_id"] not in groups:
        groups.append(r["group_id"])
for g in ("other", "no_outcome_yet"):
    if g not in groups:
        groups.append(g)

outcomes = defaultdict(list)  # crime_ref -> [(month, id, text)]
for oid, ref, month, text in db.execute("SELECT id, crime_ref, month, outcome_type FROM outcomes"):
    outcomes[ref].append((month, oid, text))

themes = {"violence": {"Violence"}, "burglary": {"Burglary"}, "theft": {"Theft"}, "acquisitive": {"Burglary", "Theft"}}
counts = {t: Counter() for t in themes}
for ref, month, group in db.execute("SELECT crime_ref, month, offence_group FROM crimes"):
    if not (FROM <= month <= TO):
        continue
    cands = [o for o in outcomes.get(ref, []) if ref is not None and o[0] <= TO]
    if cands:
        last = max(o[0] for o in cands)
        same = [o for o in cands if o[0] == last]
        best = min(same, key=lambda o: (mapping.get(o[2], (None, 10**9))[1], -o[1]))
        g = mapping.get(best[2], ("other", 0))[0]
    else:
        g = "no_outcome_yet"
    for t, offences in themes.items():
        if group in offences:
            counts[t][g] += 1

print("// outcome groups:", groups)
for t in themes:
    total = sum(counts[t].values())
    print(f'"{t}": ({total}, [' + ", ".join(str(counts[t][g]) for g in groups) + "]),",
          "shares:", [round(100 * counts[t][g] / total, 1) for g in groups])

# Stop and search.
rows = list(db.execute("SELECT month, object_of_search, outcome, outcome_linked, age_range, sex, self_defined_ethnicity FROM stop_searches"))
period = [r for r in rows if FROM <= r[0] <= TO]
print("searches in period:", len(period))
pop = sum(p for (p,) in db.execute("SELECT population FROM population WHERE layer = 'ward'"))
print("rate per 1000:", round(1000 * len(period) / pop, 2))
names = ["object_of_search", "outcome", "outcome_linked", "age_range", "sex", "self_defined_ethnicity"]
for i, name in enumerate(names):
    c = Counter(("" if r[i + 1] is None else str(r[i + 1])) for r in period)
    print(name, dict(sorted(c.items())))
linked = sum(1 for r in period if r[3] == 1)
print("linked share:", round(100 * linked / len(period), 1))
monthly = Counter(r[0] for r in rows)
print("months:", [monthly[m] for m in sorted(monthly)], "first", min(monthly), "last", max(monthly))
