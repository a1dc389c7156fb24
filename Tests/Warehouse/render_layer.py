#!/usr/bin/env python3
"""Draws one layer of a run's GeoPackage as a PNG, the way QGIS would with the layer's own style, read independently
of csp: sqlite3 for the file, struct for the GeoPackage blobs (GP header + WKB), the style's rules from layer_styles
(QML: each rule's `"rate_class" = k` filter and its fill colour; the hotspot rule's outline), matplotlib to draw.

    render_layer.py GPKG LAYER PNG
"""
import re
import sqlite3
import struct
import sys
import xml.etree.ElementTree as ET

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path


def polygons(blob):
    """The rings of a GeoPackage MultiPolygon blob, per polygon."""
    assert blob[:2] == b"GP", "not a GeoPackage geometry"
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    wkb = blob[8 + envelope:]
    order = "<" if wkb[0] == 1 else ">"
    kind, n = struct.unpack_from(order + "II", wkb, 1)
    assert kind == 6, f"WKB type {kind}, not a MultiPolygon"
    at, out = 9, []
    for _ in range(n):
        at += 5  # byte order, type 3
        (rings,) = struct.unpack_from(order + "I", wkb, at); at += 4
        poly = []
        for _ in range(rings):
            (points,) = struct.unpack_from(order + "I", wkb, at); at += 4
            poly.append(struct.unpack_from(order + "%dd" % (2 * points), wkb, at)); at += 16 * points
        out.append([list(zip(r[0::2], r[1::2])) for r in poly])
    return out


def main(gpkg, layer, png):
    db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    qml = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = ?", (layer,)).fetchone()[0]
    root = ET.fromstring(qml.split("\n", 1)[1])  # past the DOCTYPE line
    symbols = {s.get("name"): {o.get("name"): o.get("value") for o in s.iter("Option") if o.get("name")} for s in root.iter("symbol")}
    classes, legend, outline_filter = {}, [], None
    for rule in root.iter("rule"):
        sym = symbols[rule.get("symbol")]
        rgb = [int(v) / 255 for v in sym["color"].split(",")]
        m = re.match(r'"rate_class" = (\d+)', rule.get("filter"))
        if m:
            classes[int(m.group(1))] = rgb
            legend.append(Patch(facecolor=rgb, edgecolor="#555", label=rule.get("label")))
        elif "IS NULL" in rule.get("filter"):
            classes[None] = rgb
            legend.append(Patch(facecolor=rgb, edgecolor="#555", label=rule.get("label")))
        else:
            outline_filter = rule.get("filter")
            legend.append(Patch(facecolor="none", edgecolor=[int(v) / 255 for v in sym["outline_color"].split(",")], linewidth=2, label=rule.get("label")))
    hot_column = "gi_star_hotspot" if "gi_star_hotspot" in outline_filter else "hotspot"
    hot_value = "hot spot" if hot_column == "gi_star_hotspot" else "yes"
    theme = db.execute(f'SELECT theme, period FROM "{layer}" LIMIT 1').fetchone()
    fig, ax = plt.subplots(figsize=(8, 8))
    shown = {"classes": {}, "hot": 0}
    for blob, rate_class, hot, withheld in db.execute(f'SELECT geom, rate_class, "{hot_column}", withheld FROM "{layer}"'):
        colour = classes[rate_class if rate_class in classes else None]
        shown["classes"][rate_class] = shown["classes"].get(rate_class, 0) + 1
        is_hot = hot == hot_value and not withheld
        shown["hot"] += is_hot
        for poly in polygons(blob):
            verts, codes = [], []
            for ring in poly:
                verts += ring; codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
            ax.add_patch(PathPatch(Path(verts, codes), facecolor=colour, edgecolor="#c0392b" if is_hot else "#555",
                                   linewidth=1.6 if is_hot else 0.3, zorder=2 if is_hot else 1))
    ax.autoscale_view(); ax.set_aspect("equal"); ax.set_axis_off()
    ax.set_title(f"{theme[0]}: rate per 1,000 by {layer.split('_')[0]}, {theme[1]} ({layer})")
    ax.legend(handles=legend, loc="lower left", fontsize=8, frameon=True)
    fig.savefig(png, dpi=110, bbox_inches="tight")
    print(f"{layer}: {sum(shown['classes'].values())} areas; by class {dict(sorted(shown['classes'].items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))}; {shown['hot']} outlined")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
