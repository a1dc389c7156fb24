import CSPSchema
import CSPStorage
import Foundation

/// Hotspot areas of one area layer (wards, estates, town centres…): counts, rates per 1,000 residents,
/// a test of excess over expectation, and the top areas by count and by rate.
///
/// Method. For an area with a resident population P_i > 0 the rate is 1,000 × count / P_i and the expected
/// count is E_i = C × P_i / ΣP, where C and ΣP are the total count and total population of the layer's
/// populated areas (the count it would have at the layer's average rate). An area without residents
/// (a town centre, an industrial estate) has no rate; when its size A_i (any unit, e.g. hectares) is given,
/// E_i = D × A_i with D the layer's mean density (total count over total size of all areas that have a
/// size); without a size it is not tested and is flagged `untested`. Each tested area gets the one-sided
/// exact Poisson p-value P(X ≥ observed | X ~ Poisson(E_i)). The p-values of all tested areas are corrected
/// for multiple comparisons, by Benjamini–Hochberg (the default; false-discovery rate, adjusted
/// p_(k) = min_{j ≥ k} m·p_(j)/j over the m tested areas sorted by p) or Bonferroni (min(1, m·p)). An area
/// is a hotspot when its adjusted p-value is below `significance` (default 0.05) AND its count is at least
/// `minimumCount` (default 10), so a small ward with three crimes is never a hotspot however few residents
/// it has. Areas are also ranked: the top `topN` (default 5) by count (all areas) and by rate (populated
/// areas only); ties are broken by name.
public struct Hotspots: Sendable, Equatable {
    /// An area's input figures.
    public struct Area: Sendable, Equatable {
        /// Name shown in the assessment.
        public var name: String
        /// Count of events in the area.
        public var count: Int
        /// Resident population; nil or 0 for places without residents.
        public var population: Int?
        /// Size (any unit used consistently in the layer); used only for areas without residents.
        public var size: Double?

        /// An area's figures.
        public init(name: String, count: Int, population: Int? = nil, size: Double? = nil) {
            self.name = name
            self.count = count
            self.population = population
            self.size = size
        }
    }

    /// Correction for testing many areas at once.
    public enum Correction: String, Sendable, Equatable {
        /// Benjamini–Hochberg step-up adjustment (controls the false-discovery rate).
        case benjaminiHochberg
        /// Bonferroni: p × number of tested areas, capped at 1 (controls the family-wise error rate).
        case bonferroni
    }

    /// What an area's expected count was based on.
    public enum Basis: String, Sendable, Equatable {
        /// Its share of the layer's resident population.
        case population
        /// Its size at the layer's mean density (no residents).
        case size
        /// Neither residents nor size: ranked by count only, not tested.
        case untested
    }

    /// Settings of the hotspot method, with the documented defaults.
    public struct Settings: Sendable, Equatable {
        /// Level the adjusted p-value must be below. Default 0.05.
        public var significance: Double
        /// Multiple-comparison correction. Default Benjamini–Hochberg.
        public var correction: Correction
        /// Fewest events a hotspot may have. Default 10.
        public var minimumCount: Int
        /// Length of the top lists. Default 5.
        public var topN: Int

        /// Settings with the documented defaults unless given.
        public init(significance: Double = 0.05, correction: Correction = .benjaminiHochberg, minimumCount: Int = 10, topN: Int = 5) {
            self.significance = significance
            self.correction = correction
            self.minimumCount = minimumCount
            self.topN = topN
        }
    }

    /// One area's result.
    public struct AreaResult: Sendable, Equatable {
        /// Area name.
        public let name: String
        /// Observed count.
        public let count: Int
        /// Resident population, when there is one.
        public let population: Int?
        /// Rate per 1,000 residents; nil without residents.
        public let ratePer1000: Double?
        /// Expected count; nil when untested.
        public let expected: Double?
        /// How the expected count was obtained.
        public let basis: Basis
        /// P(X ≥ count | expected); nil when untested.
        public let pValue: Double?
        /// p-value after the multiple-comparison correction; nil when untested.
        public let adjustedPValue: Double?
        /// Significant after correction and at least the minimum count.
        public let isHotspot: Bool
    }

    /// Every area, in input order.
    public let areas: [AreaResult]
    /// Names of the hotspots, largest count first (ties by name).
    public let hotspots: [String]
    /// Names of the top areas by count.
    public let topByCount: [String]
    /// Names of the top populated areas by rate per 1,000.
    public let topByRate: [String]

    /// Assesses one layer's `areas`.
    public init(areas input: [Area], settings: Settings = Settings()) {
        let populated = input.filter { ($0.population ?? 0) > 0 }
        let popCount = Double(populated.reduce(0) { $0 + max(0, $1.count) })
        let popTotal = Double(populated.reduce(0) { $0 + ($1.population ?? 0) })
        let sized = input.filter { ($0.size ?? 0) > 0 }
        let sizeTotal = sized.reduce(0.0) { $0 + ($1.size ?? 0) }
        let density = sizeTotal > 0 ? Double(sized.reduce(0) { $0 + max(0, $1.count) }) / sizeTotal : 0

        var expected: [Double?] = []
        var basis: [Basis] = []
        var raw: [Double?] = []
        for a in input {
            let count = max(0, a.count)
            if let p = a.population, p > 0 {
                let e = popCount * Double(p) / popTotal
                expected.append(e)
                basis.append(.population)
                raw.append(Distributions.poissonUpperTail(atLeast: count, mean: e))
            } else if let s = a.size, s > 0 {
                let e = density * s
                expected.append(e)
                basis.append(.size)
                raw.append(Distributions.poissonUpperTail(atLeast: count, mean: e))
            } else {
                expected.append(nil)
                basis.append(.untested)
                raw.append(nil)
            }
        }
        let adjusted = Hotspots.adjust(raw, correction: settings.correction)
        var results: [AreaResult] = []
        for (i, a) in input.enumerated() {
            let count = max(0, a.count)
            let rate = (a.population ?? 0) > 0 ? 1000 * Double(count) / Double(a.population!) : nil
            let hot = (adjusted[i].map { $0 < settings.significance } ?? false) && count >= settings.minimumCount
            results.append(AreaResult(name: a.name, count: count, population: (a.population ?? 0) > 0 ? a.population : nil,
                                      ratePer1000: rate, expected: expected[i], basis: basis[i], pValue: raw[i],
                                      adjustedPValue: adjusted[i], isHotspot: hot))
        }
        areas = results
        let byCount = results.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        hotspots = byCount.filter(\.isHotspot).map(\.name)
        topByCount = byCount.prefix(max(0, settings.topN)).map(\.name)
        topByRate = results.filter { $0.ratePer1000 != nil }
            .sorted { $0.ratePer1000! != $1.ratePer1000! ? $0.ratePer1000! > $1.ratePer1000! : $0.name < $1.name }
            .prefix(max(0, settings.topN)).map(\.name)
    }

    /// Adjusts the non-nil p-values together; nil entries (untested areas) stay nil.
    static func adjust(_ p: [Double?], correction: Correction) -> [Double?] {
        let tested = p.indices.filter { p[$0] != nil }
        let m = Double(tested.count)
        var out = [Double?](repeating: nil, count: p.count)
        switch correction {
        case .bonferroni:
            for i in tested { out[i] = min(1, p[i]! * m) }
        case .benjaminiHochberg:
            let order = tested.sorted { p[$0]! != p[$1]! ? p[$0]! < p[$1]! : $0 < $1 }
            var running = 1.0
            for (rank, i) in order.enumerated().reversed() {
                running = min(running, p[i]! * m / Double(rank + 1))
                out[i] = min(1, running)
            }
        }
        return out
    }
}
