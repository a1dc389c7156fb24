#!/usr/bin/env python3
"""The published datasets of a run's 04-normalised folder, read independently of csp, for Tests/Warehouse/postgres.sh.

    published.py plan RUN_DIR          one line per CSV: name, rows (csv module), SHA-256, manifest rows and SHA-256,
                                       load (a dataset of DICTIONARY.md) or audit (rejects.csv: stays with the run)
    published.py ddl RUN_DIR SCHEMA tables|keys   CREATE TABLE (before COPY), or the keys and indexes (after it),
                                       from DICTIONARY.md's tables
    published.py unquote RUN_DIR SCHEMA  UPDATEs undoing the spreadsheet-safety quote of text cells
    published.py triggers RUN_DIR [SCHEMA]  per text column, values starting with = + - @ tab CR in warehouse.sqlite
                                       (the originals); with SCHEMA, the SQL counting them in PostgreSQL
    published.py box CSV               a bounding box (the middle half of the easting and northing ranges)
    published.py count CSV X0 Y0 X1 Y1 rows whose easting/northing fall in the box (edges included, as `&&` does)
    published.py located CSV           rows with an easting and a northing; rows with only a longitude and latitude
    published.py warehouse RUN_DIR     row count of every table of warehouse.sqlite (name rows)

Everything here reads the files with Python's csv, json, hashlib and sqlite3 modules, never through csp, so a count
that csp and PostgreSQL got wrong together would still disagree with it. Any problem is one line on standard error
and exit 1.
"""
import csv
import hashlib
import json
import os
import re
import sqlite3
import sys

csv.field_size_limit(1 << 30)

# DICTIONARY.md types -> PostgreSQL types (the dictionary's `month` is TEXT YYYY-MM: a CHECK keeps its shape).
PG_TYPES = {
    "text": "text",
    "integer": "bigint",
    "real": "double precision",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp without time zone",
    "month": "text",
}
# Stage 4's audit files: they are the run's (masked values, rules), not published data, and never go to the server.
AUDIT_FILES = {"rejects", "excluded", "duplicates"}


def die(message):
    print("published.py: " + message, file=sys.stderr)
    sys.exit(1)


def normalised(run_dir):
    folder = os.path.join(run_dir, "04-normalised")
    if not os.path.isdir(folder):
        die(f"{folder}: no such folder (did stage 4 run?)")
    return folder


def dictionary(run_dir):
    """{dataset: {"columns": [(name, type, not_null)], "unique": [([cols], exempt column or None)], "indexes": [[cols]]}} from DICTIONARY.md."""
    path = os.path.join(normalised(run_dir), "DICTIONARY.md")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        die(f"{path}: {e.strerror}")
    out, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^## `([^`]+)`$", line)
        if m:
            current = {"columns": [], "unique": [], "indexes": []}
            out[m.group(1)] = current
            continue
        if line.startswith("## ") or line.startswith("### "):
            current = None
            continue
        if current is None:
            continue
        if line.startswith("Keys: "):
            # UNIQUE(`a`, `b`), or UNIQUE(`key`) WHERE NOT `flag` (a natural key whose flagged rows are exempt).
            current["unique"] = [(re.findall(r"`([^`]+)`", cols), exempt or None)
                                 for cols, exempt in re.findall(r"UNIQUE\(([^)]*)\)(?: WHERE NOT `([^`]+)`)?", line)]
        elif line.startswith("Indexes: "):
            current["indexes"] = [re.findall(r"`([^`]+)`", part) for part in line[len("Indexes: "):].rstrip(".").split(";")]
        else:
            m = re.match(r"^\| `([^`]+)` \| (\w+) \| ([^|]*) \|", line)
            if m:
                name, kind, storage = m.groups()
                if kind not in PG_TYPES:
                    die(f"{path}: column {name} has type {kind!r}, which this loader does not know")
                current["columns"].append((name, kind, "NOT NULL" in storage))
    if not out:
        die(f"{path}: no dataset sections (## `name`)")
    return out


def csv_files(run_dir):
    folder = normalised(run_dir)
    names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".csv"))
    if not names:
        die(f"{folder}: no CSV files")
    return [(n, os.path.join(folder, n + ".csv")) for n in names]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            die(f"{path}: empty file (no header)")
        return header, list(reader)


def manifest_outputs(run_dir):
    path = os.path.join(normalised(run_dir), "manifest.json")
    try:
        manifest = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        die(f"{path}: cannot read: {e}")
    out = {}
    for entry in manifest.get("outputs", []):
        out[os.path.basename(entry.get("path", ""))] = entry
    return out


def quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def cmd_plan(run_dir):
    outputs = manifest_outputs(run_dir)
    for name, path in csv_files(run_dir):
        header, rows = read_csv(path)
        for i, row in enumerate(rows, start=2):
            if len(row) != len(header):
                die(f"{path}: record {i} has {len(row)} fields, the header {len(header)}")
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        entry = outputs.get(name + ".csv")
        if entry is None:
            die(f"{path}: not listed among the outputs of 04-normalised/manifest.json")
        m_rows = entry.get("rows")
        m_sha = entry.get("sha256", entry.get("checksum", ""))
        print(name, len(rows), digest, "-" if m_rows is None else m_rows, m_sha or "-",
              "audit" if name in AUDIT_FILES else "load")


def datasets(run_dir):
    return [(n, p) for n, p in csv_files(run_dir) if n not in AUDIT_FILES]


def cmd_ddl(run_dir, schema, part):
    tables = dictionary(run_dir)
    for name, path in datasets(run_dir):
        spec = tables.get(name)
        if spec is None:
            die(f"{path}: DICTIONARY.md has no section for `{name}`")
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), [])
        columns = [c[0] for c in spec["columns"]]
        if header != columns:
            die(f"{path}: header {header} is not DICTIONARY.md's column list {columns}")
        t = f"{quote(schema)}.{quote(name)}"
        if part == "tables":
            # Columns, types, NOT NULL and CHECKs before the load; keys and indexes after it (faster in bulk).
            defs = ["id bigint GENERATED ALWAYS AS IDENTITY"]
            for col, kind, not_null in spec["columns"]:
                d = f"{quote(col)} {PG_TYPES[kind]}"
                if not_null:
                    d += " NOT NULL"
                if kind == "month":
                    d += f" CHECK ({quote(col)} ~ '^[0-9]{{4}}-[0-9]{{2}}$')"
                defs.append(d)
            print(f"CREATE TABLE {t} (\n  " + ",\n  ".join(defs) + "\n);")
            # The COPY column list (every column but id), for the shell to use.
            print(f"-- copy {name} " + ",".join(quote(c) for c in columns))
        else:
            print(f"ALTER TABLE {t} ADD PRIMARY KEY (id);")
            for u, exempt in spec["unique"]:
                if exempt:
                    idx = quote(name + "_" + "_".join(u) + "_key")
                    print(f"CREATE UNIQUE INDEX {idx} ON {t} (" + ", ".join(quote(c) for c in u) + f") WHERE NOT {quote(exempt)};")
                else:
                    print(f"ALTER TABLE {t} ADD UNIQUE (" + ", ".join(quote(c) for c in u) + ");")
            for cols in spec["indexes"]:
                idx = quote(name + "_" + "_".join(cols) + "_idx")
                print(f"CREATE INDEX {idx} ON {t} (" + ", ".join(quote(c) for c in cols) + ");")


def cmd_unquote(run_dir, schema):
    """UPDATEs that undo SpreadsheetSafe.cell: a text cell published as ' + a trigger character gets its original back."""
    tables = dictionary(run_dir)
    for name, _ in datasets(run_dir):
        for col, kind, _ in tables[name]["columns"]:
            if kind == "text":
                c = quote(col)
                print(f"UPDATE {quote(schema)}.{quote(name)} SET {c} = substr({c}, 2) "
                      f"WHERE {c} ~ E'^''[-=+@\\t\\r]';")


def text_columns(run_dir):
    tables = dictionary(run_dir)
    return [(name, col) for name, _ in datasets(run_dir) for col, kind, _ in tables[name]["columns"] if kind == "text"]


def cmd_triggers(run_dir, schema):
    """Per text column, the values starting with a formula character in warehouse.sqlite (which keeps the originals);
    with SCHEMA, the SQL that counts the same in PostgreSQL. Lines: table column count."""
    cols = text_columns(run_dir)
    if schema:
        parts = [f"SELECT '{name} {col} ' || count(*) FILTER (WHERE left({quote(col)}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')) "
                 f"FROM {quote(schema)}.{quote(name)}" for name, col in cols]
        print("\nUNION ALL ".join(parts) + ";")
        return
    db = sqlite3.connect(f"file:{os.path.join(normalised(run_dir), 'warehouse.sqlite')}?mode=ro", uri=True)
    for name, col in cols:
        n = db.execute(f"SELECT count(*) FROM {quote(name)} WHERE substr({quote(col)}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))").fetchone()[0]
        print(name, col, n)


def coordinates(path):
    header, rows = read_csv(path)
    if "easting" not in header or "northing" not in header:
        die(f"{path}: no easting/northing columns (header {header})")
    e, n = header.index("easting"), header.index("northing")
    for row in rows:
        if row[e] != "" and row[n] != "":
            yield int(row[e]), int(row[n])


def lonlat_only(path):
    """Rows with a longitude and latitude but no easting/northing (data.police.uk's rows)."""
    header, rows = read_csv(path)
    if "longitude" not in header or "latitude" not in header:
        return 0
    e, n, lo, la = (header.index(c) for c in ("easting", "northing", "longitude", "latitude"))
    return sum(1 for r in rows if (r[e] == "" or r[n] == "") and r[lo] != "" and r[la] != "")


def cmd_box(path):
    points = list(coordinates(path))
    if len(points) < 4:
        die(f"{path}: {len(points)} located rows, too few for a box")
    xs, ys = sorted(p[0] for p in points), sorted(p[1] for p in points)
    q = lambda v, f: v[int(f * (len(v) - 1))]
    print(q(xs, 0.25), q(ys, 0.25), q(xs, 0.75), q(ys, 0.75))


def cmd_count(path, x0, y0, x1, y1):
    print(sum(1 for x, y in coordinates(path) if x0 <= x <= x1 and y0 <= y <= y1))


def cmd_located(path):
    print(sum(1 for _ in coordinates(path)), lonlat_only(path))


def cmd_warehouse(run_dir):
    path = os.path.join(normalised(run_dir), "warehouse.sqlite")
    if not os.path.exists(path):
        die(f"{path}: missing")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        print(name, db.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0])


def main(argv):
    if len(argv) < 2:
        die("usage: published.py plan|ddl|unquote|box|count|located|warehouse ...")
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "plan" and len(args) == 1:
            cmd_plan(args[0])
        elif cmd == "ddl" and len(args) == 3 and args[2] in ("tables", "keys"):
            cmd_ddl(*args)
        elif cmd == "unquote" and len(args) == 2:
            cmd_unquote(*args)
        elif cmd == "triggers" and len(args) in (1, 2):
            cmd_triggers(args[0], args[1] if len(args) == 2 else None)
        elif cmd == "box" and len(args) == 1:
            cmd_box(args[0])
        elif cmd == "count" and len(args) == 5:
            cmd_count(args[0], *map(float, args[1:]))
        elif cmd == "located" and len(args) == 1:
            cmd_located(args[0])
        elif cmd == "warehouse" and len(args) == 1:
            cmd_warehouse(args[0])
        else:
            die(f"bad arguments for {cmd}: {args}")
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, sqlite3.Error) as e:
        die(f"{cmd}: {e}")


if __name__ == "__main__":
    main(sys.argv)
