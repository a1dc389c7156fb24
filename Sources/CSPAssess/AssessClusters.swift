import CSPCore
import CSPGeo
import GRDB

/// The Getis–Ord Gi* columns of the LSOA rows of `tables/hotspots.csv` (``GetisOrd`` on each theme's rates per 1,000
/// residents over the last twelve months, queen contiguity of the LSOA outlines stage 3 published), computed from the
/// published table alone.
///
/// Disclosure. Gi* of one LSOA depends on every LSOA's rate (the mean and spread of the whole layer) and most directly
/// on its neighbours': computed from the true counts, its z and p-values would move with a withheld count next door
/// and could give it back. So Gi* is computed from what ``AreaDisclosure`` publishes: each published count as it is,
/// each withheld count (`~`) replaced by the middle of the small range, (threshold − 1) / 2 + 1 / 2 (2.5 for the
/// default threshold of 5: the counts 1 to 4 average 2.5). Being a function of published figures, the Gi* columns
/// can tell nothing the table does not, and every LSOA's four cells are published. The imputation moves rates by at
/// most a few per 1,000 in the few LSOAs concerned; counts withheld to protect others (at or above the threshold)
/// are imputed the same way, and the log says how many there were.
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
    /// Number of withheld LSOA counts (all themes) that entered Gi* as ``imputed(threshold:)``.
    let imputedCounts: Int

    /// Cells of one area: `*` for every area outside the layer or a theme without the statistic.
    func row(theme: String, code: String) -> [String] {
        cells[theme]?[code] ?? Array(repeating: AssessMarker.notAvailable, count: Self.header.count)
    }

    /// Names (as published) of a theme's LSOAs classified as hot spots, largest z first; with `wards`, each followed by
    /// its ward's name in brackets.
    func hotSpots(theme: String, layer: DisclosedLayer?, wards: [String: String] = [:]) -> [String]? {
        guard let published = cells[theme], let layer else { return nil }
        return layer.rows.filter { published[$0.code]?[3] == GetisOrd.Classification.hotSpot.phrase }
            .sorted { (Double(published[$0.code]![0]) ?? 0) > (Double(published[$1.code]![0]) ?? 0) }
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

    /// The printed cells of one Gi* result.
    static func printed(_ r: GetisOrd.AreaResult) -> [String] {
        [AssessFormat.fixed(r.z, 2), AssessFormat.pvalue(r.pValue), AssessFormat.pvalue(r.adjustedPValue), r.classification.phrase]
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

    /// The count a withheld cell enters Gi* with: the mean of the small counts 1 … threshold − 1.
    static func imputed(threshold: Int) -> Double { Double(threshold) / 2 }

    /// Gi* of every theme with an LSOA layer, from the published counts (rule above).
    static func make(themes: [ThemeAssessment], areas: AreaDisclosure, threshold: Int, weights: SpatialWeights?,
                     settings: GetisOrd.Settings = GetisOrd.Settings()) -> AssessClusters {
        guard let weights else { return AssessClusters(cells: [:], notComputable: [:], weights: nil, imputedCounts: 0) }
        var cells: [String: [String: [String]]] = [:]
        var reasons: [String: String] = [:]
        var imputedCounts = 0
        for t in themes {
            guard let published = areas.layer(t.theme.id, layer), published.rows.count == weights.count,
                  let h = t.layerHotspots[layer], h.areas.count == weights.count else { continue }
            var values: [Double] = []
            for (row, area) in zip(published.rows, h.areas) {
                guard let population = area.population, population > 0 else { break }
                if row.withheld { imputedCounts += 1 }
                values.append(1000 * (row.count.map(Double.init) ?? imputed(threshold: threshold)) / Double(population))
            }
            guard values.count == weights.count else {
                reasons[t.theme.id] = "Gi* needs a rate for every LSOA; some have no residents"
                continue
            }
            switch GetisOrd.compute(values: values, weights: weights, settings: settings) {
            case .computed(let g): cells[t.theme.id] = Dictionary(zip(weights.codes, g.areas.map(printed)), uniquingKeysWith: { a, _ in a })
            case .notComputable(let why): reasons[t.theme.id] = why.description
            }
        }
        return AssessClusters(cells: cells, notComputable: reasons, weights: weights, imputedCounts: imputedCounts)
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
