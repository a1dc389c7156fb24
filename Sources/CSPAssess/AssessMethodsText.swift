import CSPSchema
import CSPStorage
// Generated from the `///` documentation of Sources/CSPAssess/Methods and CSPAssess/Disclosure/DisclosurePolicy.swift
// (see AssessStageTests: kept in sync).

/// The methods text of the report: each method's type documentation, verbatim.
enum AssessMethodsText {
    static let all: [(name: String, text: String)] = [
        ("VolumeChange", #"""
Change in volume between a previous and a current period, with the assessment's words
"Increasing volume", "Decreasing volume" or "Stable".

Method. Let n₁ be the count in the previous period of length t₁ and n₂ the count in the current
period of length t₂ (any unit, e.g. days or months; equal lengths by default). The change in number
is n₂ − n₁. The per cent change compares rates: 100 × (n₂/t₂ − n₁/t₁) / (n₁/t₁), which is
100 × (n₂ − n₁)/n₁ for equal lengths; it is nil when n₁ = 0. Whether the change is real or noise is
decided by the exact conditional test of two Poisson counts: under "same underlying rate", given
N = n₁ + n₂, n₂ ~ Binomial(N, t₂/(t₁ + t₂)). The two-sided p-value is the total probability of every
outcome no more likely than the one observed (the "minimum likelihood" rule, as
`scipy.stats.binomtest(n2, N, t2/(t1+t2))`). If p < the significance level (default 0.05) the words
are "Increasing volume" when the current rate is higher and "Decreasing volume" when lower;
otherwise "Stable". With no events in either period, p = 1 and the words are "Stable".
"""#),
        ("PoissonTrend", #"""
Long-run trend of a monthly count series: "Increasing", "Decreasing" or "Stable", or `*` when there
are too few months.

Method. With y_t the count in month t = 0, 1, …, n − 1 (n ≥ `minimumMonths`, default 24), fit the
Poisson regression log μ_t = a + b·t + s_{m(t)} by maximum likelihood (iteratively reweighted least
squares with step halving), where s_m are month-of-year effects (one per calendar month, the first
calendar month with any events as reference) when `seasonalTerms` is true (the default), so that a
series starting in a peak season is not read as a trend; with `seasonalTerms` false the model is
log μ_t = a + b·t. A calendar month whose count is 0 in every year has fitted value 0 and does not
enter the fit. The trend is tested by the likelihood-ratio statistic
G = D₀ − D₁ (deviance without and with b), referred to χ² with 1 degree of freedom. Because crime
counts vary more than Poisson, when `allowOverdispersion` is true (the default) G is divided by the
dispersion φ = max(1, Pearson χ² / (n_used − p)) (quasi-Poisson), and the standard error of b is
multiplied by √φ. The series is "Increasing" when p < `significance` (default 0.05) and b > 0,
"Decreasing" when p < `significance` and b < 0, and "Stable" otherwise. The fitted rate of change is
exp(b) − 1 per month and exp(12b) − 1 per year; the fitted series μ̂_t is returned for charting.
An all-zero series is "Stable" with b = 0, p = 1 and a fitted series of zeros.
"""#),
        ("Seasonality", #"""
Seasonal pattern of a monthly count series: seasonal indices per meteorological season and per
calendar month, a test, and the assessment's words ("Summer peaks", "Autumn/winter peaks",
"No seasonality", or `*` for too few months).

Method. Needs at least `minimumMonths` consecutive months (default 24, so every calendar month occurs
at least twice). The trend is removed first: the log-linear Poisson trend log μ_t = a + b·t (no seasonal
terms) is fitted by maximum likelihood, and μ̂_t is each month's expected count without seasonality
(with no trend μ̂_t is the overall monthly mean; with an intercept Σ μ̂_t = Σ y_t). The index of a
season (spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb) is O_s / E_s, its observed
total over the expected total Σ μ̂_t of the months it covers; the index of a calendar month is the same
ratio over the occurrences of that month. For a flat series this is the mean month count over the
overall monthly mean. The test is Pearson's χ² = Σ_s (O_s − E_s)² / E_s over the seasons, with (number
of seasons) − 1 degrees of freedom. Peaks are the seasons whose index exceeds `peakThreshold`
(default 1.1); adjacent peak seasons (spring–summer–autumn–winter–spring, cyclically) are named
together as one peak, e.g. "Autumn/winter"; separate peaks are listed by their highest index. The words
are "<peaks> peaks" (for example "Summer peaks", "Autumn and spring peaks") when p < `significance`
(default 0.05) and at least one season exceeds the threshold, and "No seasonality" otherwise, including
for a series with no events.
"""#),
        ("Hotspots", #"""
Hotspot areas of one area layer (wards, estates, town centres…): counts, rates per 1,000 residents,
a test of excess over expectation, and the top areas by count and by rate.

Method. For an area with a resident population P_i > 0 the rate is 1,000 × count / P_i and the expected
count is E_i = C × P_i / ΣP, where C and ΣP are the total count and total population of the layer's
populated areas (the count it would have at the layer's average rate). An area without residents
(a town centre, an industrial estate) has no rate; when its size A_i (any unit, e.g. hectares) is given,
E_i = D × A_i with D the layer's mean density (total count over total size of all areas that have a
size); without a size it is not tested and is flagged `untested`. Each tested area gets the one-sided
exact Poisson p-value P(X ≥ observed | X ~ Poisson(E_i)). The p-values of all tested areas are corrected
for multiple comparisons, by Benjamini–Hochberg (the default; false-discovery rate, adjusted
p_(k) = min_{j ≥ k} m·p_(j)/j over the m tested areas sorted by p) or Bonferroni (min(1, m·p)). An area
is a hotspot when its adjusted p-value is below `significance` (default 0.05) AND its count is at least
`minimumCount` (default 10), so a small ward with three crimes is never a hotspot however few residents
it has. Areas are also ranked: the top `topN` (default 5) by count (all areas) and by rate (populated
areas only); ties are broken by name.
"""#),
        ("GetisOrd", #"""
Hot and cold spots of a rate across neighbouring areas (LSOAs): the Getis–Ord Gi* statistic of each area,
its two-sided p-value, the p-value corrected for testing every area, and a classification.

Method. For values x_1 … x_n (rates per 1,000) and binary weights w_ij from ``SpatialWeights`` with the area
itself included (w_ii = 1), the standardised Gi* of area i is

    z_i = (Σ_j w_ij x_j − X̄ W_i) / (S √((n W_i⁽²⁾ − W_i²) / (n − 1)))

where X̄ = Σ x_j / n, S = √(Σ x_j² / n − X̄²), W_i = Σ_j w_ij and W_i⁽²⁾ = Σ_j w_ij² (equal to W_i for binary
weights). z_i is the sum of the values around i (i included) in standard units of its distribution when values
are placed at random: large positive around high values (a hot spot), large negative around low ones (a cold
spot). S is computed as √(Σ (x_j − X̄)² / n), the same quantity without the cancellation. The p-value is
two-sided under the normal approximation, p_i = 2 P(Z ≥ |z_i|) = erfc(|z_i| / √2). The p-values are corrected
together for multiple comparisons, by Benjamini–Hochberg (the default; false-discovery rate; the same function
as ``Hotspots``) or Holm (family-wise error rate; adjusted p_(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j)) over
the m tested areas sorted by p). An area is a hot spot when z_i > 0 and its adjusted p-value is below
`significance` (default 0.05), a cold spot when z_i < 0 and the same holds, and not significant otherwise.

An island (an area with no neighbour but itself) has z_i = (x_i − X̄) / S, its own standardised value, which
says nothing about a cluster: its z and p are reported, but it is classified ``Classification/island`` and left
out of the correction (the ``Hotspots`` method is the test of a single area). An area whose neighbours are all
n areas (W_i = n, possible with a wide distance band) has no variance and is ``Classification/untested``.
With fewer than three areas or with all values equal there is no statistic at all:
``compute(values:weights:settings:)`` answers ``Outcome/notComputable(_:)`` with the reason, never NaN.

Matches `esda.G_Local(y, w, transform="B", star=True).Zs` (whose `p_norm` is the one-sided sf(|z|)) and
`statsmodels.stats.multitest.multipletests`; see `Tests/Reference/gi_star_reference.py`.

References: Getis, A. and Ord, J. K. (1992), The analysis of spatial association by use of distance statistics,
*Geographical Analysis* 24(3), 189–206; Ord, J. K. and Getis, A. (1995), Local spatial autocorrelation statistics:
distributional issues and an application, *Geographical Analysis* 27(4), 286–306; Benjamini, Y. and Hochberg, Y.
(1995), *JRSS B* 57(1), 289–300; Holm, S. (1979), *Scandinavian Journal of Statistics* 6(2), 65–70.
"""#),
        ("SpatialWeights", #"""
Binary spatial weights over a set of areas: for each area, the areas that count as its neighbours (w_ij = 1)
and, implicitly, all others (w_ij = 0). The weights of the local statistics (``GetisOrd``).

Method. Built from the areas' polygons in British National Grid metres (``CSPGeo`` projects WGS84 boundary
files to the grid when it reads them), by one of two criteria:
- **Queen contiguity**: two areas are neighbours when their boundaries share at least one vertex, two vertices
  counting as the same when they are at most `tolerance` metres apart (default 0.5 m). Vertices are found with a
  hash grid of cells `tolerance` wide: every vertex is snapped to its cell and compared only with the vertices of
  its own and the eight surrounding cells, so the work grows with the number of vertices, not with the square of
  the number of rings. As in PySAL (`libpysal.weights.Queen`, Rey & Anselin 2007), contiguity is by shared
  vertices: a vertex lying on another area's edge between two of that area's vertices (a T-junction) is not a
  contact. ONS boundary files are topologically clean (neighbours share their vertices exactly), and the
  tolerance also absorbs the rounding of files that were re-projected or re-saved.
- **Distance band**: two areas are neighbours when their centroids are at most `metres` apart (`≤`, as
  `libpysal.weights.DistanceBand`). The centroid is the area-weighted centroid of all the area's polygons, holes
  subtracted (the centroid of the region, as GEOS/shapely compute it), found with the same hash grid (cells
  `metres` wide).

An area with no neighbour (an island: a detached area in a contiguity layer, an outlying one in a distance band,
a feature without polygons) is kept and listed in ``islands`` rather than refused; the statistics decide what to
do with it. Self-weights are not stored: Gi* adds w_ii = 1 itself.

Storage is compressed sparse rows: the neighbours of area i are `neighbourIndices[offsets[i]..<offsets[i + 1]]`,
ascending, without i. Reference: Rey, S. J. and Anselin, L. (2007), PySAL: a Python library of spatial analytical
methods, *Review of Regional Studies* 37(1), 5–27.
"""#),
        ("Profile", #"""
The dominant group among victims or offenders, phrased like the assessment:
"White European males aged 10 - 29 years".

Method. Each dimension is judged on the records where it is known; unknowns (sex `U`, age band
`unknown`, an ethnicity in `unknownEthnicities`, by default "Not known", "Unknown" and blank) are left out of
that dimension's shares and reported. Ethnicity: the largest group is named when it holds at least
`ethnicityShare` (default 60%) of records with known ethnicity. Sex: the larger sex is named ("males",
"females") when it holds at least `sexShare` (default 60%) of records with known sex; otherwise the
phrase says "people". Age: among the ten-year bands 0-9 … 70-79, 80+, the shortest run of contiguous
bands whose records make up at least `ageShare` (default 50%) of records with a known band; among runs
of that length the one with most records, then the youngest. The phrase is
"<ethnicity> <sex> aged <lo> - <hi> years" ("aged 80 years and over" when the run ends at 80+), omitting
a part that is not dominant or has no known records, capitalised. The share covered is the number of
records matching every named part divided by the number of records known on every named part. Ties
between groups of equal size are broken by name (ethnicity) or females before males, so results are
stable.
"""#),
        ("SurveyIndicators", #"""
Place Survey national indicators from respondent-level answers: NI 17, NI 41, NI 42, NI 21, NI 27.

Method. Strand answers are scores: very big problem 3, fairly big 2, not very big 1, not a problem 0,
nil for don't know or blank. The seven strands are, in order: noisy neighbours or loud parties;
teenagers hanging around; rubbish or litter; vandalism, graffiti and deliberate damage; people using or
dealing drugs; people being drunk or rowdy; abandoned or burnt-out cars. NI 17 (perceptions of ASB):
the base is respondents who answered all seven strands on the four-point scale; a respondent has a high
perception when the total score is at least `highPerceptionThreshold` (default 11) of 21. NI 42 (drugs,
the 5th strand) and NI 41 (drunk or rowdy, the 6th): the base is respondents who answered that strand
on the scale; the indicator is the share answering very or fairly big problem (score 3 or 2). NI 21
(`q_deal_with_concerns`) and NI 27 (`q_understand_concerns`): the share answering strongly or tend to
agree; the base is respondents who gave an agreement answer — "neither" is in the base
(`includeNeitherInBase`, default true), "don't know" is not (`includeDontKnowInBase`, default false) and
a blank never is. Every share is weighted: value = 100 × Σ_{yes} w / Σ_{base} w. Respondents with a weight
that is not a positive finite number are left out of every base. Each indicator reports the unweighted
base n, the weighted base Σw, Kish's effective sample size n_eff = (Σw)² / Σw², and a confidence
interval (default 95%, z = 1.959964) by the Wilson score interval with p̂ the weighted share and n_eff
in place of n: (p̂ + z²/2n_eff ± z √(p̂(1 − p̂)/n_eff + z²/4n_eff²)) / (1 + z²/n_eff), in per cent.
"""#),
        ("DisclosurePolicy", #"""
Statistical disclosure control of everything the assessment publishes (tables, assessment.json, the report, its
maps and tooltips): which counts are withheld (`~`) or published as a band, and why no withheld count can be
worked out.

Method: complementary cell suppression, audited by alternative records (protection intervals, as in τ-ARGUS).
Primary suppression withholds every count of an area smaller than the partnership (2009 ward, 2008 ward, place;
the respondents behind a ward's survey indicator) from 1 to `threshold` − 1 (`privacy.suppress_below`); zero is
published. Withholding a cell withholds everything computed from its count: count, rate, expected count,
p-values, hotspot flag, map shading and tooltip (for a survey indicator: value, bases, interval); lists of areas
(hotspots, top areas) name only areas whose counts are published; a published area's Benjamini–Hochberg adjusted
p-value, which depends on every area's p-value, is withheld on its own where a withheld count could change it.
Figures for the whole partnership (period volumes, monthly series) are published.
The tables are linked views of the same records: a record counts in every theme it matches (burglary and
domestic burglary) and lies in one area of each layer (2009 ward, 2008 ward, place), so layer totals (which the
expected counts give), areas inside other areas and themes inside themes tie the cells together. Secondary
suppression protects each withheld cell against all of them at once: for every withheld cell there must be two
sets of records that give every published figure exactly as published and in which the cell differs by at least
`protection` (3), so that no reader can place it within ±1 whatever relations they combine (a theme with fewer
records than that in all can only be kept between 0 and its total). The two sets are built by moving records so
that only withheld cells change: a record keeps its themes and month and moves to another combination of areas
that occurs in the data, alone, swapped with a record of other themes, or in a chain through another area or
through "no place". When a withheld cell has no such pair, the further cells that open one with the least
information lost are withheld, as τ-ARGUS's cost functions choose them: the option whose dearest cell costs
least, then the least total cost, then the fewest cells (cost: the count plus one and at least the threshold plus
one, since a withheld zero must be protected too; hotspots and top areas only as a last resort), so that a large
count is never withheld where smaller ones protect as well; the search repeats until every withheld cell is
protected; then the cells withheld to protect others that no protection needs in the end are published again,
dearest first. Cells are taken in table order, so the result is reproducible. A large complement can be forced:
where an area's count is published and all but two of its sub-areas hold none (ward E05014409's shoplifting,
91 = 2 + 89 on the real archive), the small one can only be protected by the other or the area itself. In the
hotspot tables such a cell is coarsened, not withheld: a cell needed to protect others whose count is
`coarsenFrom` (20) or more is published as the narrowest run of whole tens that holds the count ± `protection`
(89 as "80 to 99", 36 as "30 to 39"), its rate as the rates of the band's ends, and its expected count, p-values
and flag as `~`. The alternatives of every protection must keep it inside its band, so the proof above holds as
it stands with the band as one more published figure, and a reader learns of the count only the band (at least 10
wide, at least `protection` either side of the count). The cost: a band does not rank (lists and map shading
leave it out, as they do a withheld count), and its p-value and flag are not shown; the report gives, per table,
the largest count withheld to protect others, which a band is not.
Getis–Ord Gi* of the LSOA layer is computed from the true counts, not from the published ones with withheld
counts imputed (which put false hot spots on the map wherever a large count was withheld), and published coarse:
z as a band (edges ±1.96, ±2.58, ±3.29), p and adjusted p as bands (0.001, 0.01, 0.05) and the class at 0.05.
Gi* is recomputed for both alternatives of every withheld count, and a figure either changes is withheld (`~`) on
its own; so every published Gi* figure holds in both alternatives (no protection is weakened) and every published
class is that of the true counts. The cost: z and p are bands, and an LSOA whose class a withheld count could
change shows `~` (on the real archive, 20 of the 66 true hot spots, mostly in the sparse themes).
Why this method: rounding (the OpenSAFELY practice of redacting counts of 7 or fewer and rounding the rest to the
nearest 5) would have to round every rate, expected count and p-value as well, since each gives its count back;
suppression keeps every published figure exact and withholds only the cells that put a small count at risk. The
alternative records are a proof, not a heuristic: a reader who knows every published figure, and which
combinations of themes and of areas records can have, cannot rule out either of them, so cannot narrow the cell
below their range.
"""#),
        ("MSGPosition", #"""
A partnership's position in its Home Office Most Similar Group (MSG) on a rate per 1,000 population.

Method. The group is the partnership plus the other members given; the MSG average is the unweighted
mean of all their rates (the partnership included, as the group's published average is). Position is
the rank of the partnership's rate among all members, 1 being the highest rate (most crime), with equal
rates sharing the best rank ("1 + number of members with a strictly higher rate"). The words compare the
rate with the mean using a relative tolerance (default ±5%): "Above MSG average" when
rate > mean × (1 + tolerance), "Below MSG average" when rate < mean × (1 − tolerance), otherwise
"In line with MSG average". With no other members, or no usable rate, the position is `*`
(data not available). Non-finite or negative rates of other members are ignored.
"""#),
        ("AssessMarker", #"""
The markers the assessment's tables print instead of a value.
"""#),
    ]
}
