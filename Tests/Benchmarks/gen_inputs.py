#!/usr/bin/env python3
"""Deterministic benchmark inputs for the reader benchmark (Tests/Benchmarks/run.sh).

Writes, into OUTDIR:
  crimes.csv  SCALE x 1,000,000 rows shaped like a CMSII crime export (~190 bytes a row, CRLF,
              dd/mm/yyyy HH:MM dates, some quoted fields holding commas, ~50 Central Bedfordshire
              wards, a few blank wards).
  asb.xml     SCALE x ~100 MB anti-social-behaviour export
              (<ASBIncidents><Incident id=".."> ... <Location><Ward>..</Ward> ... </Incident>).
  expected.json  the per-ward counts the generator wrote, for both files (a third opinion).

Self-contained on purpose: `csp-fixtures --scale N` (being written separately) will later
replace the CSV generator; until then this script is the only source of the bench inputs and
must not depend on anything but the Python standard library.

Speed: every column is drawn in bulk with random.choices from precomputed pools of strings and
rows are joined and written in 100,000-row chunks, so 100 MB takes a few seconds.
Same SCALE and seed -> byte-identical files (for a given CPython minor version).
"""
import json
import os
import random
import sys

SEED = 20090401
CSV_ROWS_PER_SCALE = 1_000_000
XML_RECORDS_PER_SCALE = 300_000  # ~333 bytes a record -> ~100 MB
CHUNK = 100_000

# Central Bedfordshire wards (2009-era names; one really does hold a comma).
WARDS = [
    "Ampthill", "Arlesey", "Aspley and Woburn", "Aspley Guise", "Barton-le-Clay",
    "Biggleswade Holme", "Biggleswade Ivel", "Biggleswade Stratton", "Caddington",
    "Cranfield", "Dunstable Central", "Dunstable Icknield", "Dunstable Kingsbury",
    "Dunstable Manshead", "Dunstable Northfields", "Dunstable Watling", "Eaton Bray",
    "Flitwick East", "Flitwick West", "Harlington", "Heath and Reach", "Houghton Hall",
    "Houghton Conquest and Haynes", "Houghton Regis East", "Langford and Henlow Village",
    "Leighton Buzzard North", "Leighton Buzzard South", "Linslade", "Marston",
    "Maulden and Clophill", "Meppershall and Shillington", "Northill and Blunham", "Parkside",
    "Potton", "Sandy Ivel", "Sandy Pinnacle", "Shefford, Campton and Gravenhurst",
    "Silsoe", "Stotfold", "Streatley", "Tithe Farm", "Toddington", "Totternhoe",
    "Westoning, Flitton and Greenfield", "Woburn", "Clifton", "Eversholt", "Hockliffe",
    "Slip End", "Kensworth",
]
BLANK_WARD_SHARE = 0.004  # unknown ward: left blank, as real exports do

OFFENCES = [
    ("028/01", "Burglary in a dwelling"),
    ("030/01", "Burglary in a building other than a dwelling"),
    ("045/00", "Theft from vehicle"),
    ("048/00", "Theft or unauthorised taking of motor vehicle"),
    ("049/00", "Other theft"),
    ("046/00", "Shoplifting"),
    ("058/01", "Criminal damage to a dwelling"),
    ("058/04", "Criminal damage to a vehicle"),
    ("105/01", "Common assault and battery"),
    ("008/01", "Assault occasioning actual bodily harm"),
    ("008/06", "Harassment, alarm or distress"),
    ("066/00", "Public order offences"),
    ("092/00", "Possession of controlled drugs (cannabis)"),
    ("034/00", "Robbery of personal property"),
    ("053/00", "Fraud by false representation, cheque and plastic card"),
]

STREETS = ["High Street", "Church Street", "Station Road", "Dunstable Road", "Bedford Street",
           "London Road", "Mill Lane", "The Green", "Woburn Road", "Hitchin Street",
           "Park Road", "Queensway", "Leighton Road", "Ampthill Road", "Shefford Road"]
TOWNS = ["Dunstable", "Leighton Buzzard", "Biggleswade", "Flitwick", "Ampthill", "Sandy",
         "Houghton Regis", "Shefford", "Stotfold", "Cranfield", "Potton", "Toddington"]
ASB_CATEGORIES = ["Rowdy or nuisance behaviour", "Vehicle nuisance &amp; inappropriate use",
                  "Noise", "Neighbour dispute", "Street drinking", "Littering &amp; drugs paraphernalia",
                  "Hoax call", "Animal problems", "Trespass", "Begging"]


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def date_pool(rng, n, year):
    out = []
    for _ in range(n):
        d, m, hh, mm = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 23), rng.randint(0, 59)
        out.append((f"{d:02d}/{m:02d}/{year} {hh:02d}:{mm:02d}", f"{year}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:00"))
    return out


def ward_weights(rng):
    return [rng.uniform(0.3, 3.0) for _ in WARDS]


def draw_wards(rng, weights, k):
    ws = rng.choices(WARDS, weights=weights, k=k)
    blanks = rng.sample(range(k), int(k * BLANK_WARD_SHARE))
    for i in blanks:
        ws[i] = ""
    return ws


def gen_csv(path, rows, rng):
    header = ("CrimeNo,HOCode,OffenceDescription,CommittedFrom,CommittedTo,RecordedDate,Beat,Ward,"
              "District,Easting,Northing,Address,Domestic,Hate,Alcohol,Distraction,Extracted\r\n")
    weights = ward_weights(rng)
    ward_q = {w: csv_field(w) for w in WARDS}
    ward_q[""] = ""
    offence_q = [(code, csv_field(desc)) for code, desc in OFFENCES]
    dates = [d for d, _ in date_pool(rng, 20_000, 2009)]
    beats = [f"{p}{n:02d}" for p in ("BD", "BL", "BB", "BA") for n in range(1, 40)]
    eastings = [str(x) for x in range(480_000, 525_000, 7)]
    northings = [str(x) for x in range(215_000, 260_000, 7)]
    # About a third quoted ("12 High Street, Sandy"), the rest plain ("12 High Street").
    addresses = [csv_field(f"{n} {s}, {t}") for n in range(1, 100) for s in STREETS for t in TOWNS[:3]][::3]
    addresses += [f"{n} {s}" for n in range(1, 100) for s in STREETS for _ in range(2)]
    flags = ["Y", "N", "N", "N", "N", "N", "N", "N"]
    counts = {}
    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 22) as f:
        f.write(header)
        done = 0
        while done < rows:
            k = min(CHUNK, rows - done)
            ward = draw_wards(rng, weights, k)
            for w in ward:
                counts[w] = counts.get(w, 0) + 1
            off = rng.choices(offence_q, k=k)
            c1, c2, c3, c4 = (rng.choices(dates, k=k) for _ in range(4))
            beat = rng.choices(beats, k=k)
            e, n = rng.choices(eastings, k=k), rng.choices(northings, k=k)
            addr = rng.choices(addresses, k=k)
            f1, f2, f3, f4 = (rng.choices(flags, k=k) for _ in range(4))
            lines = [
                f"CR/{done + i + 1:07d}/09,{off[i][0]},{off[i][1]},{c1[i]},{c2[i]},{c3[i]},{beat[i]},"
                f"{ward_q[ward[i]]},C Beds,{e[i]},{n[i]},{addr[i]},{f1[i]},{f2[i]},{f3[i]},{f4[i]},{c4[i]}\r\n"
                for i in range(k)
            ]
            f.write("".join(lines))
            done += k
    return counts


def gen_xml(path, records, rng):
    weights = ward_weights(rng)
    ward_x = {w: w for w in WARDS}  # no markup characters in ward names
    dates = [x for _, x in date_pool(rng, 20_000, 2009)]
    beats = [f"{p}{n:02d}" for p in ("BD", "BL", "BB", "BA") for n in range(1, 40)]
    eastings = [str(x) for x in range(480_000, 525_000, 7)]
    northings = [str(x) for x in range(215_000, 260_000, 7)]
    yn = ["Y", "N", "N", "N"]
    counts = {}
    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 22) as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<ASBIncidents exported="2009-12-31T23:59:00" force="Bedfordshire">\n')
        done = 0
        while done < records:
            k = min(CHUNK, records - done)
            ward = draw_wards(rng, weights, k)
            for w in ward:
                counts[w] = counts.get(w, 0) + 1
            op = rng.choices(dates, k=k)
            cat = rng.choices(ASB_CATEGORIES, k=k)
            beat = rng.choices(beats, k=k)
            e, n = rng.choices(eastings, k=k), rng.choices(northings, k=k)
            rc = rng.choices(yn, k=k)
            parts = []
            for i in range(k):
                no = done + i + 1
                w = ward[i]
                wel = f"<Ward>{ward_x[w]}</Ward>" if w else "<Ward/>"
                parts.append(
                    f'  <Incident id="ASB-{no:08d}">\n    <IncidentNumber>ASB/2009/{no:08d}</IncidentNumber>\n'
                    f"    <Opened>{op[i]}</Opened>\n    <Category>{cat[i]}</Category>\n"
                    f"    <Location><Beat>{beat[i]}</Beat>{wel}<Easting>{e[i]}</Easting><Northing>{n[i]}</Northing></Location>\n"
                    f"    <RepeatCaller>{rc[i]}</RepeatCaller>\n  </Incident>\n")
            f.write("".join(parts))
            done += k
        f.write("</ASBIncidents>\n")
    return counts


def main():
    if len(sys.argv) != 3:
        print("usage: gen_inputs.py SCALE OUTDIR", file=sys.stderr)
        sys.exit(64)
    scale, outdir = float(sys.argv[1]), sys.argv[2]
    if scale <= 0:
        sys.exit("SCALE is in millions of rows, > 0")
    os.makedirs(outdir, exist_ok=True)
    csv_counts = gen_csv(os.path.join(outdir, "crimes.csv"), round(scale * CSV_ROWS_PER_SCALE), random.Random(SEED))
    xml_counts = gen_xml(os.path.join(outdir, "asb.xml"), round(scale * XML_RECORDS_PER_SCALE), random.Random(SEED + 1))
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump({"scale": scale, "seed": SEED, "csv": csv_counts, "xml": xml_counts}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
