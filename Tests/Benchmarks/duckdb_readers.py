#!/usr/bin/env python3
"""Reference readers for the reader benchmark: the same job csp inspect does (read every field,
count records by the ward column), done by other tools.

  duckdb_readers.py csv FILE          DuckDB (PyPI, default threads):
        SELECT Ward, count(*) FROM read_csv(FILE, header=true, all_varchar=true) GROUP BY Ward
  duckdb_readers.py xml FILE [lxml|etree]
        DuckDB has no XML reader, so XML is compared with lxml.etree.iterparse (the same
        libxml2 csp uses, driven from Python) or the standard library's ElementTree.iterparse
        (C-accelerated expat). Each Incident's every element and attribute is touched, the ward
        is Location/Ward, and finished elements are cleared so memory stays flat.
  duckdb_readers.py startup           imports duckdb and exits (the interpreter + import cost).

Prints JSON on stdout: {"reference": ..., "records": N, "counts": {ward: n}, "query_s": s};
a blank or missing ward counts under "" (DuckDB reads an empty field as NULL).
"""
import json
import sys
import time


def csv_duckdb(path):
    import duckdb
    con = duckdb.connect()
    t0 = time.perf_counter()
    rows = con.execute(
        "SELECT Ward, count(*) FROM read_csv(?, header=true, all_varchar=true) GROUP BY Ward", [path]
    ).fetchall()
    dt = time.perf_counter() - t0
    counts = {}
    for ward, n in rows:
        key = ward or ""
        counts[key] = counts.get(key, 0) + n
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    return {"reference": f"duckdb {duckdb.__version__} read_csv(all_varchar) GROUP BY Ward, threads={threads}",
            "records": sum(counts.values()), "counts": counts, "query_s": dt}


def xml_iterparse(path, impl):
    if impl == "lxml":
        from lxml import etree as ET
        name = f"lxml {'.'.join(map(str, ET.LXML_VERSION[:3]))} iterparse (libxml2 {'.'.join(map(str, ET.LIBXML_VERSION))})"
        events = ET.iterparse(path, events=("end",), tag="Incident", resolve_entities=False, no_network=True)
    else:
        import xml.etree.ElementTree as ET
        name = "python xml.etree.ElementTree.iterparse (expat)"
        events = ET.iterparse(path, events=("end",))
    t0 = time.perf_counter()
    counts = {}
    records = 0
    fields = 0
    for _, el in events:
        if el.tag != "Incident":
            continue
        records += 1
        ward = ""
        for k, v in el.attrib.items():
            fields += len(v) >= 0
        for sub in el.iter():
            t = sub.text
            fields += 1
            if sub.tag == "Ward":
                ward = (t or "").strip()
        counts[ward] = counts.get(ward, 0) + 1
        el.clear()
        if impl == "lxml":
            while el.getprevious() is not None:
                del el.getparent()[0]
    dt = time.perf_counter() - t0
    return {"reference": name, "records": records, "counts": counts, "query_s": dt, "fields": fields}


def main():
    a = sys.argv[1:]
    if a[:1] == ["startup"]:
        import duckdb  # noqa: F401
        return
    if len(a) >= 2 and a[0] == "csv":
        out = csv_duckdb(a[1])
    elif len(a) >= 2 and a[0] == "xml":
        out = xml_iterparse(a[1], a[2] if len(a) > 2 else "lxml")
    else:
        sys.exit("usage: duckdb_readers.py csv FILE | xml FILE [lxml|etree] | startup")
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
