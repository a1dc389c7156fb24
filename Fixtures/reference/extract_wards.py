#!/usr/bin/env python3
"""Derive the small ward reference lists the fixture generator reads.

Reads the real ONS lookups (LSOA 2001 -> ward 2008 and ward 2009, OGL v3) and writes:
  wards-2008.csv          ward_code,ward_name,district_code,district_name   (49 Mid/South Beds wards, 09UC/09UE)
  wards-2009.csv          ward_code,ward_name                               (28 Central Bedfordshire wards, 00KC)
  lsoa01-wards.csv        lsoa01_code,wd08_code,wd09_code,lsoa01_name       (the 154 Central Bedfordshire LSOAs)
  out-of-area-wards.csv   ward_code,ward_name,district_code,district_name,vintage,easting,northing
                          (a few real Bedford and Luton wards, for out-of-area records)
  ward-centres.csv        ward_code,town,easting,northing,radius_m          (INVENTED approximate centres)
and ../../Pipelines/reference/ward-aliases.csv (alias,ward_code,vintage): every spelling
variant the generator plants, derived by the rules in `aliases()` below.

Usage: python3 Fixtures/reference/extract_wards.py [REALDATA_ONS_LOOKUPS_DIR]
(default /work/shared/realdata/ons-lookups). Deterministic: same input, same bytes.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/realdata/ons-lookups"
PIPE_REF = os.path.join(HERE, "..", "..", "Pipelines", "reference")

DISTRICTS = {"09UC": "Mid Bedfordshire", "09UE": "South Bedfordshire",
             "09UD": "Bedford", "00KB": "Bedford", "00KA": "Luton", "00KC": "Central Bedfordshire"}

# Invented approximate ward centres (OSGB36 easting/northing, metres) and the town each
# 2008 ward belongs to. Not surveyed: good enough to put points near the right town.
CENTRES = {
    "09UCGH": ("Ampthill", 503500, 237800, 1200), "09UCGJ": ("Arlesey", 519000, 235500, 1500),
    "09UCGK": ("Aspley Guise", 494500, 236000, 2000), "09UCGL": ("Biggleswade", 519000, 243500, 800),
    "09UCGM": ("Biggleswade", 519500, 244500, 800), "09UCGN": ("Biggleswade", 520000, 243800, 800),
    "09UCGP": ("Meppershall", 514000, 237500, 2500), "09UCGQ": ("Cranfield", 495500, 242500, 2000),
    "09UCGR": ("Flitton", 505500, 234000, 2000), "09UCGS": ("Flitwick", 503500, 234500, 800),
    "09UCGT": ("Flitwick", 502500, 234000, 800), "09UCGU": ("Harlington", 503500, 230500, 1500),
    "09UCGW": ("Haynes", 508500, 243000, 3000), "09UCGX": ("Langford", 518500, 239000, 1800),
    "09UCGY": ("Marston Moretaine", 500000, 241000, 2500), "09UCGZ": ("Maulden", 507000, 237500, 2000),
    "09UCHA": ("Blunham", 514000, 249000, 2500), "09UCHB": ("Potton", 522500, 249000, 2000),
    "09UCHC": ("Sandy", 517000, 249000, 800), "09UCHD": ("Sandy", 517800, 248500, 800),
    "09UCHE": ("Shefford", 514000, 239000, 1500), "09UCHF": ("Shillington", 511500, 235000, 2000),
    "09UCHG": ("Silsoe", 508000, 235500, 1500), "09UCHH": ("Stotfold", 521800, 236500, 1200),
    "09UCHJ": ("Westoning", 502500, 232500, 1500), "09UCHK": ("Woburn", 494500, 233000, 2000),
    "09UEGC": ("Houghton Regis", 501500, 224500, 600), "09UEGD": ("Barton-le-Clay", 508500, 231000, 1500),
    "09UEGE": ("Caddington", 506000, 219500, 2000), "09UEGF": ("Dunstable", 502500, 220500, 700),
    "09UEGG": ("Dunstable", 502000, 222000, 500), "09UEGH": ("Eaton Bray", 497000, 220500, 1500),
    "09UEGJ": ("Leighton Buzzard", 492500, 223500, 700), "09UEGK": ("Heath and Reach", 492500, 228000, 1500),
    "09UEGL": ("Houghton Regis", 501500, 223500, 600), "09UEGM": ("Dunstable", 501000, 222500, 600),
    "09UEGN": ("Totternhoe", 500000, 219500, 1500), "09UEGP": ("Linslade", 491000, 225500, 700),
    "09UEGQ": ("Dunstable", 503000, 221500, 600), "09UEGR": ("Dunstable", 502000, 223000, 600),
    "09UEGS": ("Houghton Regis", 500500, 224200, 500), "09UEGT": ("Leighton Buzzard", 493000, 226000, 600),
    "09UEGU": ("Leighton Buzzard", 492800, 226500, 600), "09UEGW": ("Leighton Buzzard", 491500, 224000, 700),
    "09UEGX": ("Stanbridge", 496500, 224000, 1500), "09UEGY": ("Streatley", 507000, 226000, 1500),
    "09UEGZ": ("Houghton Regis", 500500, 225500, 500), "09UEHA": ("Toddington", 500500, 228800, 1200),
    "09UEHB": ("Dunstable", 503000, 222800, 600),
}
# A few real Bedford and Luton wards for out-of-area records (centres invented).
OUT_OF_AREA = [("09UDGH", 2008, 505200, 249800), ("09UDGL", 2008, 504500, 250500),
               ("00KAMY", 2008, 508000, 221500), ("00KANA", 2008, 509500, 221800),
               ("00KAMT", 2008, 508500, 222500), ("00KAMY", 2009, 508000, 221500),
               ("00KANA", 2009, 509500, 221800), ("00KAMT", 2009, 508500, 222500)]
BEDFORD_2009 = [("Castle", 505200, 249800), ("De Parys", 504500, 250500)]


def read(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


TOWN_PREFIX = {"Dunstable": "Dunstable", "Houghton Regis": "Houghton Regis",
               "Leighton Buzzard": "Leighton Buzzard", "Biggleswade": "Biggleswade",
               "Sandy": "Sandy", "Flitwick": "Flitwick"}


def aliases(code, name, vintage, town):
    """Spelling variants planted in the exports (case and surrounding spaces are separate quirks)."""
    out = [name, name.upper().replace(" AND ", " & "), name + " Ward"]
    if vintage == 2008 and town in TOWN_PREFIX and not name.startswith(town):
        long = f"{town} {name}"
        out += [long, f"{town.upper()} - {name.upper()}", long + " Ward"]
    if " and " in name:
        out.append(name.replace(" and ", " & "))
    seen, res = set(), []
    for a in out:
        if a not in seen:
            seen.add(a)
            res.append(a)
    return res


def main():
    wd08 = read("LSOA01_to_WD08_lookup_EW.csv")
    wd09 = read("LSOA01_to_WD09_lookup_EW.csv")
    cb08 = [r for r in wd08 if r["WD08CD"][:4] in ("09UC", "09UE")]
    lsoas = {r["LSOA01CD"] for r in cb08}
    cb09 = {r["LSOA01CD"]: r for r in wd09 if r["LSOA01CD"] in lsoas}
    assert all(r["WD09CD"].startswith("00KC") for r in cb09.values()) and len(cb09) == len(lsoas)

    w08 = sorted({(r["WD08CD"], r["WD08NM"]) for r in cb08})
    write(os.path.join(HERE, "wards-2008.csv"), ["ward_code", "ward_name", "district_code", "district_name"],
          [(c, n, c[:4], DISTRICTS[c[:4]]) for c, n in w08])
    w09 = sorted({(r["WD09CD"], r["WD09NM"]) for r in cb09.values()})
    write(os.path.join(HERE, "wards-2009.csv"), ["ward_code", "ward_name"], w09)
    write(os.path.join(HERE, "lsoa01-wards.csv"), ["lsoa01_code", "wd08_code", "wd09_code", "lsoa01_name"],
          sorted((r["LSOA01CD"], r["WD08CD"], cb09[r["LSOA01CD"]]["WD09CD"], r["LSOA01NM"]) for r in cb08))
    assert set(CENTRES) == {c for c, _ in w08}, "every 2008 ward needs a centre"
    write(os.path.join(HERE, "ward-centres.csv"), ["ward_code", "town", "easting", "northing", "radius_m"],
          [(c,) + CENTRES[c] for c, _ in w08])

    names08 = {r["WD08CD"]: r["WD08NM"] for r in wd08}
    names09 = {r["WD09CD"]: r["WD09NM"] for r in wd09}
    ooa = []
    for code, vintage, e, n in OUT_OF_AREA:
        name = (names08 if vintage == 2008 else names09)[code]
        ooa.append((code, name, code[:4], DISTRICTS[code[:4]], vintage, e, n))
    for name, e, n in BEDFORD_2009:
        code = sorted(c for c, nm in names09.items() if nm == name and c.startswith("00KB"))[0]
        ooa.append((code, name, "00KB", "Bedford", 2009, e, n))
    write(os.path.join(HERE, "out-of-area-wards.csv"),
          ["ward_code", "ward_name", "district_code", "district_name", "vintage", "easting", "northing"], ooa)

    rows = []
    for c, n in w08:
        rows += [(a, c, 2008) for a in aliases(c, n, 2008, CENTRES[c][0])]
    for c, n in w09:
        rows += [(a, c, 2009) for a in aliases(c, n, 2009, None)]
    os.makedirs(PIPE_REF, exist_ok=True)
    write(os.path.join(PIPE_REF, "ward-aliases.csv"), ["alias", "ward_code", "vintage"], rows)


if __name__ == "__main__":
    main()
