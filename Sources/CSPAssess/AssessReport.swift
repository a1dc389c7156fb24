import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, no external files) showing the
/// scanning table, the threat/risk matrix, the survey indicators, a profile per theme with its monthly series,
/// fitted trend and seasonal profile, and the methods text.
struct AssessReport {
    let pipeline: PipelineDefinition
    let runID: String
    let themes: [ThemeAssessment]
    let indicators: [[String]]
    let files: [(String, [[String]])]
    /// The area counts as published (hotspot lists and the ward map go through it).
    let areas: AreaDisclosure
    /// The disclosure policy the tables went through, and per table: cells, withheld as small, withheld to protect them.
    var disclosure = DisclosurePolicy()
    var withheld: [(table: String, cells: Int, primary: Int, secondary: Int, largestComplement: Int)] = []
    /// The ward map's outlines, when the pipeline has a ward layer.
    var wardMap: AssessWardMap? = nil
    /// The LSOA map's outlines, when the pipeline has a 2021 LSOA layer.
    var lsoaMap: AssessWardMap? = nil
    /// The executive summary, at the top.
    var summary: AssessSummary? = nil
    /// The months the data has and lacks, and what the assessment could not do for want of an input.
    var coverage: CoverageNote? = nil
    /// Outcomes of each crime theme's crimes (twelve months), when the warehouse has outcomes.
    var outcomes: AssessOutcomes? = nil
    /// The months the outcomes files cover (their section says so, and when they end before the crimes' period).
    var outcomesCover: DataCover? = nil
    /// Stop and search, when the warehouse has it.
    var stopSearch: StopSearchSummary? = nil
    /// Gi* of the LSOA rates, when the pipeline has 2021 LSOA outlines.
    var clusters: AssessClusters? = nil
    /// The ward of each 2021 LSOA, to name LSOAs in the profiles.
    var lsoaWards: [String: String] = [:]
    /// Named places from the records, when the geography has no place layer.
    var places: AssessPlaces? = nil


    func table(_ rows: [[String]], caption: String? = nil) -> String {
        guard let head = rows.first else { return "" }
        var h = "<table>"
        if let caption { h += "<caption>\(HTML.escape(caption))</caption>" }
        h += "<thead><tr>" + head.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for r in rows.dropFirst() { h += "<tr>" + r.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" }
        return h + "</tbody></table>"
    }

    /// Monthly counts (bars-less polyline) with the fitted trend (dashed).
    func seriesChart(_ t: ThemeAssessment) -> String {
        guard let first = t.firstMonth, t.series.count > 1 else { return "<p class=\"na\">No monthly series (*).</p>" }
        let w = 560.0, h = 180.0, left = 40.0, bottom = 24.0, top = 10.0
        let fitted = t.trend?.fit?.fitted ?? []
        let maxY = max(1, Double((t.series.max() ?? 1)), fitted.max() ?? 0) * 1.1
        let n = Double(t.series.count - 1)
        func x(_ i: Int) -> Double { left + (w - left - 10) * Double(i) / n }
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - v / maxY) }
        let pts = t.series.enumerated().map { String(format: "%.1f,%.1f", x($0.offset), y(Double($0.element))) }.joined(separator: " ")
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"Monthly counts of \(HTML.escape(t.theme.name))\">"
        svg += String(format: "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"axis\"/>", left, h - bottom, w - 10, h - bottom)
        svg += String(format: "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"axis\"/>", left, top, left, h - bottom)
        svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"end\">%d</text>", left - 4, y(maxY / 1.1) + 4, Int((maxY / 1.1).rounded()))
        svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"end\">0</text>", left - 4, h - bottom + 4)
        for i in 0..<t.series.count where Month(index: first.index + i).month == 1 {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">%d</text>", x(i), h - 6, Month(index: first.index + i).year)
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"tick\"/>", x(i), h - bottom, x(i), h - bottom + 4)
        }
        svg += "<polyline class=\"series\" points=\"\(pts)\"/>"
        if fitted.count == t.series.count {
            let fp = fitted.enumerated().map { String(format: "%.1f,%.1f", x($0.offset), y($0.element)) }.joined(separator: " ")
            svg += "<polyline class=\"fit\" points=\"\(fp)\"/>"
        }
        return svg + "</svg>"
    }

    /// Seasonal indices, one bar per season, with the line at 1.
    func seasonChart(_ t: ThemeAssessment) -> String {
        guard let s = t.seasonality, s.sufficientData else { return "<p class=\"na\">Too few months for seasonality (*).</p>" }
        let w = 240.0, h = 180.0, bottom = 24.0, top = 10.0
        let maxI = max(1.5, (s.seasons.compactMap(\.index).max() ?? 1) * 1.1)
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - v / maxI) }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"Seasonal indices of \(HTML.escape(t.theme.name))\">"
        for (i, f) in s.seasons.enumerated() {
            let v = f.index ?? 0
            let x = 20 + Double(i) * 55
            let peak = s.peaks.joined().contains(f.season)
            svg += String(format: "<rect x=\"%.0f\" y=\"%.1f\" width=\"40\" height=\"%.1f\" class=\"%@\"/>", x, y(v), y(0) - y(v), peak ? "bar peak" : "bar")
            svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">%@</text>", x + 20, h - 8, f.season.name)
            svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">%.2f</text>", x + 20, y(v) - 3, v)
        }
        svg += String(format: "<line x1=\"10\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"one\"/>", y(1), w - 5, y(1))
        return svg + "</svg>"
    }

    /// A period comparison in words ("Increasing volume (412 → 455, 10.4%, p = 0.0321)"); `*` without one, followed
    /// by why when a period is one the data does not cover.
    func perf(_ c: VolumeChange?, _ notCovered: String? = nil) -> String {
        guard let c else { return AssessMarker.notAvailable + (notCovered.map { " (\($0))" } ?? "") }
        return "\(c.direction.phrase) (\(c.previous) → \(c.current), \(AssessFormat.fixed(c.percentChange, 1))%, \(AssessFormat.pText(c.pValue)))"
    }

    func profile(_ t: ThemeAssessment) -> String {
        let ward = areas.layer(t.theme.id, "ward")
        let hot = ward.map { $0.hotspots.isEmpty ? "No ward significantly above expectation" : $0.hotspots.prefix(5).joined(separator: ", ") } ?? AssessMarker.notAvailable
        let placeLayer = areas.layer(t.theme.id, "place")
        let named: [AssessPlaces.Place]? = placeLayer == nil ? self.places?.top(t.theme.id) : nil
        func listed(_ list: [AssessPlaces.Place]) -> String { list.map { "\(AssessPlaces.label($0)): \($0.count)" }.joined(separator: "; ") }
        let places: String
        let placeHotspots: String
        if let named {
            places = named.isEmpty ? "None with \(disclosure.threshold) or more" : listed(named)
            if let inHot = self.places?.inHotspots(t.theme.id) {
                placeHotspots = inHot.isEmpty ? "None (no hotspot ward, or no place in one with \(disclosure.threshold) or more)" : listed(inHot)
            } else {
                placeHotspots = AssessMarker.notAvailable
            }
        } else {
            places = placeLayer.map { $0.topWithEvents(3).joined(separator: ", ") } ?? ""
            placeHotspots = placeLayer.map { $0.hotspots.isEmpty ? "None" : $0.hotspots.prefix(5).joined(separator: ", ") } ?? AssessMarker.notAvailable
        }
        let rows: [(String, String)] = [
            ("Trend", t.trendPhrase + (t.trend?.fit.map { String(format: " (fitted %+.1f%% a year, %@)", 100 * $0.annualChange, AssessFormat.pText($0.pValue)) } ?? "")),
            ("Performance: current period", perf(t.performance, t.notCovered("current", "previous_year"))),
            ("Performance: previous six months", perf(t.performance6, t.notCovered("current", "previous_six_months"))),
            ("Performance: 12 months", perf(t.performance12, t.notCovered("twelve_months", "previous_twelve_months"))),
        ] + (outcomes.flatMap { o in themes.firstIndex { $0.theme.id == t.theme.id }.map { [("Outcomes (12 months)", o.phrase(themeIndex: $0))] } } ?? []) + [
            ("Public perception", t.perceptionPhrase),
            ("MSG", t.msg.map { m in "\(m.comparison.phrase) (\(AssessFormat.fixed(m.rate, 2)) per 1,000; MSG average \(AssessFormat.fixed(m.groupMean, 2)); position \(m.position.map(String.init) ?? "*") of \(m.groupSize))" } ?? AssessMarker.notAvailable),
            ("Seasonality", t.seasonalityPhrase),
            ("Hotspots (wards)", hot),
        ] + lsoaRows(t) + [
            ("Hotspots (2008 wards)", areas.layer(t.theme.id, "ward08").map { $0.hotspots.isEmpty ? "None" : $0.hotspots.prefix(5).joined(separator: ", ") } ?? AssessMarker.notAvailable),
            (named != nil ? "Top places in hotspot wards" : "Hotspots (places)", placeHotspots),
            ("Top places by count", places.isEmpty ? AssessMarker.notAvailable : places),
            ("Victims", t.victims?.phrase ?? AssessMarker.notAvailable),
            ("Offenders", t.offenders?.phrase ?? AssessMarker.notAvailable),
        ]
        var h = "<section class=\"theme\" id=\"\(HTML.escape(t.theme.id))\"><h3>\(HTML.escape(t.theme.name))</h3><dl>"
        for (k, v) in rows { h += "<dt>\(HTML.escape(k))</dt><dd>\(HTML.escape(v))</dd>" }
        h += "</dl><div class=\"charts\"><figure>\(seriesChart(t))<figcaption>Monthly count (solid) and fitted Poisson trend (dashed)</figcaption></figure>"
        h += "<figure>\(seasonChart(t))<figcaption>Seasonal index (observed ÷ expected; peaks shaded)</figcaption></figure>"
        if let map = wardMap, let ward {
            let residents = pipeline.geography?.population?.label.map { " (residents: \(HTML.escape($0)))" } ?? ""
            h += "<figure>\(map.svg(ward))<figcaption>Rate per 1,000 residents\(residents) by ward, last 12 months (quintiles of the published rates, darker is higher; withheld grey; hotspots outlined red; the three highest rates named)</figcaption></figure>"
        }
        if let map = lsoaMap, let lsoa = areas.layer(t.theme.id, AssessClusters.layer) {
            let hot = Set((clusters?.cells[t.theme.id] ?? [:]).filter { $0.value[3] == GetisOrd.Classification.hotSpot.phrase }.keys)
            h += "<figure>\(map.svg(lsoa, outlined: hot, outlineMeaning: "Gi* hot spot", labelled: 0))<figcaption>Rate per 1,000 residents by 2021 LSOA, last 12 months (quintiles; Getis–Ord Gi* hot spots outlined red)</figcaption></figure>"
        }
        h += "</div></section>"
        return h
    }

    /// The LSOA lines of a theme's profile: Gi* hot spots and LSOAs above their expected count, when the layer exists.
    func lsoaRows(_ t: ThemeAssessment) -> [(String, String)] {
        guard let lsoa = areas.layer(t.theme.id, AssessClusters.layer) else { return [] }
        let gi: String
        if let why = clusters?.notComputable[t.theme.id] {
            gi = "* (\(why))"
        } else if let names = clusters?.hotSpots(theme: t.theme.id, layer: lsoa, wards: lsoaWards) {
            gi = names.isEmpty ? "None significant" : names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        } else {
            gi = AssessMarker.notAvailable
        }
        let excess = lsoa.byCount.filter(\.isHotspot).map { row in lsoaWards[row.code].map { "\(row.name) (\($0))" } ?? row.name }
        return [("Hot spots (LSOAs, Gi*)", gi),
                ("LSOAs above expectation", excess.isEmpty ? "None significant" : excess.prefix(5).joined(separator: ", ") + (excess.count > 5 ? " and \(excess.count - 5) more" : ""))]
    }

    func html() -> String {
        let css = """
        body{font-family:Georgia,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
        h1,h2,h3{font-family:Helvetica,Arial,sans-serif;color:#1d3f6e} table{border-collapse:collapse;margin:1em 0;font-size:.85em}
        th,td{border:1px solid #bbb;padding:3px 6px;text-align:left} th{background:#e8eef6} caption{text-align:left;font-weight:bold}
        dl{display:grid;grid-template-columns:14em 1fr;gap:2px 1em} dt{font-weight:bold} dd{margin:0}
        .charts{display:flex;gap:1em;flex-wrap:wrap} figure{margin:0} figcaption{font-size:.8em;color:#555}
        .series{fill:none;stroke:#1d3f6e;stroke-width:1.5} .fit{fill:none;stroke:#c0392b;stroke-width:1.5;stroke-dasharray:5 3}
        .axis,.tick{stroke:#888} .lbl{font:10px sans-serif;fill:#444} .bar{fill:#9db4d3} .peak{fill:#c0392b} .one{stroke:#444;stroke-dasharray:2 2}
        .theme{border-top:1px solid #ccc;padding-top:.5em} .maplbl{font:bold 9px sans-serif;fill:#111;stroke:#fff;stroke-width:2.5px;paint-order:stroke;text-anchor:middle}
        .map,.chart{max-width:100%;height:auto} @page{size:A4;margin:14mm} @media print{.theme{break-inside:avoid-page} body{max-width:none;margin:0}}
        @media (max-width:640px){dl{grid-template-columns:1fr} dd{margin-bottom:.5em} table{display:block;overflow-x:auto} body{margin:1em auto}} pre{white-space:pre-wrap;font-size:.85em;background:#f6f6f6;padding:.6em} .na{color:#777}
        """
        var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>\(HTML.escape(pipeline.area.name)) strategic assessment</title><style>\(css)</style></head><body>"
        h += wardMap?.definitions ?? ""
        h += lsoaMap?.definitions ?? ""
        h += "<h1>\(HTML.escape(pipeline.area.name)) Community Safety Partnership: strategic assessment</h1>"
        // A period no theme's data covers is marked so (the Data coverage section says why).
        let uncovered = Set(themes.flatMap(\.unavailablePeriods.keys)).filter { p in themes.allSatisfy { $0.unavailablePeriods[p] != nil } }
        let periodText = pipeline.periods.map { "\($0.name): \($0.from) to \($0.to)" + (uncovered.contains($0.name) ? " (*: not in the data)" : "") }.joined(separator: "; ")
        h += "<p>Pipeline <code>\(HTML.escape(pipeline.name))</code>, run <code>\(HTML.escape(runID))</code>. Periods: \(HTML.escape(periodText)). "
        h += "<code>*</code> = data not available; <code>~</code> = withheld (fewer than \(pipeline.privacy.suppressBelow), or withheld so that no "
            + "withheld count can be worked out from the published figures; see Methods, DisclosurePolicy).</p>"
        h += summary?.html() ?? ""
        h += coverage?.html() ?? ""
        h += "<nav><b>Themes:</b> " + themes.map { "<a href=\"#\($0.theme.id)\">\(HTML.escape($0.theme.name))</a>" }.joined(separator: " · ")
        if outcomes != nil { h += " · <a href=\"#outcomes\">Outcomes</a>" }
        if stopSearch != nil { h += " · <a href=\"#stop-and-search\">Stop and search</a>" }
        h += "</nav>"
        if let scan = files.first(where: { $0.0 == "tables/priority-scanning.csv" }) { h += "<h2>Priority scanning</h2>" + table(scan.1) }
        if let m = files.first(where: { $0.0 == "tables/threat-risk-matrix.csv" }) { h += "<h2>Threat/risk matrix</h2>" + table(m.1) }
        if let outcomes { h += outcomesSection(outcomes) }
        if let stopSearch { h += stopSearchSection(stopSearch) }
        // Without survey answers the table would be a header alone: say so instead.
        let whole = indicators.filter { $0[0] == "indicator" || $0[1] == pipeline.area.laCode }
        h += "<h2>Place Survey indicators</h2>" + (whole.count > 1 ? table(whole, caption: "Whole area (by ward in tables/indicators.csv)")
            : "<p><code>*</code>: no Place Survey source (respondent-level answers) in this run, so no indicator is given.</p>")
        h += "<h2>Theme profiles</h2>" + themes.map(profile).joined()
        h += "<h2>Methods</h2><p>Scoring of the scanning table and the matrix, and the data choices of the stage, are documented with the tables (tables/*.csv). The statistical methods, quoted from their documentation:</p>"
        for m in AssessMethodsText.all { h += "<h3>\(HTML.escape(m.name))</h3><pre>\(HTML.escape(m.text))</pre>" }
        h += "<h3>Disclosure in this run</h3><p>Counts from 1 to \(disclosure.threshold - 1) are withheld (threshold \(disclosure.threshold), "
            + "<code>privacy.suppress_below</code>); every withheld count has two sets of records consistent with every published figure "
            + "that differ in it by at least \(disclosure.protection) (DisclosurePolicy above). \(areas.adjustedCount) published areas of "
            + "tables/hotspots.csv show their adjusted p-value as <code>~</code>: a withheld count could change it."
            + (areas.coarsened.cells > 0 ? " \(areas.coarsened.cells) counts of tables/hotspots.csv needed to protect others are "
                + "\(disclosure.coarsenFrom) or more and published as a band instead of withheld (the largest \(areas.coarsened.largest))." : "")
            + "</p>"
        h += table([["table", "cells", "withheld", "small counts", "withheld to protect them", "largest count withheld to protect them"]]
            + withheld.map { [$0.table, String($0.cells), String($0.primary + $0.secondary), String($0.primary), String($0.secondary),
                              $0.secondary > 0 ? String($0.largestComplement) : "none"] })
        h += "<h3>Scoring</h3><pre>\(HTML.escape(AssessReport.scoringText))</pre>"
        return h + "</body></html>\n"
    }

    static let scoringText = """
    Priority scanning: High Volume = 12-month count in the top third of themes with a 12-month count; MSG performance = above the MSG average;
    Increasing trend = Poisson trend Increasing (24 months with data or more) or 12-month volume change Increasing (both twelve-month periods inside the data);
    Community/SNT Priority = named by at least one SNT area; every other column is this partnership's own judgement (its judgement_columns and
    judgements files; * where it has not judged). Total = number of ticks, (*) when a column is not available.
    Threat/risk matrix: Volume 3/2/1 by third of 12-month count; MSG 3 above, 2 in line, 1 below; Trend 3 increasing, 2 stable, 1 decreasing;
    Community concern 1 (no SNT area), 2 (one or two), 3 (three or more); the judged columns from the partnership's judgements.
    Total = sum, (*) when a score is not available; rank 1 = highest total.
    Periods apply by month. A comparison period (previous year, previous six months, previous twelve months) is used only when it lies wholly
    inside the data and at least half its months have data; otherwise it and every comparison, word, tick and score from it are *.
    Series start at the first month holding at least half the dataset's median monthly count and end with the current period.
    Hotspots, profiles and MSG rates use the twelve_months period; victims and offenders are linked to the theme's crimes on crime_ref.
    MSG rate = 12-month count per 1,000 residents (sum of ward populations; one partnership of a national run: its own residents, the sum of its LSOAs).
    """
}
