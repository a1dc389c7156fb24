import CSPCore
import CSPGeo
import GRDB

/// The Getis–Ord Gi* columns of the LSOA rows of `tables/hotspots.csv`: ``GetisOrd`` on each theme's rates per 1,000
/// residents over the last twelve months (queen contiguity of the LSOA outlines stage 3 published), from the true
/// counts, published as bands and classes wherever no alternative of the disclosure policy changes them.
///
/// Disclosure. Gi* of one LSOA depends on every LSOA's rate (the mean and spread of the whole layer) and most
/// directly on its neighbours': printed from the true counts to two decimals, z and p would move with a withheld count
/// next door and could give it back; computed with each withheld count imputed (the former rule: 2.5, the middle of
/// the small range) it is wrong wherever a withheld count is far from that, and it was (four artefact hot spots and
/// fourteen true ones shown as not significant on the real archive). So Gi* is computed from the true counts and
/// each LSOA publishes four figures that are coarse enough to hold still: z as a band (edges ±1.96, ±2.58, ±3.29, the
/// two-sided 5%, 1% and 0.1% points), p and adjusted p as bands (below 0.001, 0.001 to 0.01, 0.01 to 0.05, 0.05 or
/// more), and the class (hot spot, cold spot, not significant) at the 0.05 level. The ``DisclosurePolicy`` protects
/// every withheld count by two sets of records that give every published figure and differ in the count by at least
/// its protection; Gi* is recomputed for both sets of every withheld count, and a figure that either changes is
/// withheld (`~`) on its own. Every published Gi* figure is then the same in both alternatives of every withheld
/// count, so it cannot tell them apart and no protection is weakened; and every published class is the class of the
/// true counts. The cost: z and p are bands, not values, and an LSOA whose band or class an alternative moves shows
/// `~` there.
struct AssessClusters {
    /// The geography layer whose areas are tested (the 2021 LSOAs the monthly files publish).
    static let layer = "lsoa21"
    /// The headers of the four columns, in order.
    static let header = ["gi_star_z", "gi_star_p", "gi_star_adjusted_p", "gi_star_hotspot"]

    /// Per theme id, per LSOA code: the four cells as published.
    let cells: [String: [String: [String]]]
    /// Per theme id, why Gi* could not be computed (the cells are then `*`).
    let notComputable: [String: String]
    /// The weights the statistics used; nil without LSOA outlines.
    let weights: SpatialWeights?
    /// Number of LSOA classes (all themes) withheld because an alternative of a withheld count changes them.
    let withheldClasses: Int
    /// Number of alternatives (all themes) for which Gi* was recomputed.
    let alternatives: Int

    /// Cells of one area: `*` for every area outside the layer or a theme without the statistic.
    func row(theme: String, code: String) -> [String] {
        cells[theme]?[code] ?? Array(repeating: AssessMarker.notAvailable, count: Self.header.count)
    }

    /// Names (as published) of a theme's LSOAs classified as hot spots, largest z first; with `wards`, each followed by
    /// its ward's name in brackets.
    func hotSpots(theme: String, layer: DisclosedLayer?, wards: [String: String] = [:]) -> [String]? {
        guard let published = cells[theme], let layer else { return nil }
        return layer.rows.filter { published[$0.code]?[3] == GetisOrd.Classification.hotSpot.phrase }
            .sorted { Self.zLow(published[$0.code]![0]) > Self.zLow(published[$1.code]![0]) }
            .map { row in wards[row.code].map { "\(row.name) (\($0))" } ?? row.name }
    }

    /// The ward (name) of each LSOA of the layer, to name LSOAs in the report: the ward stage 3 found holding the whole
    /// LSOA, else the ward in which most of the LSOA's records of `datasets` lie (an LSOA astride a ward boundary).
    static func wards(warehouse: AssessWarehouse, datasets: [String]) throws -> [String: String] {
        guard try warehouse.tableExists("areas"), try warehouse.columns("areas").contains("ward_code") else { return [:] }
        let column = layer + "_code"
        var tables: [String] = []
        for d in Set(datasets).sorted() where try warehouse.tableExists(d) {
            let cols = try warehouse.columns(d)
            if cols.contains(column) && cols.contains("ward_code") { tables.append(d) }
        }
        return try warehouse.queue.read { db in
            let names = try Dictionary(Row.fetchAll(db, sql: "SELECT code, name FROM areas WHERE layer = 'ward'").map { ($0[0] as String, $0[1] as String? ?? "") },
                                       uniquingKeysWith: { a, _ in a })
            var out: [String: String] = [:]
            if !tables.isEmpty {
                let union = tables.map { "SELECT \(column.quotedDatabaseIdentifier) AS l, ward_code AS w FROM \($0.quotedDatabaseIdentifier)" }.joined(separator: " UNION ALL ")
                var best: [String: Int] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT l, w, COUNT(*) FROM (\(union)) WHERE l IS NOT NULL AND w IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2") {
                    let l: String = r[0], w: String = r[1], n: Int = r[2]
                    if best[l] == nil, let name = names[w] { best[l] = n; out[l] = name }
                }
            }
            for r in try Row.fetchAll(db, sql: "SELECT code, ward_code FROM areas WHERE layer = ? AND ward_code IS NOT NULL AND ward_code <> ''", arguments: [layer]) {
                if let name = names[r[1] as String] { out[r[0] as String] = name }
            }
            return out
        }
    }

    /// The edges of the z bands: the two-sided 5%, 1% and 0.1% points of the normal distribution.
    static let zEdges = [1.96, 2.58, 3.29]

    /// The band of z: "3.29 or more", "2.58 to 3.29", "1.96 to 2.58", "−1.96 to 1.96" and the same below zero (with the
    /// minus sign U+2212, which no spreadsheet reads as a formula).
    static func zBand(_ z: Double?) -> String {
        guard let z else { return AssessMarker.notAvailable }
        func text(_ v: Double) -> String { (v < 0 ? "\u{2212}" : "") + AssessFormat.fixed(abs(v), 2) }
        let m = abs(z), e = zEdges
        if m < e[0] { return text(-e[0]) + " to " + text(e[0]) }
        for k in 0..<(e.count - 1) where m < e[k + 1] {
            return z > 0 ? text(e[k]) + " to " + text(e[k + 1]) : text(-e[k + 1]) + " to " + text(-e[k])
        }
        return z > 0 ? text(e[e.count - 1]) + " or more" : text(-e[e.count - 1]) + " or less"
    }

    /// The band of a p-value: "<0.001", "0.001 to 0.01", "0.01 to 0.05", "0.05 or more".
    static func pBand(_ p: Double?) -> String {
        guard let p else { return AssessMarker.notAvailable }
        return p < 0.001 ? "<0.001" : p < 0.01 ? "0.001 to 0.01" : p < 0.05 ? "0.01 to 0.05" : "0.05 or more"
    }

    /// The published cells of one Gi* result: z band, p band, adjusted p band, class.
    static func banded(_ r: GetisOrd.AreaResult) -> [String] {
        [zBand(r.z), pBand(r.pValue), pBand(r.adjustedPValue), r.classification.phrase]
    }

    /// The lower edge of a printed z band (for ordering); 0 when none.
    static func zLow(_ cell: String) -> Double {
        Double(cell.replacingOccurrences(of: "\u{2212}", with: "-").components(separatedBy: " ")[0]) ?? 0
    }

    /// Queen-contiguity weights of the `areas` (in order) from the warehouse's `geometry` table; nil when it has no
    /// outline for them.
    static func weights(warehouse: AssessWarehouse, areas: [(code: String, name: String, population: Int?)]) throws -> SpatialWeights? {
        guard try warehouse.tableExists("geometry"), !areas.isEmpty else { return nil }
        let wkt = try warehouse.queue.read { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT code, wkt FROM geometry WHERE layer = ?", arguments: [layer]).map { ($0[0] as String, $0[1] as String? ?? "") },
                           uniquingKeysWith: { a, _ in a })
        }
        guard areas.contains(where: { wkt[$0.code] != nil }) else { return nil }
        // Every ring as its own polygon: contiguity looks at the vertices only.
        let features = areas.map { a in AreaFeature(code: a.code, name: a.name, polygons: WKT.rings(wkt[a.code] ?? "").map { AreaPolygon(exterior: $0) }) }
        return SpatialWeights.queen(features)
    }

    /// Gi* of every theme with an LSOA layer from the true counts, each figure published where no alternative of a
    /// withheld count changes it (rule above).
    static func make(themes: [ThemeAssessment], areas: AreaDisclosure, weights: SpatialWeights?,
                     settings: GetisOrd.Settings = GetisOrd.Settings()) -> AssessClusters {
        guard let weights else { return AssessClusters(cells: [:], notComputable: [:], weights: nil, withheldClasses: 0, alternatives: 0) }
        var cells: [String: [String: [String]]] = [:]
        var reasons: [String: String] = [:]
        var withheldClasses = 0, recomputed = 0
        var alternativesOf: [String: [[Int: Int]]] = [:]
        for t in themes {
            guard let published = areas.layer(t.theme.id, layer), published.rows.count == weights.count,
                  let h = t.layerHotspots[layer], h.areas.count == weights.count,
                  let p = areas.patterns[t.theme.dataset], let c = p.themes.firstIndex(of: t.theme.id), let l = p.layers.firstIndex(of: layer) else { continue }
            let populations = h.areas.map { Double($0.population ?? 0) }
            guard !populations.contains(where: { $0 <= 0 }) else {
                reasons[t.theme.id] = "Gi* needs a rate for every LSOA; some have no residents"
                continue
            }
            let alternatives = alternativesOf[t.theme.dataset] ?? Self.alternatives(p.tables, p.pattern)
            alternativesOf[t.theme.dataset] = alternatives
            let counts = h.areas.map { Double($0.count) }
            let outcome = GetisOrd.compute(values: zip(counts, populations).map { 1000 * $0 / $1 }, weights: weights, settings: settings)
            guard case .computed(let truth) = outcome else {
                if case .notComputable(let why) = outcome { reasons[t.theme.id] = why.description }
                continue
            }
            var shown = truth.areas.map(banded)
            let own = Dictionary((0..<weights.count).map { (p.tables.cell(class: c, layer: l, area: $0), $0) }, uniquingKeysWith: { a, _ in a })
            for changed in alternatives {
                var v = counts
                for (cell, value) in changed { if let a = own[cell] { v[a] = Double(value) } }
                guard v != counts else { continue }
                recomputed += 1
                guard case .computed(let g) = GetisOrd.compute(values: zip(v, populations).map { 1000 * $0 / $1 }, weights: weights, settings: settings) else {
                    shown = shown.map { $0.map { _ in AssessMarker.suppressed } }
                    continue
                }
                for (i, r) in g.areas.enumerated() {
                    let alternative = banded(r)
                    for k in alternative.indices where alternative[k] != shown[i][k] { shown[i][k] = AssessMarker.suppressed }
                }
            }
            withheldClasses += shown.filter { $0[3] == AssessMarker.suppressed }.count
            cells[t.theme.id] = Dictionary(zip(weights.codes, shown), uniquingKeysWith: { a, _ in a })
        }
        return AssessClusters(cells: cells, notComputable: reasons, weights: weights, withheldClasses: withheldClasses, alternatives: recomputed)
    }

    /// The alternatives of a pattern's protections: for each, the cells it changes and their values there.
    static func alternatives(_ tables: LinkedCounts, _ pattern: DisclosurePattern) -> [[Int: Int]] {
        let values = tables.values
        var out: [[Int: Int]] = []
        for (_, protection) in pattern.protections.sorted(by: { $0.key < $1.key }) {
            for moves in [protection.lowMoves, protection.highMoves] where !moves.isEmpty {
                guard let n = tables.applying(moves) else { continue }
                let v = tables.values(n)
                var changed: [Int: Int] = [:]
                for cell in v.indices where v[cell] != values[cell] { changed[cell] = v[cell] }
                if !changed.isEmpty { out.append(changed) }
            }
        }
        return out
    }
}

extension GetisOrd.Classification {
    /// The class as the hotspot table prints it.
    var phrase: String {
        switch self {
        case .hotSpot: "hot spot"
        case .coldSpot: "cold spot"
        case .notSignificant: "not significant"
        case .island: "island"
        case .untested: AssessMarker.notAvailable
        }
    }
}
