import CSPSchema
import CSPStorage
import Foundation

/// Seasonal pattern of a monthly count series: seasonal indices per meteorological season and per
/// calendar month, a test, and the assessment's words ("Summer peaks", "Autumn/winter peaks",
/// "No seasonality", or `*` for too few months).
///
/// Method. Needs at least `minimumMonths` consecutive months (default 24, so every calendar month occurs
/// at least twice). The trend is removed first: the log-linear Poisson trend log μ_t = a + b·t (no seasonal
/// terms) is fitted by maximum likelihood, and μ̂_t is each month's expected count without seasonality
/// (with no trend μ̂_t is the overall monthly mean; with an intercept Σ μ̂_t = Σ y_t). The index of a
/// season (spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb) is O_s / E_s, its observed
/// total over the expected total Σ μ̂_t of the months it covers; the index of a calendar month is the same
/// ratio over the occurrences of that month. For a flat series this is the mean month count over the
/// overall monthly mean. The test is Pearson's χ² = Σ_s (O_s − E_s)² / E_s over the seasons, with (number
/// of seasons) − 1 degrees of freedom. Peaks are the seasons whose index exceeds `peakThreshold`
/// (default 1.1); adjacent peak seasons (spring–summer–autumn–winter–spring, cyclically) are named
/// together as one peak, e.g. "Autumn/winter"; separate peaks are listed by their highest index. The words
/// are "<peaks> peaks" (for example "Summer peaks", "Autumn and spring peaks") when p < `significance`
/// (default 0.05) and at least one season exceeds the threshold, and "No seasonality" otherwise, including
/// for a series with no events.
public struct Seasonality: Sendable, Equatable {
    /// A meteorological season.
    public enum Season: Int, Sendable, Equatable, CaseIterable, Comparable {
        /// March, April, May.
        case spring = 0
        /// June, July, August.
        case summer
        /// September, October, November.
        case autumn
        /// December, January, February.
        case winter

        /// The season a calendar month (1 = January … 12 = December) falls in.
        public init(month: Int) {
            switch ((month - 1) % 12 + 12) % 12 + 1 {
            case 3, 4, 5: self = .spring
            case 6, 7, 8: self = .summer
            case 9, 10, 11: self = .autumn
            default: self = .winter
            }
        }

        /// Capitalised name, as in the assessment ("Summer").
        public var name: String {
            switch self {
            case .spring: "Spring"
            case .summer: "Summer"
            case .autumn: "Autumn"
            case .winter: "Winter"
            }
        }

        /// Orders seasons spring, summer, autumn, winter.
        public static func < (a: Season, b: Season) -> Bool { a.rawValue < b.rawValue }
    }

    /// Settings of the seasonality method, with the documented defaults.
    public struct Settings: Sendable, Equatable {
        /// Level below which the χ² p-value counts as seasonal. Default 0.05.
        public var significance: Double
        /// Index a season must exceed to be a peak. Default 1.1.
        public var peakThreshold: Double
        /// Fewest months the method will assess. Default 24.
        public var minimumMonths: Int

        /// Settings with the documented defaults unless given.
        public init(significance: Double = 0.05, peakThreshold: Double = 1.1, minimumMonths: Int = 24) {
            self.significance = significance
            self.peakThreshold = peakThreshold
            self.minimumMonths = minimumMonths
        }
    }

    /// Observed and expected totals of one season, and its index.
    public struct SeasonFigures: Sendable, Equatable {
        /// The season.
        public let season: Season
        /// Observed total O_s.
        public let observed: Int
        /// Expected total E_s under trend without seasonality.
        public let expected: Double
        /// O_s / E_s; nil when E_s is 0.
        public let index: Double?
    }

    /// Number of months given.
    public let months: Int
    /// False when there were fewer than `minimumMonths` months (everything else is then empty).
    public let sufficientData: Bool
    /// The four seasons, spring first.
    public let seasons: [SeasonFigures]
    /// Index of each calendar month, January first (12 entries; nil when its expected total is 0).
    public let monthIndices: [Double?]
    /// Pearson χ² of season totals.
    public let chiSquare: Double
    /// Degrees of freedom of the test.
    public let degreesOfFreedom: Int
    /// p-value of the test (1 when there is nothing to test).
    public let pValue: Double
    /// The peaks: groups of adjacent seasons, each in calendar order, highest index first. Empty when "No seasonality".
    public let peaks: [[Season]]

    /// Peak names as the assessment lists them ("Summer", "Autumn/winter").
    public var labels: [String] {
        peaks.map { group in
            group.enumerated().map { $0.offset == 0 ? $0.element.name : $0.element.name.lowercased() }.joined(separator: "/")
        }
    }

    /// The assessment's wording: "Summer peaks", "Autumn/winter peaks", "Autumn and spring peaks",
    /// "No seasonality", or `*` when there were too few months.
    public var phrase: String {
        guard sufficientData else { return AssessMarker.notAvailable }
        let l = labels
        guard !l.isEmpty else { return "No seasonality" }
        let joined = l.enumerated().map { $0.offset == 0 ? $0.element : $0.element.lowercased() }
        return (joined.count <= 2 ? joined.joined(separator: " and ")
            : joined.dropLast().joined(separator: ", ") + " and " + joined.last!) + " peaks"
    }

    /// Assesses `counts` (consecutive months, oldest first) whose first month is calendar month `firstMonth`
    /// (1 = January … 12 = December).
    /// `missing` holds the indices of months with no data: left out of the trend, the indices and the test (not zeros).
    public init(counts: [Int], firstMonth: Int = 1, missing: Set<Int> = [], settings: Settings = Settings()) {
        let missing = missing.filter { counts.indices.contains($0) }
        months = counts.count - missing.count
        guard months >= max(12, settings.minimumMonths) else {
            sufficientData = false
            seasons = []
            monthIndices = []
            chiSquare = 0
            degreesOfFreedom = 0
            pValue = 1
            peaks = []
            return
        }
        sufficientData = true
        let y = counts.map { Double(max(0, $0)) }
        let centre = Double(y.count - 1) / 2
        let kept = y.indices.filter { !missing.contains($0) }
        var expected = [Double](repeating: 0, count: y.count)
        if kept.allSatisfy({ y[$0] == 0 }) {
            expected = y
        } else if let trend = PoissonRegression.fit(y: kept.map { y[$0] }, design: kept.map { [1, Double($0) - centre] }) {
            for (k, i) in kept.enumerated() { expected[i] = trend.fitted[k] }
        } else {
            let mean = kept.reduce(0) { $0 + y[$1] } / Double(kept.count)
            for i in kept { expected[i] = mean }
        }
        let calendar = (0..<y.count).map { ((firstMonth - 1 + $0) % 12 + 12) % 12 + 1 }
        var obsMonth = [Double](repeating: 0, count: 12)
        var expMonth = [Double](repeating: 0, count: 12)
        var obsSeason = [Double](repeating: 0, count: 4)
        var expSeason = [Double](repeating: 0, count: 4)
        for i in kept {
            obsMonth[calendar[i] - 1] += y[i]
            expMonth[calendar[i] - 1] += expected[i]
            let s = Season(month: calendar[i]).rawValue
            obsSeason[s] += y[i]
            expSeason[s] += expected[i]
        }
        monthIndices = (0..<12).map { expMonth[$0] > 0 ? obsMonth[$0] / expMonth[$0] : nil }
        let figures = Season.allCases.map { s in
            SeasonFigures(season: s, observed: Int(obsSeason[s.rawValue]), expected: expSeason[s.rawValue],
                          index: expSeason[s.rawValue] > 0 ? obsSeason[s.rawValue] / expSeason[s.rawValue] : nil)
        }
        seasons = figures
        let tested = figures.filter { $0.expected > 0 }
        let chi = tested.reduce(0.0) { $0 + (Double($1.observed) - $1.expected) * (Double($1.observed) - $1.expected) / $1.expected }
        chiSquare = chi
        degreesOfFreedom = max(0, tested.count - 1)
        let p = Distributions.chiSquareSurvival(chi, degreesOfFreedom: degreesOfFreedom)
        pValue = p
        let high = Set(figures.filter { ($0.index ?? 0) > settings.peakThreshold }.map(\.season))
        guard p < settings.significance, !high.isEmpty else {
            peaks = []
            return
        }
        peaks = Seasonality.group(high, index: { figures[$0.rawValue].index ?? 0 })
    }

    /// Groups peak seasons into runs of cyclically adjacent seasons, each run in calendar order starting
    /// after a non-peak season; runs ordered by their highest index (ties by calendar order).
    static func group(_ high: Set<Season>, index: (Season) -> Double) -> [[Season]] {
        let all = Season.allCases
        if high.count == all.count { return [all] }
        var runs: [[Season]] = []
        // Start just after a season that is not a peak, so a run never wraps in the middle.
        let start = all.firstIndex { !high.contains($0) }!
        var current: [Season] = []
        for k in 1...all.count {
            let s = all[(start + k) % all.count]
            if high.contains(s) {
                current.append(s)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.enumerated().sorted { a, b in
            let ia = a.element.map(index).max() ?? 0
            let ib = b.element.map(index).max() ?? 0
            return ia != ib ? ia > ib : a.offset < b.offset
        }.map(\.element)
    }
}
