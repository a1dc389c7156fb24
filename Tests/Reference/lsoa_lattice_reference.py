#!/usr/bin/env python3
"""Reference figures for Tests/CSPAssessTests/AssessLSOATests.swift, computed independently of csp.

The lattice of Fixtures/tests/assess-lsoa/warehouse.sql: 16 LSOAs (1 km squares, 4 x 4, row-major, north first),
twelve-month violence counts and Census residents below. Rates per 1,000; queen contiguity (libpysal lat2W,
rook=False); Gi* by esda.G_Local(star=True, transform="B"); two-sided p = 2 * sf(|z|); Benjamini-Hochberg by
statsmodels over the areas with a neighbour (all here). csp computes Gi* from the true counts (the disclosure policy
withholds L31, 3, small, and L30, 9, to protect it inside ward W3, whose count is published; AssessLSOATests checks
that these two are the ones withheld) and publishes z, p and adjusted p as bands (AssessClusters), each figure `~`
where an alternative of a withheld count moves it. Prints the Swift literals: the bands of the true counts.

    python3 -m venv /tmp/gi-venv
    /tmp/gi-venv/bin/pip install esda libpysal statsmodels
    /tmp/gi-venv/bin/python Tests/Reference/lsoa_lattice_reference.py
"""

import warnings

import numpy as np
from scipy import stats

warnings.filterwarnings("ignore")

import esda  # noqa: E402
import libpysal  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

COUNTS = [40, 35, 12, 10,
          38, 30, 11, 9,
          12, 10, 8, 6,
          9, 3, 7, 8]
POPS = [1000, 1200, 900, 1100,
        1100, 1000, 1000, 950,
        900, 1050, 1000, 1000,
        1000, 800, 1000, 1200]


def gi(counts):
    rates = np.array([1000.0 * c / p for c, p in zip(counts, POPS)])
    w = libpysal.weights.lat2W(4, 4, rook=False)
    g = esda.G_Local(rates, w, transform="B", star=True, permutations=0)
    z = np.asarray(g.Zs)
    p = 2 * stats.norm.sf(np.abs(z))
    adj = multipletests(p, method="fdr_bh")[1]
    cls = ["hot spot" if a < 0.05 and zi > 0 else ("cold spot" if a < 0.05 and zi < 0 else "not significant") for zi, a in zip(z, adj)]
    return rates, z, p, adj, cls


def zband(v):
    m, edges = abs(v), [1.96, 2.58, 3.29]
    t = lambda x: ("\u2212" if x < 0 else "") + "%.2f" % abs(x)
    if m < edges[0]:
        return t(-edges[0]) + " to " + t(edges[0])
    for k in range(len(edges) - 1):
        if m < edges[k + 1]:
            return t(edges[k]) + " to " + t(edges[k + 1]) if v > 0 else t(-edges[k + 1]) + " to " + t(-edges[k])
    return t(edges[-1]) + " or more" if v > 0 else t(-edges[-1]) + " or less"


def pv(v):
    return "<0.001" if v < 0.001 else "0.001 to 0.01" if v < 0.01 else "0.01 to 0.05" if v < 0.05 else "0.05 or more"


rates, z, p, adj, cls = gi(COUNTS)
print("    // code: (z, p, adjusted p, class) of the true counts, banded as hotspots.csv prints them")
print("    static let giStar: [String: [String]] = [")
for i in range(16):
    code = "L%d%d" % (i // 4, i % 4)
    print('        "%s": ["%s", "%s", "%s", "%s"],  // z %.4f' % (code, zband(z[i]), pv(p[i]), pv(adj[i]), cls[i], z[i]))
print("    ]")
# Ward rates (W1..W4 hold the 2 x 2 blocks) for the ward rows.
for wi, (r0, c0) in enumerate([(0, 0), (0, 2), (2, 0), (2, 2)]):
    idx = [(r0 + dr) * 4 + c0 + dc for dr in (0, 1) for dc in (0, 1)]
    print("    // W%d: count %d, residents %d, rate %.2f" % (wi + 1, sum(COUNTS[i] for i in idx), sum(POPS[i] for i in idx),
                                                        1000.0 * sum(COUNTS[i] for i in idx) / sum(POPS[i] for i in idx)))
