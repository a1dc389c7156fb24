import CSPCore
import CSPSchema
import CSPStorage
import Foundation

extension AssessReport {
    /// The outcomes section: per theme, the twelve-month volume beside the shares of its crimes by latest outcome
    /// (the performance measure: what became of the crimes), from `tables/outcomes.csv`.
    func outcomesSection(_ o: AssessOutcomes) -> String {
        var h = "<h2 id=\"outcomes\">Outcomes: what became of the crimes</h2>"
        h += "<p>Volume says how much crime there was; outcomes say what the partnership's police achieved with it. For the crimes of each "
            + "theme committed from \(HTML.escape(o.from)) to \(HTML.escape(o.to)) (the twelve-month period), the share whose latest outcome "
            + "by \(HTML.escape(o.to)) is in each group (data.police.uk outcomes files, joined to the crimes by Crime ID; when a crime has "
            + "several outcomes in its latest month, the one furthest along the justice process counts). Recent crimes have had less time "
            + "to reach an outcome, so \"No outcome yet\" is larger for them. Anti-social behaviour incidents have no Crime ID: not applicable. "
            + "<code>~</code> = withheld (DisclosurePolicy). Source: tables/outcomes.csv.</p>"
        if let c = outcomesCover {
            h += "<p>Outcome files cover \(c.first.text) to \(c.last.text)."
            if let end = Month(o.to), c.last < end {
                h += " They end before the crimes' period does (\(HTML.escape(o.to))): outcomes recorded after \(c.last.text) are not in them, "
                    + "so the crimes of \(Month(index: c.last.index + 1).text) onwards show no outcome yet, and the shares understate what became of them."
            }
            h += "</p>"
        }
        var rows = [["Theme", "Crimes (12 months)"] + o.mapping.groups.map { $0.name + " %" }]
        for (i, t) in o.themes.enumerated() {
            guard let k = o.crimeThemes.firstIndex(of: i) else {
                rows.append([t.name, themes.first { $0.theme.id == t.id }?.volumes["twelve_months"].map(String.init) ?? AssessMarker.notAvailable]
                            + o.mapping.groups.map { _ in AssessOutcomes.notApplicable })
                continue
            }
            rows.append([t.name, String(o.total(k))] + o.mapping.groups.indices.map { g in
                o.published(k, g).map { AssessFormat.fixed($0.share, 1) } ?? AssessMarker.suppressed
            })
        }
        h += table(rows)
        if !o.unmapped.isEmpty {
            h += "<p>Outcome texts not in the outcome_groups reference file, counted as Other: \(HTML.escape(o.unmapped.sorted().joined(separator: "; "))).</p>"
        }
        return h
    }

    /// The stop-and-search section: volume, trend and period comparisons, the monthly series, and the breakdowns of
    /// the twelve-month period (from `tables/stop-search.csv` and `tables/stop-search-months.csv`).
    func stopSearchSection(_ s: StopSearchSummary) -> String {
        let a = s.assessment
        var h = "<h2 id=\"stop-and-search\">Stop and search</h2>"
        h += "<p>Searches of people and vehicles by the police (data.police.uk). The people counted are people searched: a search is "
            + "not an offence and says nothing of guilt. Breakdowns cover \(HTML.escape(s.from)) to \(HTML.escape(s.to)); a blank value "
            + "is \"Not recorded\". <code>~</code> = withheld (DisclosurePolicy, the breakdowns protected together). "
            + "Source: tables/stop-search.csv, tables/stop-search-months.csv.</p><dl>"
        let facts: [(String, String)] = [
            ("Searches (12 months)", String(s.total)),
            ("Per 1,000 residents", s.rate.map { AssessFormat.fixed($0, 2) + " (residents: sum of the ward populations in the warehouse)" }
                ?? "* (no population for the partnership's wards in the warehouse)"),
            ("Outcome linked to the object of search", s.linkedShare.map { AssessFormat.fixed($0, 1) + "% of searches" } ?? AssessMarker.suppressed),
            ("Trend", a.trendPhrase + (a.trend?.fit.map { String(format: " (fitted %+.1f%% a year, %@)", 100 * $0.annualChange, AssessFormat.pText($0.pValue)) } ?? "")),
            ("Periods", s.anchorReason.isEmpty ? "as the themes'" : s.anchorReason),
            ("Performance: current period", perf(a.performance, a.notCovered("current", "previous_year"))),
            ("Performance: 12 months", perf(a.performance12, a.notCovered("twelve_months", "previous_twelve_months"))),
        ]
        for (k, v) in facts { h += "<dt>\(HTML.escape(k))</dt><dd>\(HTML.escape(v))</dd>" }
        h += "</dl><div class=\"charts\"><figure>\(seriesChart(a))<figcaption>Searches a month (solid) and fitted Poisson trend (dashed)</figcaption></figure></div>"
        if let d = s.disparity {
            h += "<p>Rates per 1,000 residents by age range or sex are not given (<code>*</code>): the warehouse holds residents by "
                + "area and by ethnic group only, and no denominator is invented. Rates by ethnicity follow.</p>"
            h += disparitySection(s, d)
        } else {
            h += "<p>Rates per 1,000 residents by age range, sex or ethnicity are not given (<code>*</code>): the warehouse holds residents "
                + "per area only, not by age, sex or ethnicity, and no denominator is invented.</p>"
        }
        for (d, dim) in s.dimensions.enumerated() {
            var rows = [[dim.title, "Searches", "% of searches"]]
            for (c, cat) in dim.categories.enumerated() {
                let n = s.count(d, c)
                rows.append([cat, n.map(String.init) ?? AssessMarker.suppressed,
                             n.map { s.total > 0 ? AssessFormat.fixed(100 * Double($0) / Double(s.total), 1) : AssessMarker.notAvailable } ?? AssessMarker.suppressed])
            }
            h += table(rows, caption: dim.title)
        }
        return h
    }
}
