import CSPTestSupport
import CSPCore
@testable import CSPStorage
import Foundation
import GRDB
@testable import CSPAssess

/// The attack on a run's published assessment, as a reader with the outputs and the geography would make it: every
/// published count of `hotspots.csv`; each theme's twelve-month total (`theme-profiles.csv`, `assessment.json`); each
/// layer's total from the published expected counts (E = C × P / ΣP, populations published); any rate, p-value or
/// flag shown for a withheld area, and every rate in the report's ward maps (rate × population ÷ 1000 gives the count
/// back); the area lists of the tables and `assessment.json`; and the ward bases of `indicators.csv` with the whole
/// area's. The structure the reader is assumed to know: which combinations of themes a record can have and which
/// combinations of 2009 ward, 2008 ward and place it can lie in (those that occur in the data of the twelve months,
/// the tightest a reader could assume), so that areas inside areas, layers and themes inside themes all tie the cells
/// together (``AttackModel``). Everything is put into one ``IntervalPropagation``; a withheld count whose interval is
/// 2 wide or less has come back within ±1.
struct PublishedOutputAttack {
    /// A withheld cell and what the attack could narrow it to.
    struct Finding: CustomStringConvertible {
        let table: String
        let theme: String
        let area: String
        let value: Int
        let interval: ClosedRange<Int>
        var description: String { "\(table) \(theme) \(area) = \(value): \(interval)" }
    }

    /// Per table (hotspots.csv by layer, indicators.csv): cells, withheld, withheld for being small.
    private(set) var counts: [(table: String, cells: Int, withheld: Int, small: Int)] = []
    /// Withheld counts the attack brings back within ±1.
    private(set) var recovered: [Finding] = []
    /// Withheld counts whose true value lies outside the attack's interval (the model would be wrong).
    private(set) var unsound: [Finding] = []
    /// Figures that show something of a withheld count directly (a rate, a shade, a name in a list).
    private(set) var leaks: [String] = []
    /// Withheld cells attacked.
    private(set) var attacked = 0
    /// Published rows of `hotspots.csv` whose adjusted p-value alone is withheld.
    private(set) var adjustedWithheld = 0
    /// Published Gi* figures that are not those of the true counts (an artefact hot spot would be one).
    private(set) var giStarWrong: [String] = []
    /// Withheld cells whose true count is not small (complements): theme id, layer as published, area code, count.
    private(set) var complements: [(theme: String, layer: String, code: String, count: Int)] = []
    /// Counts published as a band (complements coarsened instead of withheld): theme id, layer, area code, true count,
    /// band.
    private(set) var coarsened: [(theme: String, layer: String, code: String, count: Int, band: ClosedRange<Int>)] = []
    /// Configurations the Gi* attack tried.
    private(set) var giStarTried = 0
    /// Withheld LSOA counts the published Gi* figures narrow below the protection (see `checkGiStar`).
    private(set) var giStarRecovered: [String] = []

    /// Attacks the published outputs in `folder` (a run's `05-assess`) of `pipeline`, whose warehouse is `warehouse`.
    /// With `smallOnly`, the counts withheld to protect others are taken as published (their true values): the attack
    /// on the small counts alone, as the tables withheld them before the policy.
    /// With `reveal`, the withheld cells and bands it names (theme id, layer as published, area code) are taken as
    /// published exactly: the attack with one complement published, to show that it is needed. With `giStar` false the Gi* columns are
    /// not checked (faster, for such repeated attacks).
    init(folder: String, warehouse path: String, pipeline: PipelineDefinition, smallOnly: Bool = false,
         reveal: Set<[String]> = [], giStar: Bool = true) throws {
        let threshold = pipeline.privacy.suppressBelow
        let hot = StageTestSupport.csvRows(folder + "/tables/hotspots.csv")
        let header = hot[0]
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let profiles = StageTestSupport.csvRows(folder + "/tables/theme-profiles.csv")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/assessment.json"))) as! [String: Any]
        let html = StageTestSupport.read(folder + "/report.html")

        // The published rows per theme and layer, in order.
        var rows: [String: [String: [[String]]]] = [:]
        var layerOrder: [String] = []
        for r in hot.dropFirst() {
            if r[col("count")] != "~" && r[col("adjusted_p")] == "~" { adjustedWithheld += 1 }
            rows[r[col("theme_id")], default: [:]][r[col("layer")], default: []].append(r)
            if !layerOrder.contains(r[col("layer")]) { layerOrder.append(r[col("layer")]) }
        }
        var tableCounts: [String: (Int, Int, Int)] = [:]
        // The true LSOA counts and the attack's intervals of the withheld ones, per theme and code, for the Gi* check.
        var lsoaTruth: [String: [String: Int]] = [:]
        var lsoaIntervals: [String: [String: ClosedRange<Int>]] = [:]

        // Lists must name published areas only: names withheld per theme and layer.
        var withheldNames: [[String]: Set<String>] = [:]
        for (theme, layers) in rows {
            // A count published as a band does not rank either.
            for (layer, list) in layers { for r in list where r[col("count")] == "~" || Self.band(r[col("count")]) != nil { withheldNames[[theme, layer], default: []].insert(r[col("area")]) } }
        }
        let listLayers = ["ward_hotspots": "ward", "top_wards": "ward", "ward08_hotspots": "ward08", "place_hotspots": "place", "top_places": "place",
                          "wards": "ward", "wards_2008": "ward08", "places": "place"]
        for p in profiles.dropFirst() {
            for (c, layer) in listLayers {
                guard let i = profiles[0].firstIndex(of: c) else { continue }
                for name in p[i].components(separatedBy: "; ") where withheldNames[[p[0], layer]]?.contains(name) == true {
                    leaks.append("theme-profiles.csv \(p[0]) \(c) names withheld \(name)")
                }
            }
        }
        for t in json["themes"] as? [[String: Any]] ?? [] {
            let id = t["id"] as! String
            for (key, list) in t["hotspots"] as? [String: [String]] ?? [:] {
                for name in list where withheldNames[[id, listLayers[key] ?? ""]]?.contains(name) == true {
                    leaks.append("assessment.json \(id) \(key) names withheld \(name)")
                }
            }
        }

        // The ward maps of the report: theme id → ward code → (fill, rate text).
        var maps: [String: [String: (fill: String, rate: String)]] = [:]
        let section = try NSRegularExpression(pattern: "<section class=\"theme\" id=\"([^\"]+)\">(.*?)</section>", options: [.dotMatchesLineSeparators])
        let use = try NSRegularExpression(pattern: "<use href=\"#ward-([^\"]+)\" fill=\"([^\"]+)\"[^>]*><title>[^<]*: ([^ <]+) per 1,000[^<]*</title>")
        let ns = html as NSString
        for m in section.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let id = ns.substring(with: m.range(at: 1)), body = ns.substring(with: m.range(at: 2)) as NSString
            for u in use.matches(in: body as String, range: NSRange(location: 0, length: body.length)) {
                maps[id, default: [:]][body.substring(with: u.range(at: 1))] = (body.substring(with: u.range(at: 2)), body.substring(with: u.range(at: 3)))
            }
        }

        let themes = try ThemeDefinition.load(path: pipeline.referencePath("themes")!)
        let warehouse = try AssessWarehouse(path: path)
        guard let twelve = pipeline.periods.first(where: { $0.name == "twelve_months" }) else {
            counts = layerOrder.map { ("hotspots.csv " + $0, 0, 0, 0) }
            try attackIndicators(folder: folder, warehouse: warehouse, pipeline: pipeline, threshold: threshold)
            return
        }
        let from = Month(twelve.from).text, to = Month(twelve.to).text
        let volumeColumn = profiles[0].firstIndex(of: "volume_twelve_months")!
        let volumes = Dictionary(uniqueKeysWithValues: profiles.dropFirst().map { ($0[0], Int($0[volumeColumn])) })
        for dataset in Array(Set(themes.map(\.dataset))).sorted() {
            let members = themes.filter { $0.dataset == dataset && rows[$0.id] != nil }
            guard !members.isEmpty else { continue }
            let layers = layerOrder.filter { l in members.contains { rows[$0.id]?[l] != nil } }
            let areaRows = layers.map { rows[members[0].id]![$0]! }
            let index = areaRows.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1[col("area_code")], $0) }) }
            // The structure a reader is assumed to know, read independently of the stage.
            let cols = try warehouse.columns(dataset)
            var select: [String] = []
            var args = StatementArguments()
            for t in members {
                let f = try warehouse.filter(t)
                select.append("COALESCE((\(f.sql)), 0)")
                args += f.arguments
            }
            // Records carry each layer's code in `<layer>_code`; the published `lsoa` layer is the geography's `lsoa21`.
            for l in layers {
                let column = (l == "lsoa" ? AssessClusters.layer : l) + "_code"
                select.append(cols.contains(column) ? column : "NULL")
            }
            args += [from, to]
            let sql = "SELECT \(select.joined(separator: ", ")), COUNT(*) FROM \(dataset) WHERE month BETWEEN ? AND ? GROUP BY \((1...select.count).map(String.init).joined(separator: ", "))"
            let records: [(classes: [Int], areas: [Int], count: Int)] = try warehouse.queue.read { db in
                try Row.fetchAll(db, sql: sql, arguments: args).map { r in
                    let classes = members.indices.filter { (r[$0] as Int? ?? 0) != 0 }
                    let areas = layers.indices.map { l in (r[members.count + l] as String?).flatMap { index[l][$0] } ?? -1 }
                    return (classes, areas, r[select.count] as Int)
                }
            }
            let tables = LinkedCounts(classCount: members.count, layerSizes: areaRows.map(\.count), records: records)
            let truth = tables.values
            // Only the combinations of areas that occur: stronger than the policy's assumption, which also allows an area
            // no record lies in (LinkedCounts), so that a withheld zero there is not known to be zero.
            let occurring = Set(records.filter { $0.count > 0 }.map(\.areas))
            var model = AttackModel(classCount: members.count, layerSizes: tables.layerSizes, signatures: tables.signatures,
                                    places: tables.places.filter { occurring.contains($0) })
            var withheld: [(c: Int, l: Int, a: Int, name: String)] = []
            for (c, t) in members.enumerated() {
                if let v = volumes[t.id] ?? nil { model.solver.fix(model.totals[c], v) }
                for (l, layer) in layers.enumerated() {
                    let list = rows[t.id]![layer]!
                    let populations = list.map { Int($0[col("population")]) }
                    let populated = populations.compactMap { $0 }.reduce(0, +)
                    var key = tableCounts["hotspots.csv " + layer] ?? (0, 0, 0)
                    // The layer's total over its populated areas, from the most precise published expected count.
                    if let (e, p) = list.indices.compactMap({ i -> (Double, Int)? in
                        guard let e = Double(list[i][col("expected")]), let p = populations[i], p > 0 else { return nil }
                        return (e, p)
                    }).max(by: { $0.0 < $1.0 }) {
                        let total = model.sum(list.indices.filter { (populations[$0] ?? 0) > 0 }.map { model.cell(c, l, $0) })
                        model.solver.fix(total, Int((e * Double(populated) / Double(p)).rounded()))
                    }
                    for (a, r) in list.enumerated() {
                        key.0 += 1
                        let v = model.cell(c, l, a)
                        if let n = Int(r[col("count")]) {
                            model.solver.fix(v, n)
                            if n != truth[tables.cell(class: c, layer: l, area: a)] { leaks.append("model mismatch: \(t.id) \(layer) \(r[col("area")]) published \(n), records \(truth[tables.cell(class: c, layer: l, area: a)])") }
                            continue
                        }
                        if let band = Self.band(r[col("count")]) {
                            // A complement published as a band: the reader knows the count lies in it, and nothing more.
                            let n = truth[tables.cell(class: c, layer: l, area: a)]
                            if !band.contains(n) { leaks.append("model mismatch: \(t.id) \(layer) \(r[col("area")]) published as \(r[col("count")]), records \(n)") }
                            if reveal.contains([t.id, layer, r[col("area_code")]]) {
                                model.solver.fix(v, n)
                                continue
                            }
                            model.solver.bound(v, lower: band.lowerBound, upper: band.upperBound)
                            coarsened.append((t.id, layer, r[col("area_code")], n, band))
                            for f in ["expected", "p_value", "adjusted_p", "hotspot"] where r[col(f)] != "~" {
                                leaks.append("hotspots.csv \(t.id) \(layer) \(r[col("area")]): \(f) \(r[col(f)]) shown beside the band \(r[col("count")])")
                            }
                            if layer == "ward", let shown = maps[t.id]?[r[col("area_code")]], shown.fill != "#ddd" {
                                leaks.append("report.html \(t.id) map shades \(r[col("area")]), published as a band, \(shown.fill)")
                            }
                            continue
                        }
                        if (smallOnly && !policyIsSmall(truth[tables.cell(class: c, layer: l, area: a)], threshold))
                            || reveal.contains([t.id, layer, r[col("area_code")]]) {
                            model.solver.fix(v, truth[tables.cell(class: c, layer: l, area: a)])
                            continue
                        }
                        key.1 += 1
                        if policyIsSmall(truth[tables.cell(class: c, layer: l, area: a)], threshold) { key.2 += 1 } else {
                            complements.append((t.id, layer, r[col("area_code")], truth[tables.cell(class: c, layer: l, area: a)]))
                        }
                        withheld.append((c, l, a, r[col("area")]))
                        // Anything shown beside a withheld count.
                        if let rate = Double(r[col("rate_per_1000")]), let p = populations[a] {
                            leaks.append("hotspots.csv \(t.id) \(layer) \(r[col("area")]): rate \(rate) shown")
                            model.solver.bound(v, lower: Int(((rate - 0.005) * Double(p) / 1000).rounded(.up)), upper: Int(((rate + 0.005) * Double(p) / 1000).rounded(.down)))
                        }
                        if r[col("hotspot")] == "yes" { model.solver.bound(v, lower: 10) }
                        for f in ["expected", "p_value", "adjusted_p", "hotspot"] where r[col(f)] != "~" {
                            leaks.append("hotspots.csv \(t.id) \(layer) \(r[col("area")]): \(f) \(r[col(f)]) shown")
                        }
                        if layer == "ward", let shown = maps[t.id]?[r[col("area_code")]] {
                            if shown.fill != "#ddd" { leaks.append("report.html \(t.id) map shades withheld \(r[col("area")]) \(shown.fill)") }
                            if let rate = Double(shown.rate), let p = populations[a] {
                                leaks.append("report.html \(t.id) map shows withheld \(r[col("area")]) at \(rate) per 1,000")
                                model.solver.bound(v, lower: Int(((rate - 0.05) * Double(p) / 1000).rounded(.up)), upper: Int(((rate + 0.05) * Double(p) / 1000).rounded(.down)))
                            }
                        }
                    }
                    tableCounts["hotspots.csv " + layer] = key
                }
            }
            model.solver.propagate()
            if !model.solver.consistent { leaks.append("\(dataset): the published figures contradict the attack's model") }
            let classTotals = (0..<members.count).map { c in tables.signatures.indices.filter { tables.signatures[$0].contains(c) }.reduce(0) { $0 + tables.counts[$1].reduce(0, +) } }
            for (c, t) in members.enumerated() {
                for (l, layer) in layers.enumerated() where layer == "lsoa" {
                    for (a, r) in areaRows[l].enumerated() { lsoaTruth[t.id, default: [:]][r[col("area_code")]] = truth[tables.cell(class: c, layer: l, area: a)] }
                }
            }
            for w in withheld {
                attacked += 1
                let range = model.interval(model.cell(w.c, w.l, w.a))
                if layers[w.l] == "lsoa" { lsoaIntervals[members[w.c].id, default: [:]][areaRows[w.l][w.a][col("area_code")]] = range }
                let finding = Finding(table: "hotspots.csv " + layers[w.l], theme: members[w.c].id, area: w.name,
                                      value: truth[tables.cell(class: w.c, layer: w.l, area: w.a)], interval: range)
                if !range.contains(finding.value) { unsound.append(finding) }
                // A theme with fewer than 3 records in all can only be kept between 0 and its total.
                let total = classTotals[w.c]
                if range.upperBound - range.lowerBound <= 2 && !(total < 3 && range == 0...total) { recovered.append(finding) }
            }
        }
        counts = layerOrder.map { l in let v = tableCounts["hotspots.csv " + l] ?? (0, 0, 0); return ("hotspots.csv " + l, v.0, v.1, v.2) }
        try attackIndicators(folder: folder, warehouse: warehouse, pipeline: pipeline, threshold: threshold)
        if giStar { try checkGiStar(rows: rows, col: col, warehouse: warehouse, truth: lsoaTruth, intervals: lsoaIntervals) }
    }

    /// The Gi* columns of the LSOA rows: every published figure must be the band of Gi* of the true counts (a published
    /// class that the true counts do not give would be an artefact), and must stay the same for the values of the
    /// withheld counts at both ends of the attack's intervals, one count at a time and the layer's other withheld
    /// counts as they are, wherever that keeps the layer's published total (otherwise the figure narrows the count).
    private mutating func checkGiStar(rows: [String: [String: [[String]]]], col: (String) -> Int, warehouse: AssessWarehouse,
                                      truth: [String: [String: Int]], intervals: [String: [String: ClosedRange<Int>]]) throws {
        for (theme, layers) in rows.sorted(by: { $0.key < $1.key }) {
            guard let list = layers["lsoa"], list.contains(where: { $0[col("gi_star_hotspot")] != AssessMarker.notAvailable }) else { continue }
            let areas = list.map { (code: $0[col("area_code")], name: $0[col("area")], population: Int($0[col("population")])) }
            guard let weights = try AssessClusters.weights(warehouse: warehouse, areas: areas) else {
                leaks.append("hotspots.csv \(theme) lsoa: Gi* published without LSOA outlines in the warehouse"); continue
            }
            let counts = list.map { Double(truth[theme]?[$0[col("area_code")]] ?? 0) }
            let populations = list.map { Double(Int($0[col("population")]) ?? 1) }
            func banded(_ v: [Double]) -> [[String]]? {
                guard case .computed(let g) = GetisOrd.compute(values: zip(v, populations).map { 1000 * $0 / $1 }, weights: weights) else { return nil }
                return g.areas.map(AssessClusters.banded)
            }
            guard let real = banded(counts) else { leaks.append("hotspots.csv \(theme) lsoa: Gi* published but not computable from the true counts"); continue }
            for (r, t) in zip(list, real) {
                for (k, cell) in r.suffix(4).enumerated() where cell != AssessMarker.suppressed && cell != t[k] {
                    giStarWrong.append("hotspots.csv \(theme) lsoa \(r[col("area")]): Gi* \(AssessClusters.header[k]) \(cell), true counts give \(t[k])")
                }
            }
            // The attack with Gi*: each withheld count moved by up to the protection either way within its interval, balanced
            // by other withheld counts of the layer (so the layer's total holds); the values whose Gi* prints every
            // published figure as published are those the reader cannot rule out. They must span the protection.
            let hidden = list.indices.filter { list[$0][col("count")] == AssessMarker.suppressed }
            let protection = DisclosurePolicy().protection
            for x in hidden {
                let code = list[x][col("area_code")], value = Int(counts[x])
                let range = intervals[theme]?[code] ?? value...value
                var possible = [value]
                for d in (-protection...protection) where d != 0 && range.contains(value + d) {
                    // Balanced by the other withheld counts taken in turn from each starting point (several small
                    // counts may be needed to absorb the difference).
                    // Counts published as a band balance too, within their band.
                    let others = hidden.filter { $0 != x } + list.indices.filter { Self.band(list[$0][col("count")]) != nil }
                    for start in others.indices {
                        var v = counts
                        v[x] += Double(d)
                        var rest = -d
                        for y in others[start...] + others[..<start] where rest != 0 {
                            let band = Self.band(list[y][col("count")]) ?? 0...Int.max
                            let step = rest > 0 ? min(rest, band.upperBound - Int(v[y])) : max(rest, band.lowerBound - Int(v[y]))
                            v[y] += Double(step)
                            rest -= step
                        }
                        guard rest == 0 else { continue }
                        giStarTried += 1
                        guard let alt = banded(v) else { continue }
                        if !zip(list, alt).contains(where: { r, a in zip(r.suffix(4), a).contains { $0 != AssessMarker.suppressed && $0 != $1 } }) {
                            possible.append(value + d)
                            break
                        }
                    }
                }
                let wanted = min(protection, range.upperBound - range.lowerBound)
                if possible.max()! - possible.min()! < wanted {
                    giStarRecovered.append("hotspots.csv \(theme) lsoa \(list[x][col("area")]) = \(value): Gi* leaves \(possible.sorted()) of \(range)")
                }
            }
        }
    }

    private func policyIsSmall(_ n: Int, _ threshold: Int) -> Bool { n > 0 && n < threshold }

    /// The counts a cell published as a band ("80 to 99") allows; nil for any other cell.
    static func band(_ cell: String) -> ClosedRange<Int>? {
        let parts = cell.components(separatedBy: " to ")
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low <= high else { return nil }
        return low...high
    }

    /// `indicators.csv`: per indicator, the ward bases sum to the whole area's (a reader cannot tell respondents
    /// without a ward apart, so the strongest reading is that there are none).
    private mutating func attackIndicators(folder: String, warehouse: AssessWarehouse, pipeline: PipelineDefinition, threshold: Int) throws {
        let rows = StageTestSupport.csvRows(folder + "/tables/indicators.csv")
        let respondents = try warehouse.respondents()
        var cells = 0, withheld = 0, small = 0
        for name in Set(rows.dropFirst().map { $0[0] }).sorted() {
            let list = rows.dropFirst().filter { $0[0] == name }
            guard let total = list.first(where: { $0[1] == pipeline.area.laCode }).flatMap({ Int($0[4]) }) else { continue }
            let wards = list.filter { $0[1] != pipeline.area.laCode }
            var model = AttackModel(classCount: 1, layerSizes: [wards.count], signatures: [[0]], places: wards.indices.map { [$0] })
            model.solver.fix(model.totals[0], total)
            var hidden: [Int] = []
            for (a, r) in wards.enumerated() {
                cells += 1
                if let n = Int(r[4]) { model.solver.fix(model.cell(0, 0, a), n) } else { hidden.append(a); withheld += 1 }
            }
            model.solver.propagate()
            for a in hidden {
                let s = SurveyIndicators(respondents: respondents.filter { $0.ward == wards[a][1] }.map(\.respondent))
                let value = AssessStage.indicator(name, of: s)!.unweightedBase
                if policyIsSmall(value, threshold) { small += 1 }
                let range = model.interval(model.cell(0, 0, a))
                let f = Finding(table: "indicators.csv", theme: name, area: wards[a][2], value: value, interval: range)
                attacked += 1
                if !range.contains(value) { unsound.append(f) }
                if range.upperBound - range.lowerBound <= 2 { recovered.append(f) }
            }
        }
        counts.append(("indicators.csv", cells, withheld, small))
    }
}
