import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// The periods an assessment uses, and the months it leaves out.
///
/// The 2009 document's scheme, anchored on a month A: `current` = the six months ending with A; `previous_year` =
/// the same six months a year earlier; `previous_six_months` = the six before `current`; `twelve_months` = the twelve
/// ending with A; `previous_twelve_months` = the twelve before those. A period the pipeline fixes (`periods:`) keeps
/// its dates. A is `periods.as_of` (`--set as_of=YYYY-MM`) when given, else the latest complete month of the coverage
/// calendar (a month for which no source is missing or short), else the latest month with records.
struct AssessPeriods {
    /// The scheme: first and last month of each period as offsets from the anchor month.
    static let scheme: [(name: String, first: Int, last: Int)] = [
        ("current", -5, 0), ("previous_year", -17, -12), ("previous_six_months", -11, -6),
        ("twelve_months", -11, 0), ("previous_twelve_months", -23, -12),
    ]

    /// The periods, the scheme's in order (fixed or derived), then any other period the pipeline names.
    let periods: [PeriodDefinition]
    /// The anchor month, when periods were derived.
    let anchor: Month?
    /// How the anchor was chosen, for the report.
    let anchorReason: String

    init(fixed: [PeriodDefinition], asOf: Day?, coverage: CoverageCalendar?, monthsWithData: [Month]) {
        var anchor: Month?
        var reason = ""
        let needed = Self.scheme.contains { s in !fixed.contains { $0.name == s.name } }
        if needed {
            if let asOf {
                anchor = Month(asOf); reason = "periods.as_of \(Month(asOf).text)"
            } else if let coverage, !coverage.rows.isEmpty {
                let incomplete = Set(coverage.rows.filter { $0.status == "missing" || $0.status == "short" }.map(\.month))
                anchor = coverage.rows.map(\.month).filter { !incomplete.contains($0) }.compactMap(Month.init).max()
                reason = "the latest complete month of the coverage calendar"
            }
            if anchor == nil, let last = monthsWithData.max() {
                anchor = last; reason = "the latest month with records"
            }
        }
        var out: [PeriodDefinition] = []
        for s in Self.scheme {
            if let f = fixed.first(where: { $0.name == s.name }) { out.append(f); continue }
            guard let a = anchor else { continue }
            let first = Month(index: a.index + s.first), last = Month(index: a.index + s.last)
            out.append(PeriodDefinition(name: s.name, from: Day(year: first.year, month: first.month, day: 1)!,
                                        to: Day(year: last.year, month: last.month, day: Day.daysIn(month: last.month, year: last.year))!))
        }
        out += fixed.filter { f in !Self.scheme.contains { $0.name == f.name } }
        periods = out
        self.anchor = needed ? anchor : nil
        anchorReason = needed ? reason : "fixed in the pipeline"
    }

    /// `{"current": {"from": ..., "to": ...}, ...}` for assessment.json.
    var json: [String: Any] {
        var out: [String: Any] = [:]
        for p in periods { out[p.name] = ["from": p.from.description, "to": p.to.description] }
        return out
    }

    /// The months of each dataset that have no export (status `missing` in the coverage calendar for a source whose
    /// files the dataset's rows come from). Trend, seasonality and period comparisons leave them out.
    static func missingMonths(coverage: CoverageCalendar?, datasetFiles: [String: Set<String>]) -> [String: Set<Month>] {
        guard let coverage else { return [:] }
        var filesBySource: [String: Set<String>] = [:]
        for r in coverage.rows { filesBySource[r.source, default: []].formUnion(r.files) }
        var out: [String: Set<Month>] = [:]
        for (dataset, files) in datasetFiles {
            let sources = Set(filesBySource.filter { !$0.value.isDisjoint(with: files) }.map(\.key))
            let months = Set(coverage.rows.filter { sources.contains($0.source) && $0.status == "missing" }.compactMap { Month($0.month) })
            if !months.isEmpty { out[dataset] = months }
        }
        return out
    }
}
