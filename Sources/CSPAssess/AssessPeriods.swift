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
/// calendar for the sources the anchor is taken from (a month for which none of them is missing or short: the
/// themes anchor on the sources their datasets' rows come from, stop and search on its own), else the latest month
/// with records. Whether each period can be assessed on the data is ``DataCover``'s rule.
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

    /// `sources`: the coverage calendar's sources the anchor is taken from (nil: every source).
    init(fixed: [PeriodDefinition], asOf: Day?, coverage: CoverageCalendar?, sources: Set<String>? = nil, monthsWithData: [Month]) {
        var anchor: Month?
        var reason = ""
        let needed = Self.scheme.contains { s in !fixed.contains { $0.name == s.name } }
        if needed {
            if let asOf {
                anchor = Month(asOf); reason = "periods.as_of \(Month(asOf).text)"
            } else if let coverage, case let rows = coverage.rows.filter({ sources?.contains($0.source) ?? true }), !rows.isEmpty {
                let incomplete = Set(rows.filter { $0.status == "missing" || $0.status == "short" }.map(\.month))
                anchor = rows.map(\.month).filter { !incomplete.contains($0) }.compactMap(Month.init).max()
                let named = Set(rows.map(\.source)).sorted()
                reason = "the latest complete month of the coverage calendar" + (sources == nil ? "" : " for \(named.map { "`\($0)`" }.joined(separator: ", "))")
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
        anchorReason = needed ? (anchor.map { "anchored on \($0.text), " } ?? "") + reason : "fixed in the pipeline"
    }

    /// `{"current": {"from": ..., "to": ...}, ...}` for assessment.json.
    var json: [String: Any] {
        var out: [String: Any] = [:]
        for p in periods { out[p.name] = ["from": p.from.description, "to": p.to.description] }
        return out
    }

    /// The sources of the coverage calendar that each dataset's rows come from (by the files they name).
    static func sources(coverage: CoverageCalendar, datasetFiles: [String: Set<String>]) -> [String: Set<String>] {
        var filesBySource: [String: Set<String>] = [:]
        for r in coverage.rows { filesBySource[r.source, default: []].formUnion(r.files) }
        return datasetFiles.mapValues { files in Set(filesBySource.filter { !$0.value.isDisjoint(with: files) }.map(\.key)) }
    }

    /// The months of each dataset that have no export (status `missing` in the coverage calendar for a source whose
    /// files the dataset's rows come from). Trend, seasonality and period comparisons leave them out.
    static func missingMonths(coverage: CoverageCalendar?, datasetFiles: [String: Set<String>]) -> [String: Set<Month>] {
        guard let coverage else { return [:] }
        var out: [String: Set<Month>] = [:]
        for (dataset, sources) in Self.sources(coverage: coverage, datasetFiles: datasetFiles) {
            let months = Set(coverage.rows.filter { sources.contains($0.source) && $0.status == "missing" }.compactMap { Month($0.month) })
            if !months.isEmpty { out[dataset] = months }
        }
        return out
    }
}
