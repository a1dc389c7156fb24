#!/usr/bin/env python3
"""Reference figures for Tests/CSPStagesTests/GetisOrdTests.swift, computed independently of csp.

Gi* and weights: esda.G_Local(star=True, transform="B") and libpysal; multiple testing: statsmodels multipletests;
real polygons: geopandas + libpysal Queen.from_dataframe on the ONS file csp reads. Prints the Swift literals.

    python3 -m venv /tmp/gi-venv
    /tmp/gi-venv/bin/pip install esda libpysal geopandas statsmodels
    /tmp/gi-venv/bin/python Tests/Reference/gi_star_reference.py [path/to/lsoa21_E06000056_central_bedfordshire.geojson]

Run with esda 2.9.0, libpysal 4.14.1, geopandas 1.2.0, shapely 2.2.0, pyproj 3.7.2, statsmodels 0.15.0, scipy 1.17.1,
numpy 2.4.6 (Python 3.11).
"""

import os
import sys
import warnings

import numpy as np
from scipy import stats

warnings.filterwarnings("ignore")  # libpysal's notices about islands and future API changes

import esda  # noqa: E402
import geopandas  # noqa: E402
import libpysal  # noqa: E402
import pyproj  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GEOJSON = os.path.normpath(
    os.path.join(HERE, "../../../shared/realdata/ons-boundaries/lsoa21_E06000056_central_bedfordshire.geojson")
)

# 5x5 lattice, row-major (area i is row i // 5, column i % 5): rates per 1,000, high top-left, low bottom-right.
LATTICE = [
    18.2, 16.9, 12.4, 9.8, 8.1,
    17.5, 15.3, 11.0, 9.1, 7.6,
    12.8, 11.9, 10.2, 8.7, 7.9,
    10.4, 9.6, 8.8, 6.2, 5.1,
    9.7, 8.5, 7.4, 4.9, 3.8,
]

# A p-value vector with ties, for the corrections on their own.
P_TIES = [0.01, 0.04, 0.03, 0.04, 0.2, 0.001, 0.5, 0.03]


def swift(values, per_line=5):
    """A Swift array literal of doubles, repr precision (round-trips exactly)."""
    items = [repr(float(v)) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[\n    " + ",\n    ".join(lines) + ",\n]"


def gi_star(values, w):
    g = esda.G_Local(np.array(values), w, transform="B", star=True, permutations=0)
    z = np.asarray(g.Zs, dtype=float)
    p = 2 * stats.norm.sf(np.abs(z))  # two-sided; esda's p_norm is the one-sided sf(|z|)
    assert np.allclose(p, 2 * np.asarray(g.p_norm))
    return z, p


def lattice():
    print("// inputs: the 5x5 lattice's values (row-major) and a p-value vector with ties")
    print(f"let latticeValues: [Double] = {swift(LATTICE)}")
    print(f"let pTies: [Double] = {swift(P_TIES, per_line=4)}")
    print()
    for name, rook in (("queen", False), ("rook", True)):
        w = libpysal.weights.lat2W(5, 5, rook=rook)
        z, p = gi_star(LATTICE, w)
        print(f"// lattice {name}: neighbour counts (without self)")
        print("let %sCardinality = %s" % (name, [w.cardinalities[i] for i in range(25)]))
        print(f"// lattice {name}: esda G_Local(star=True, transform='B').Zs")
        print(f"let {name}Z: [Double] = {swift(z)}")
        print(f"// lattice {name}: 2 * norm.sf(|z|)")
        print(f"let {name}P: [Double] = {swift(p)}")
        if name == "queen":
            for method, label in (("fdr_bh", "BH"), ("holm", "Holm")):
                reject, adj, _, _ = multipletests(p, alpha=0.05, method=method)
                print(f"// lattice queen: multipletests(p, method='{method}')[1]")
                print(f"let queen{label}: [Double] = {swift(adj)}")
                print(f"// lattice queen: rejected at 0.05 by {method}, with the sign of z")
                print(f"let queen{label}Hot: [Int] = {[i for i in range(25) if reject[i] and z[i] > 0]}")
                print(f"let queen{label}Cold: [Int] = {[i for i in range(25) if reject[i] and z[i] < 0]}")
        print()
    for method, label in (("fdr_bh", "BH"), ("holm", "Holm")):
        _, adj, _, _ = multipletests(P_TIES, method=method)
        print(f"// P_TIES = {P_TIES}: multipletests(method='{method}')[1]")
        print(f"let ties{label}: [Double] = {swift(adj, per_line=4)}")
    print()


def real(path):
    gdf = geopandas.read_file(path)
    codes = list(gdf["LSOA21CD"])
    assert len(codes) == 175
    w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    card = [w.cardinalities[i] for i in range(len(codes))]
    pairs = sum(card) // 2
    print(f"// {os.path.basename(path)}: libpysal Queen.from_dataframe (shared vertex, exact coordinates)")
    print(f"let realAreas = {len(codes)}")
    print(f"let realPairs = {pairs}")
    print("let realIslands: [String] = %s" % [codes[i] for i in range(len(codes)) if card[i] == 0])
    hist = {}
    for c in card:
        hist[c] = hist.get(c, 0) + 1
    print("// number of areas with k neighbours")
    print("let realHistogram: [Int: Int] = [%s]" % ", ".join(f"{k}: {hist[k]}" for k in sorted(hist)))
    order = sorted(range(len(codes)), key=lambda i: (card[i], codes[i]))
    named = [order[0], order[len(order) // 2], order[-1]]
    print("// fewest, median and most neighbours (ties by code)")
    print("let realNamed: [String: Int] = [%s]" % ", ".join(f'"{codes[i]}": {card[i]}' for i in named))
    print("let realNeighboursOfMost: Set<String> = [%s]" % ", ".join(
        f'"{codes[j]}"' for j in sorted(w.neighbors[named[-1]], key=lambda j: codes[j])))

    # Distance band on area-weighted centroids in British National Grid metres (pyproj's WGS84 -> EPSG:27700).
    best = pyproj.transformer.TransformerGroup(4326, 27700, always_xy=True).transformers[0]
    bng = gdf.to_crs(27700)
    cent = np.column_stack([bng.geometry.centroid.x, bng.geometry.centroid.y])
    print(f"// centroids in EPSG:27700, pyproj {pyproj.__version__}, via {best.description}")
    print("let realCentroids: [String: (easting: Double, northing: Double)] = [%s]" % ", ".join(
        f'"{codes[i]}": ({float(cent[i, 0])!r}, {float(cent[i, 1])!r})' for i in named))
    # pyproj has no OSTN15 grid here, so it uses EPSG "OSGB36 to WGS 84 (6)", the same Ordnance Survey Helmert
    # parameters as csp (which inverts them by changing signs): the centroids agree to centimetres. The band is
    # chosen so that no centroid distance lies within 2 m of it.
    d = np.sqrt(((cent[:, None, :] - cent[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(len(codes), 1)
    band = next(b for b in np.arange(1000.0, 3000.0, 50.0) if np.abs(d[iu] - b).min() >= 2)
    wd = libpysal.weights.DistanceBand(cent, threshold=band, binary=True, silence_warnings=True)
    dpairs = sum(wd.cardinalities.values()) // 2
    assert dpairs == int((d[iu] <= band).sum())
    islands = sorted(codes[i] for i, v in wd.cardinalities.items() if v == 0)
    print(f"// libpysal DistanceBand(threshold={band:.0f}) on those centroids; the nearest centroid distance to the"
          f" band is {np.abs(d[iu] - band).min():.1f} m from it")
    print(f"let realBand = (metres: {band:.1f}, pairs: {dpairs}, islands: {len(islands)})")

    # Gi* on the real queen weights, end to end. The value of an area is the whole kilometres of its centroid's
    # northing (a north-south gradient: hot spots in the north, cold in the south); no centroid is near a whole km.
    assert np.abs(cent[:, 1] / 1000 - np.round(cent[:, 1] / 1000)).min() * 1000 > 0.5
    values = np.floor(cent[:, 1] / 1000)
    z, p = gi_star(values, w)
    reject, adj, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    print("// values: floor(centroid northing / 1000); esda G_Local(star=True, transform='B') on the Queen weights")
    print("let realZ: [String: Double] = [%s]" % ", ".join(f'"{codes[i]}": {float(z[i])!r}' for i in named))
    print("let realP: [String: Double] = [%s]" % ", ".join(f'"{codes[i]}": {float(p[i])!r}' for i in named))
    print(f"let realBHHot = {int((reject & (z > 0)).sum())}, realBHCold = {int((reject & (z < 0)).sum())}")


def main():
    lattice()
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GEOJSON
    real(path)


if __name__ == "__main__":
    main()
