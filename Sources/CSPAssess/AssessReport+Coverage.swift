import CSPCore
import CSPSchema
import CSPStorage
import Foundation

extension AssessReport {
    /// The report's coverage section: how the periods were chosen, every gap of the coverage calendar (missing,
    /// short and duplicated months, highlighted), the months each dataset leaves out of its trend, seasonality and
    /// period comparisons, and the inputs this partnership lacks (ward boundaries, population).
    struct CoverageNote {
        let calendar: CoverageCalendar?
        let missing: [String: Set<Month>]
        let anchorReason: String
        let noPopulation: Bool
        let noWards: Bool
        /// The months each theme dataset's data covers, and the periods applied to it.
        var covers: [String: DataCover] = [:]
        var periods: [PeriodDefinition] = []
        /// Each figure shown as `*` for want of an input, with the input it lacks (the report names it).
        var unavailable: [(figure: String, missing: String)] = []
        /// Wards with 0 residents among wards with residents (their rate and hotspot test are `*`), with stage 3's reason.
        var noResidents: [(name: String, note: String)] = []

        func html() -> String {
            var h = "<h2>Data coverage</h2><p>Periods: \(HTML.escape(anchorReason)).</p>"
            if let calendar {
                let months = Set(calendar.rows.map(\.month)).sorted()
                h += "<p>Coverage calendar: \(months.count) months (\(months.first ?? "") to \(months.last ?? "")), \(Set(calendar.rows.map(\.source)).count) sources; "
                let gaps = calendar.gaps
                if gaps.isEmpty {
                    h += "every month present.</p>"
                } else {
                    h += "\(gaps.count) gap(s):</p><table class=\"coverage\"><tr><th>source</th><th>force</th><th>month</th><th>status</th><th>rows</th><th>files</th></tr>"
                    for g in gaps {
                        h += "<tr><td>\(HTML.escape(g.source))</td><td>\(HTML.escape(g.force))</td><td>\(HTML.escape(g.month))</td>"
                        h += "<td class=\"gap-\(HTML.escape(g.status))\" style=\"background:\(g.status == "missing" ? "#f5b7b1" : "#fad7a0")\">\(HTML.escape(g.status))</td>"
                        h += "<td>\(g.rows)</td><td>\(HTML.escape(g.files.joined(separator: ", ")))</td></tr>"
                    }
                    h += "</table>"
                }
            }
            for (dataset, c) in covers.sorted(by: { $0.key < $1.key }) {
                let out = periods.compactMap { p in c.unavailable(p.name, from: Month(p.from), to: Month(p.to)).map { (p.name, $0) } }
                h += "<p><b>\(HTML.escape(dataset))</b>: data from \(c.first.text) to \(c.last.text)"
                // Periods counted on some of their months only (a current period at the start of the data, or across a gap).
                let partial = periods.compactMap { p -> String? in
                    let a = Month(p.from), b = Month(p.to), n = c.covered(a, b), length = b.index - a.index + 1
                    guard c.unavailable(p.name, from: a, to: b) == nil, n < length else { return nil }
                    return "\(p.name.replacingOccurrences(of: "_", with: " ")) counts \(n) of its \(length) months"
                }
                if !partial.isEmpty { h += "; " + HTML.escape(partial.joined(separator: "; ")) }
                let silent = c.gaps.subtracting(missing[dataset] ?? []).sorted()
                if !silent.isEmpty {
                    h += "; months whose export holds no record of it at all, left out as gaps (not zeros): " + HTML.escape(silent.map(\.text).joined(separator: ", "))
                }
                if out.isEmpty { h += "; every period is covered.</p>"; continue }
                h += ". Not available (<code>*</code>, and no comparison, trend word, tick or score is derived from them): "
                h += out.map { "\(HTML.escape($0.0.replacingOccurrences(of: "_", with: " "))), \(HTML.escape($0.1.words))" }.joined(separator: "; ") + ".</p>"
            }
            for (dataset, months) in missing.sorted(by: { $0.key < $1.key }) {
                h += "<p><b>\(HTML.escape(dataset))</b>: months with no export left out of trend, seasonality and period comparisons (not counted as no crime): \(HTML.escape(months.sorted().map(\.text).joined(separator: ", "))).</p>"
            }
            if !unavailable.isEmpty {
                h += "<p>What this data cannot answer (<code>*</code>), and the source that would:</p><ul>"
                for u in unavailable { h += "<li><b>\(HTML.escape(u.figure))</b>: \(HTML.escape(u.missing))</li>" }
                h += "</ul>"
            }
            if noWards { h += "<p>This partnership has no wards in the warehouse's areas: hotspots by ward are not available (<code>*</code>).</p>" }
            else if noPopulation { h += "<p>No population is at hand for this partnership's wards: rates per 1,000 residents and MSG positions are not available (<code>*</code>), and hotspots are tested on counts alone.</p>" }
            if !noResidents.isEmpty {
                // Grouped by reason: the national pipeline's are all "0 residents by best fit (...)".
                var reasons: [String] = []
                for r in noResidents where !reasons.contains(r.note) { reasons.append(r.note) }
                h += "<p>\(noResidents.count) of this partnership's wards have 0 residents: their rate per 1,000 and hotspot test are not available (<code>*</code>); the other wards are tested against their share of the residents, and the partnership's rate uses all its residents.</p><ul>"
                for reason in reasons {
                    let names = noResidents.filter { $0.note == reason }.map(\.name)
                    h += "<li>\(HTML.escape(names.joined(separator: ", "))): \(HTML.escape(reason.isEmpty ? "0 in the population table" : reason))</li>"
                }
                h += "</ul>"
            }
            return h
        }
    }
}
