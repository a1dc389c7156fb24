import CSPCore
import Foundation

/// The executive summary at the top of the report and in `assessment.json` (`summary`), written from the published
/// tables as the 2009 document's summary is: the themes the threat/risk matrix ranks highest, what rose and fell
/// significantly, where the highest-ranked themes' hotspots are (wards, and the places most recorded in them), stop
/// and search (volume, most common object, share with an outcome linked to it), and what the data cannot say.
///
/// Every sentence is made from one row of one published table (`tables/<file>.csv`, `row` = the 1-based data row,
/// the header not counted) or, for what the data cannot say, names the column shown as `*`. Nothing in it is
/// computed afresh: a reader can check each sentence against its row, and it can give away nothing the tables do
/// not already publish (withheld cells stay `~`).
struct AssessSummary {
    /// One sentence and where it comes from.
    struct Sentence: Equatable {
        let text: String
        /// `tables/<file>.csv`.
        let table: String
        /// 1-based data row of that table; nil when the sentence is about a column.
        let row: Int?
        /// The column the sentence quotes, when one.
        let column: String?

        var json: [String: Any] {
            var o: [String: Any] = ["text": text, "table": table, "row": row.map { $0 as Any } ?? NSNull()]
            if let column { o["column"] = column }
            return o
        }
    }

    let sentences: [Sentence]

    /// How many of the matrix's highest-ranked themes the summary names.
    static let ranked = 3

    /// The summary of the tables `files` (name → rows, header first) and the figures no input answers.
    static func make(files: [(String, [[String]])], unavailable: [(figure: String, missing: String)]) -> AssessSummary {
        var out: [Sentence] = []
        let matrixName = "tables/threat-risk-matrix.csv", profilesName = "tables/theme-profiles.csv"
        let matrix = Table(files.first { $0.0 == matrixName }?.1)
        let profiles = Table(files.first { $0.0 == profilesName }?.1)

        // The themes ranked highest by the matrix (rank 1 first; ties keep the table's order).
        var top: [String] = []
        if let m = matrix {
            let ranked = m.rows.indices.compactMap { i -> (Int, Int)? in Int(m.value(i, "Rank") ?? "").map { (i, $0) } }
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(ranked)
            for (i, rank) in ranked {
                let theme = m.value(i, "theme") ?? "", total = m.value(i, "Total") ?? "*"
                let partial = total.contains("*") ? ", with some of its scores not available" : ""
                out.append(Sentence(text: "\(theme) is ranked \(ordinal(rank)) by the threat/risk matrix (total \(total.replacingOccurrences(of: " (*)", with: ""))\(partial)).",
                                    table: matrixName, row: i + 1, column: nil))
                top.append(theme)
            }
        }

        if let p = profiles {
            // What rose and fell significantly: the current period against the same period a year earlier, then the
            // latest twelve months against the twelve before.
            for (words, change, now, before, pValue, when) in [
                ("performance_current", "percent_change", "volume_current", "volume_previous_year", "p_current", "in the current period against the same period a year earlier"),
                ("performance_12m", "percent_change_12m", "volume_twelve_months", "volume_previous_twelve_months", "p_12m", "in the latest twelve months against the twelve before"),
            ] {
                for i in p.rows.indices {
                    let w = p.value(i, words)
                    let rose = w == VolumeChange.Direction.increasing.phrase
                    guard rose || w == VolumeChange.Direction.decreasing.phrase else { continue }
                    let theme = p.value(i, "theme") ?? "", percent = p.value(i, change) ?? "*"
                    let verb = rose ? "rose" : "fell"
                    let size = percent.hasPrefix("-") ? String(percent.dropFirst()) : percent
                    let pv = p.value(i, pValue) ?? "*", pText = pv.hasPrefix("<") ? "p < \(pv.dropFirst())" : "p = \(pv)"
                    out.append(Sentence(text: "\(theme) \(verb) \(size)% (\(p.value(i, now) ?? "*") against \(p.value(i, before) ?? "*")) \(when) (\(pText)).",
                                        table: profilesName, row: i + 1, column: words))
                }
            }
            // Where the highest-ranked themes' hotspots are.
            for theme in top {
                guard let i = p.rows.indices.first(where: { p.value($0, "theme") == theme }), let wards = p.value(i, "ward_hotspots") else { continue }
                let text: String
                switch wards {
                case "*": continue
                case "", "None": text = "\(theme): no ward is a significant hotspot over the last twelve months."
                default: text = "\(theme) hotspot wards over the last twelve months: \(wards.replacingOccurrences(of: "; ", with: ", "))."
                }
                out.append(Sentence(text: text, table: profilesName, row: i + 1, column: "ward_hotspots"))
                // The places most recorded inside them ("On or near …"), where the table names some.
                if let places = p.value(i, "place_hotspots"), !["*", "", "None"].contains(places) {
                    out.append(Sentence(text: "\(theme): the places with the most records in its hotspot wards were \(places.replacingOccurrences(of: "; ", with: ", ")).",
                                        table: profilesName, row: i + 1, column: "place_hotspots"))
                }
            }
        }

        // Stop and search: the volume, and the most common object of search.
        let searchName = "tables/stop-search.csv"
        if let s = Table(files.first { $0.0 == searchName }?.1) {
            if let i = s.rows.indices.first(where: { s.value($0, "breakdown") == "all" }), let n = s.value(i, "count"), n != "0" {
                let rate = s.value(i, "rate_per_1000_residents").flatMap { $0 == AssessMarker.notAvailable ? nil : $0 }
                out.append(Sentence(text: "Police recorded \(n) stop and searches from \(s.value(i, "period_from") ?? "*") to \(s.value(i, "period_to") ?? "*")"
                                    + (rate.map { " (\($0) per 1,000 residents)" } ?? "") + ".", table: searchName, row: i + 1, column: "count"))
            }
            let objects = s.rows.indices.filter { s.value($0, "breakdown") == "object_of_search" && Int(s.value($0, "count") ?? "") != nil }
            if let i = objects.max(by: { Int(s.value($0, "count")!)! < Int(s.value($1, "count")!)! }) {
                out.append(Sentence(text: "The most common object of search was \(s.value(i, "category") ?? "*") (\(s.value(i, "share_percent") ?? "*")% of searches).",
                                    table: searchName, row: i + 1, column: "share_percent"))
            }
            if let i = s.rows.indices.first(where: { s.value($0, "breakdown") == "outcome_linked" && s.value($0, "category") == StopSearchSummary.label("outcome_linked", "1") }),
               let share = s.value(i, "share_percent"), share != AssessMarker.suppressed {
                out.append(Sentence(text: "\(share)% of searches ended with an outcome linked to the object of search.", table: searchName, row: i + 1, column: "share_percent"))
            }
        }

        // What the data cannot say, in one sentence (the report's Data coverage section names the source that would).
        if !unavailable.isEmpty {
            let figures = unavailable.map(\.figure)
            out.append(Sentence(text: "These data cannot say: \(figures.joined(separator: "; ")) (shown as *; the sources that would are listed under Data coverage).",
                                table: "tables/priority-scanning.csv", row: nil, column: figures.joined(separator: "; ")))
        }
        return AssessSummary(sentences: out)
    }

    /// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `12th`, `13th`, `21st`.
    static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        if (11...13).contains(tens) { return "\(n)th" }
        switch n % 10 {
        case 1: return "\(n)st"
        case 2: return "\(n)nd"
        case 3: return "\(n)rd"
        default: return "\(n)th"
        }
    }

    /// `assessment.json`'s `summary`.
    var json: [[String: Any]] { sentences.map(\.json) }

    /// The report's summary section: each sentence with the table (and row) it comes from.
    func html() -> String {
        guard !sentences.isEmpty else { return "" }
        var h = "<section id=\"summary\"><h2>Executive summary</h2><ul>"
        for s in sentences {
            let source = s.table + (s.row.map { ", row \($0)" } ?? "") + (s.row == nil ? s.column.map { ", column \($0)" } ?? "" : "")
            h += "<li>\(HTML.escape(s.text)) <small class=\"na\">(\(HTML.escape(source)))</small></li>"
        }
        return h + "</ul></section>"
    }

    /// A published table by column name.
    struct Table {
        let header: [String]
        let rows: [[String]]

        init?(_ rows: [[String]]?) {
            guard let rows, let header = rows.first else { return nil }
            self.header = header
            self.rows = Array(rows.dropFirst())
        }

        func value(_ row: Int, _ column: String) -> String? {
            guard let c = header.firstIndex(of: column), c < rows[row].count else { return nil }
            return rows[row][c]
        }
    }
}
