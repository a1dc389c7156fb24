import CSPSchema
import CSPStorage
/// Statistical disclosure control of everything the assessment publishes (tables, assessment.json, the report, its
/// maps and tooltips): which counts are withheld (`~`) or published as a band, and why no withheld count can be
/// worked out.
///
/// Method: complementary cell suppression, audited by alternative records (protection intervals, as in τ-ARGUS).
/// Primary suppression withholds every count of an area smaller than the partnership (2009 ward, 2008 ward, place;
/// the respondents behind a ward's survey indicator) from 1 to `threshold` − 1 (`privacy.suppress_below`); zero is
/// published. Withholding a cell withholds everything computed from its count: count, rate, expected count,
/// p-values, hotspot flag, map shading and tooltip (for a survey indicator: value, bases, interval); lists of areas
/// (hotspots, top areas) name only areas whose counts are published; a published area's Benjamini–Hochberg adjusted
/// p-value, which depends on every area's p-value, is withheld on its own where a withheld count could change it.
/// Figures for the whole partnership (period volumes, monthly series) are published.
/// The tables are linked views of the same records: a record counts in every theme it matches (burglary and
/// domestic burglary) and lies in one area of each layer (2009 ward, 2008 ward, place), so layer totals (which the
/// expected counts give), areas inside other areas and themes inside themes tie the cells together. Secondary
/// suppression protects each withheld cell against all of them at once: for every withheld cell there must be two
/// sets of records that give every published figure exactly as published and in which the cell differs by at least
/// `protection` (3), so that no reader can place it within ±1 whatever relations they combine (a theme with fewer
/// records than that in all can only be kept between 0 and its total). The two sets are built by moving records so
/// that only withheld cells change: a record keeps its themes and month and moves to another combination of areas
/// that occurs in the data, alone, swapped with a record of other themes, or in a chain through another area or
/// through "no place". When a withheld cell has no such pair, the further cells that open one with the least
/// information lost are withheld, as τ-ARGUS's cost functions choose them: the option whose dearest cell costs
/// least, then the least total cost, then the fewest cells (cost: the count plus one and at least the threshold plus
/// one, since a withheld zero must be protected too; hotspots and top areas only as a last resort), so that a large
/// count is never withheld where smaller ones protect as well; the search repeats until every withheld cell is
/// protected; then the cells withheld to protect others that no protection needs in the end are published again,
/// dearest first. Cells are taken in table order, so the result is reproducible. A large complement can be forced:
/// where an area's count is published and all but two of its sub-areas hold none (ward E05014409's shoplifting,
/// 91 = 2 + 89 on the real archive), the small one can only be protected by the other or the area itself. In the
/// hotspot tables such a cell is coarsened, not withheld: a cell needed to protect others whose count is
/// `coarsenFrom` (20) or more is published as the narrowest run of whole tens that holds the count ± `protection`
/// (89 as "80 to 99", 36 as "30 to 39"), its rate as the rates of the band's ends, and its expected count, p-values
/// and flag as `~`. The alternatives of every protection must keep it inside its band, so the proof above holds as
/// it stands with the band as one more published figure, and a reader learns of the count only the band (at least 10
/// wide, at least `protection` either side of the count). The cost: a band does not rank (lists and map shading
/// leave it out, as they do a withheld count), and its p-value and flag are not shown; the report gives, per table,
/// the largest count withheld to protect others, which a band is not.
/// Getis–Ord Gi* of the LSOA layer is computed from the true counts, not from the published ones with withheld
/// counts imputed (which put false hot spots on the map wherever a large count was withheld), and published coarse:
/// z as a band (edges ±1.96, ±2.58, ±3.29), p and adjusted p as bands (0.001, 0.01, 0.05) and the class at 0.05.
/// Gi* is recomputed for both alternatives of every withheld count, and a figure either changes is withheld (`~`) on
/// its own; so every published Gi* figure holds in both alternatives (no protection is weakened) and every published
/// class is that of the true counts. The cost: z and p are bands, and an LSOA whose class a withheld count could
/// change shows `~` (on the real archive, 20 of the 66 true hot spots, mostly in the sparse themes).
/// Why this method: rounding (the OpenSAFELY practice of redacting counts of 7 or fewer and rounding the rest to the
/// nearest 5) would have to round every rate, expected count and p-value as well, since each gives its count back;
/// suppression keeps every published figure exact and withholds only the cells that put a small count at risk. The
/// alternative records are a proof, not a heuristic: a reader who knows every published figure, and which
/// combinations of themes and of areas records can have, cannot rule out either of them, so cannot narrow the cell
/// below their range.
public struct DisclosurePolicy: Sendable, Equatable {
    /// Counts from 1 to `threshold` − 1 are withheld (`privacy.suppress_below`). Default 5.
    public var threshold: Int
    /// Least distance between two values of a withheld cell that every published figure allows. Default 3.
    public var protection: Int
    /// In the hotspot tables, a count needed to protect others that is this or more is published as a band
    /// (``band(_:)``) instead of withheld. Default 20.
    public var coarsenFrom: Int

    /// A policy with the documented defaults unless given.
    public init(threshold: Int = 5, protection: Int = 3, coarsenFrom: Int = 20) {
        self.threshold = threshold
        self.protection = protection
        self.coarsenFrom = coarsenFrom
    }

    /// Whether a count is withheld for being small.
    public func isSmall(_ count: Int) -> Bool { count > 0 && count < threshold }

    /// What withholding a cell of `count` costs the reader: the count plus one, and no less than the threshold plus
    /// one, since a withheld zero must be protected too and that takes as many records as a small count.
    public func cost(of count: Int) -> Int { max(count, threshold) + 1 }

    /// The band a count needed as a complement is published as: the narrowest run of whole tens (10 to 19, 80 to 99) that
    /// holds every count within `protection` of it, so that each alternative of a protected cell (which moves the
    /// complement by at most the protection) keeps it inside the band, and the reader learns only that.
    public func band(_ count: Int) -> ClosedRange<Int> {
        let low = max(0, count - protection) / 10 * 10
        let high = (count + protection) / 10 * 10 + 9
        return low...high
    }

    /// Withholds the small cells of `tables` and the cells needed to protect them.
    /// - Parameters:
    ///   - totals: per layer, the areas whose sum is published for a class while any of their cells is published
    ///     (in the assessment, the areas with residents: their expected counts give that sum). Default: every area.
    ///   - cost: the cost of withholding a cell (default: ``cost(of:)`` of its count).
    ///   - disturbed: given new values of some withheld cells (cell → value) and which cells are withheld, the
    ///     published cells some figure of which would then differ from what is published (a rate, a p-value, a total
    ///     that gives the cell's layer back); empty when every published figure stays the same. Default: none, the
    ///     tables publish their non-withheld counts only.
    ///   - coarsenFrom: a cell needed to protect others whose count is this or more is published as a ``band(_:)``
    ///     instead of withheld (reason ``DisclosurePattern/Reason/coarsened``), and every alternative keeps it inside
    ///     the band. Default nil: every such cell is withheld.
    public func protect(_ tables: LinkedCounts, totals: [[Bool]]? = nil, cost: ((Int) -> Int)? = nil,
                        disturbed: (([Int: Int], [Bool]) -> [Int])? = nil, coarsenFrom: Int? = nil) -> DisclosurePattern {
        var search = ComplementarySearch(tables: tables, policy: self, totalAreas: totals, cost: cost, disturbed: disturbed ?? { _, _ in [] },
                                         coarsenFrom: coarsenFrom)
        return search.run()
    }
}
