#!/usr/bin/env python3
"""Independent reference for the fixture's Place Survey indicators (NI 17, NI 41, NI 42), from the raw survey file.

Reads `Fixtures/raw/survey/place_survey_2008.csv` with the csv module and applies the indicators' definitions as the
2008 Place Survey states them: strand scores very big problem 3, fairly big 2, not very big 1, not a problem at all 0
(don't know and blank are no answer). NI 17: base = respondents answering all seven strands; high perception when
the total is at least 11. NI 41 (drunk or rowdy) and NI 42 (drugs): base = respondents answering that strand; yes =
very or fairly big problem. Weighted: value = 100 * sum(w of yes) / sum(w of base); respondents whose weight is not a
positive number are left out. Prints JSON {indicator: {"value": one decimal, "base": n}}.

usage: survey_reference.py [SURVEY.csv]
"""
import csv
import json
import math
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCORES = {"very big problem": 3, "fairly big problem": 2, "not a very big problem": 1, "not a problem at all": 0}
STRANDS = ["q_noisy_neighbours", "q_teenagers", "q_rubbish", "q_vandalism", "q_drugs", "q_drunk_rowdy", "q_abandoned_cars"]


def score(text):
    return SCORES.get(" ".join(text.strip().lower().split()))


def main(argv):
    path = argv[0] if argv else os.path.join(REPO, "Fixtures/raw/survey/place_survey_2008.csv")
    sums = {k: [0.0, 0.0, 0] for k in ("NI17", "NI41", "NI42")}  # yes weight, base weight, base n
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            try:
                w = float(row["weight"])
            except ValueError:
                continue
            if not (w > 0 and math.isfinite(w)):
                continue
            s = [score(row[q]) for q in STRANDS]
            if all(x is not None for x in s):
                sums["NI17"][1] += w; sums["NI17"][2] += 1
                if sum(s) >= 11:
                    sums["NI17"][0] += w
            for name, strand in (("NI41", 5), ("NI42", 4)):
                if s[strand] is not None:
                    sums[name][1] += w; sums[name][2] += 1
                    if s[strand] >= 2:
                        sums[name][0] += w
    json.dump({k: {"value": round(100 * y / b, 1), "base": n} for k, (y, b, n) in sums.items()}, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
