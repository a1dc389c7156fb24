import CSPCore
import Foundation

/// The months a dataset's data covers, and whether a period can be assessed on them.
///
/// Rule. A dataset's **span** runs from the first to the last month in which one of the sources its rows come from
/// has an export (coverage calendar rows whose status is not `missing`); without a coverage calendar (exports that
/// name no month), from the first to the last month holding a record. Months inside the span with no export
/// (`missing`) are its **gaps**: they count as unknown, never as zero. So is a month whose export holds no record of
/// the dataset at all while the dataset's median month holds 20 or more (the source left the category out).
/// - A **comparison period** (`previous_year`, `previous_six_months`, `previous_twelve_months`) is available only
///   when it lies wholly inside the span and at least half of its months (``minimumCoveredShare``) are not gaps.
/// - Any other period (`current`, `twelve_months`, a period the pipeline fixes) is available when at least one of its
///   months is inside the span and not a gap; its volume counts those months, and where it has fewer than all of its
///   months the report says how many.
/// - A period that is not available has no volume (`*`), and no comparison, sentence, word, tick or score is
///   derived from it; the footnote names the first month of data.
///
/// A comparison's rate per month uses each period's months with data as its length (``VolumeChange``).
struct DataCover: Equatable {
    /// Comparison periods: they must lie wholly inside the data.
    static let comparisonPeriods: Set<String> = ["previous_year", "previous_six_months", "previous_twelve_months"]
    /// A month with a file but no record of a dataset whose median month has at least this many is a gap.
    static let silentMonthMinimum = 20
    /// Least share of a comparison period's months that must have data.
    static let minimumCoveredShare = 0.5

    /// First month of data.
    let first: Month
    /// Last month of data.
    let last: Month
    /// Months inside the span with no export.
    let gaps: Set<Month>

    /// Why a period cannot be assessed.
    enum Unavailable: Equatable {
        /// The period starts before the first month of data or ends after the last.
        case outside(first: Month, last: Month)
        /// Fewer than the required share of its months have data.
        case thin(covered: Int, of: Int)
        /// None of its months has data.
        case empty

        /// A footnote's words.
        var words: String {
            switch self {
            case let .outside(first, last): "not wholly inside the data, whose first month is \(first.text) and last \(last.text)"
            case let .thin(covered, of): "only \(covered) of its \(of) months have data"
            case .empty: "no month of it has data"
            }
        }
    }

    /// The months of `from...to` with data (inside the span, not a gap).
    func covered(_ from: Month, _ to: Month) -> Int {
        let a = max(from.index, first.index), b = min(to.index, last.index)
        guard a <= b else { return 0 }
        return (a...b).filter { !gaps.contains(Month(index: $0)) }.count
    }

    /// Whether the period `name` (`from...to`) can be assessed: nil when it can, else why not.
    func unavailable(_ name: String, from: Month, to: Month) -> Unavailable? {
        let length = to.index - from.index + 1
        let n = covered(from, to)
        if Self.comparisonPeriods.contains(name) {
            if from < first || to > last { return .outside(first: first, last: last) }
            if Double(n) < Self.minimumCoveredShare * Double(length) { return n == 0 ? .empty : .thin(covered: n, of: length) }
            return nil
        }
        return n == 0 ? (from > last || to < first ? .outside(first: first, last: last) : .empty) : nil
    }

    /// Each dataset's cover: from the coverage calendar through the sources its rows come from, else from its months
    /// with records.
    static func make(coverage: CoverageCalendar?, datasetFiles: [String: Set<String>], monthly: [String: [String: Int]]) -> [String: DataCover] {
        var out: [String: DataCover] = [:]
        let sources = coverage.map { AssessPeriods.sources(coverage: $0, datasetFiles: datasetFiles) } ?? [:]
        for (dataset, counts) in monthly {
            if let coverage, let own = sources[dataset], !own.isEmpty {
                let rows = coverage.rows.filter { own.contains($0.source) }
                let present = Set(rows.filter { $0.status != "missing" }.compactMap { Month($0.month) })
                guard let f = present.min(), let l = present.max() else { continue }
                // A month missing for any of them is a gap (as for the series: ``AssessPeriods/missingMonths``).
                var gaps = Set(rows.filter { $0.status == "missing" }.compactMap { Month($0.month) }).filter { $0 >= f && $0 <= l }
                // So is a month whose file holds no record of the dataset at all while its median month holds
                // ``silentMonthMinimum`` or more: the source left the category out (City of London Police's 2017-05
                // street file has no anti-social behaviour row), it did not record none.
                let withRecords = present.filter { !gaps.contains($0) }.map { counts[$0.text] ?? 0 }.sorted()
                if !withRecords.isEmpty, withRecords[withRecords.count / 2] >= Self.silentMonthMinimum {
                    gaps.formUnion(present.filter { (counts[$0.text] ?? 0) == 0 })
                }
                out[dataset] = DataCover(first: f, last: l, gaps: gaps)
            } else {
                let months = counts.filter { $0.value > 0 }.keys.compactMap(Month.init)
                guard let f = months.min(), let l = months.max() else { continue }
                out[dataset] = DataCover(first: f, last: l, gaps: [])
            }
        }
        return out
    }
}
