import CSPCore
import CSPSchema
import CSPStorage
import Foundation
import GRDB

/// `05-assess/<pipeline>.gpkg`: the assessment's map layers as an OGC GeoPackage that QGIS and GDAL open, in British
/// National Grid (EPSG:27700).
///
/// - One polygon layer per theme and area layer of `hotspots.csv` (`<layer>_<theme_id>`: `ward_burglary`,
///   `lsoa_burglary`, ...), one feature per published row, built from the published cells themselves (never from the
///   warehouse's counts), so a layer holds nothing the table does not: a `~` cell is NULL, `withheld` says the count
///   is withheld and `withheld_columns` names every `~` cell of the row; a `*` cell (not available) is NULL too. The
///   outline is the area's in the warehouse's `geometry` table (stage 3's, whole metres). `rate_class` (1–5) is the
///   area's class on the report's map (the quintile of its rate among the rates of the layer's areas not withheld,
///   ``AssessWardMap/quintile(_:of:)``), NULL where withheld or no rate; `rate_class_label` the class's range as the
///   report's legend prints it.
/// - Each theme layer has a QGIS style in `layer_styles` (``AssessGeoPackage/style(layer:table:theme:breaks:)``): the
///   report's five blues, grey for withheld or no rate, hotspots (wards: the Poisson test's; LSOAs: Gi* hot spots)
///   outlined red; so the layer opens looking like the report's map.
/// - Points (`points_crimes`, `points_asb_incidents`): only when every source of the pipeline is data.police.uk,
///   whose points are already public (snapped to its anonymised map points): the twelve-month period's records with a
///   longitude/latitude, converted to National Grid metres (OSGB36, about 5 m, as stage 3). A force export's own
///   easting/northing is never published as a point: the disclosure policy publishes counts by area, not locations.
struct AssessGeoPackage {
    /// The area layers' attribute columns after `fid` and `geom`, with their types, in order.
    static let areaColumns: [GeoPackageWriter.Column] = [
        .init("area_code", "TEXT"), .init("area", "TEXT"), .init("theme_id", "TEXT"), .init("theme", "TEXT"), .init("period", "TEXT"),
        .init("count", "INTEGER"), .init("population", "INTEGER"), .init("rate_per_1000", "REAL"), .init("expected", "REAL"),
        .init("basis", "TEXT"), .init("p_value", "TEXT"), .init("adjusted_p", "TEXT"), .init("hotspot", "TEXT"),
        .init("gi_star_z", "TEXT"), .init("gi_star_p", "TEXT"), .init("gi_star_adjusted_p", "TEXT"), .init("gi_star_hotspot", "TEXT"),
        .init("withheld", "BOOLEAN"), .init("withheld_columns", "TEXT"), .init("rate_class", "INTEGER"), .init("rate_class_label", "TEXT"),
        .init("count_band", "TEXT"), .init("rate_band", "TEXT"),
    ]

    /// Whether a published cell is a band (`80 to 99`: a large complement coarsened, DisclosurePolicy): its number
    /// column is NULL and the band is kept as text (`count_band`, `rate_band`).
    static func isBand(_ cell: String) -> Bool { cell.contains(" to ") }
    /// The `hotspots.csv` columns copied into a layer (the rest of ``areaColumns`` are derived).
    static let copiedColumns = ["area_code", "area", "theme_id", "theme", "count", "population", "rate_per_1000", "expected", "basis",
                                "p_value", "adjusted_p", "hotspot", "gi_star_z", "gi_star_p", "gi_star_adjusted_p", "gi_star_hotspot"]
    /// Copied columns stored as INTEGER (the rest as TEXT, but for ``realColumns``).
    static let integerColumns: Set<String> = ["count", "population"]
    /// Copied columns stored as REAL. The p-values stay TEXT: the table publishes `<0.0001`, which is no number.
    static let realColumns: Set<String> = ["rate_per_1000", "expected"]

    /// The file's name in the stage folder: `<pipeline name>.gpkg`.
    static func fileName(pipeline: String) -> String { pipeline + ".gpkg" }

    /// The warehouse's geometry layer of a published layer name (`lsoa` is the 2021 LSOAs).
    static func geometryLayer(_ published: String) -> String { published == "lsoa" ? AssessClusters.layer : published }

    /// Layer name of a theme on an area layer.
    static func tableName(layer: String, theme: String) -> String { layer + "_" + theme }

    /// The area layers from the published `hotspots.csv` rows (header first) and the warehouse's outlines. An area
    /// the warehouse has no outline for is left out of its layer and named in `missing` (the audit then reports it).
    ///
    /// `shading` gives a layer's classes as the report's map computed them (``AssessWardMap/quintile(_:of:)`` on the
    /// disclosed layer's rates, before rounding): the classes then equal the report's shades exactly, where classes of
    /// the rounded published rates would differ at a tie (6 of 2,472 areas of the real run). A class and its range are
    /// what the report's map and legend already publish, so they disclose nothing more. Without it (a table alone),
    /// the classes of the published rates.
    static func areaLayers(hotspots rows: [[String]], warehouse: AssessWarehouse, period: String,
                           shading: ((_ layer: String, _ theme: String) -> (classes: [String: Int], breaks: [(shade: Int, low: Double, high: Double)])?)? = nil)
        throws -> (layers: [GeoPackageWriter.Layer], missing: [String]) {
        guard let header = rows.first else { return ([], []) }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        guard let li = index["layer"], let ti = index["theme_id"], let ci = index["area_code"] else { return ([], []) }
        // Rows grouped by (layer, theme) in table order.
        var order: [String] = []
        var groups: [String: [[String]]] = [:]
        for r in rows.dropFirst() {
            let key = tableName(layer: r[li], theme: r[ti])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        var outlines: [String: [String: GeoPackageGeometry]] = [:]
        for layer in Set(rows.dropFirst().map { $0[li] }) {
            outlines[layer] = try Self.outlines(warehouse: warehouse, layer: geometryLayer(layer))
        }
        var layers: [GeoPackageWriter.Layer] = []
        var missing: [String] = []
        for key in order {
            let group = groups[key]!
            let layer = group[0][li], themeName = index["theme"].map { group[0][$0] } ?? group[0][ti]
            // The classes of the report's map: quintiles of the published (not withheld) rates.
            let rateIndex = index["rate_per_1000"]
            let rates = group.compactMap { r in rateIndex.flatMap { Double(r[$0]) } }.sorted()
            let shaded = shading?(layer, group[0][ti])
            let breaks = shaded?.breaks ?? AssessWardMap.breaks(rates)
            var features: [(geometry: GeoPackageGeometry, values: [DatabaseValueConvertible?])] = []
            for r in group {
                guard let geometry = outlines[layer]?[r[ci]] else { missing.append("\(key) \(r[ci])"); continue }
                var values: [DatabaseValueConvertible?] = []
                var withheldColumns: [String] = []
                for c in areaColumns.map(\.name) {
                    switch c {
                    case "period": values.append(period)
                    case "withheld": values.append(index["count"].map { r[$0] == AssessMarker.suppressed || Self.isBand(r[$0]) } ?? false)
                    case "count_band", "rate_band":
                        let cell = index[c == "count_band" ? "count" : "rate_per_1000"].map { r[$0] } ?? ""
                        values.append(Self.isBand(cell) ? cell : nil)
                    case "withheld_columns": values.append(withheldColumns.isEmpty ? nil : withheldColumns.joined(separator: ","))
                    case "rate_class", "rate_class_label":
                        let published = rateIndex.flatMap { Double(r[$0]) }
                        let k = published == nil ? nil : shaded.map { $0.classes[r[ci]] } ?? published.map { AssessWardMap.quintile($0, of: rates) }
                        let b = k.flatMap { k in breaks.first { $0.shade == k } }
                        values.append(c == "rate_class" ? k.map { $0 + 1 } : b.map(label))
                    default:
                        guard let i = index[c] else { values.append(nil); continue }
                        let cell = r[i]
                        let banded = (integerColumns.contains(c) || realColumns.contains(c)) && Self.isBand(cell)
                        if cell == AssessMarker.suppressed || banded { withheldColumns.append(c) }
                        if cell == AssessMarker.suppressed || cell == AssessMarker.notAvailable || cell.isEmpty || banded { values.append(nil) }
                        else if integerColumns.contains(c) { values.append(Int(cell)) }
                        else if realColumns.contains(c) { values.append(Double(cell)) }
                        else { values.append(cell) }
                    }
                }
                features.append((geometry, values))
            }
            let style = Self.style(layer: layer, table: key, theme: themeName, breaks: breaks)
            layers.append(GeoPackageWriter.Layer(
                table: key, description: "\(themeName) by \(layerWords(layer)), \(period): published count, rate per 1,000, hotspot flags (05-assess/tables/hotspots.csv)",
                geometryType: "MULTIPOLYGON", columns: areaColumns, features: features, style: style))
        }
        return (layers, missing)
    }

    /// "2.1 to 3.4": a class's range of published rates, as the report's legend prints it.
    static func label(_ b: (shade: Int, low: Double, high: Double)) -> String { AssessFormat.fixed(b.low, 1) + " to " + AssessFormat.fixed(b.high, 1) }

    /// A layer's name in words.
    static func layerWords(_ layer: String) -> String {
        switch layer {
        case "ward": "ward"
        case "ward08": "2008 ward"
        case "lsoa": "2021 LSOA"
        case "place": "place"
        default: layer
        }
    }

    /// The outlines of a warehouse geometry layer by code (none when the warehouse has no geometry table).
    static func outlines(warehouse: AssessWarehouse, layer: String) throws -> [String: GeoPackageGeometry] {
        guard try warehouse.tableExists("geometry") else { return [:] }
        let rows = try warehouse.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT code, wkt FROM geometry WHERE layer = ? AND wkt IS NOT NULL", arguments: [layer]).map { ($0[0] as String, $0[1] as String) }
        }
        var out: [String: GeoPackageGeometry] = [:]
        for (code, wkt) in rows {
            switch GeoPackageGeometry.parseWKT(wkt) {
            case let .success(g): out[code] = g
            case let .failure(e): throw StageError.malformedInput(file: "warehouse.sqlite geometry \(layer) \(code)", line: 0, message: e.description)
            }
        }
        return out
    }
}

extension AssessGeoPackage {
    /// Writes the GeoPackage at `path`: the area layers of `hotspots` (the published rows, header first), then the
    /// point layers when the pipeline's records are data.police.uk's. `twelve` is the twelve-month period (first and
    /// last month); its last month's first day is every table's `last_change`, so the same run gives the same bytes.
    /// Returns the layers and features written and the areas left out for want of an outline.
    static func write(to path: String, hotspots: [[String]], warehouse: AssessWarehouse, pipeline: PipelineDefinition,
                      twelve: (from: String, to: String)?, areas: AreaDisclosure? = nil) throws -> (layers: Int, count: Int, missing: [String]) {
        let period = twelve.map { "\($0.from)..\($0.to)" } ?? AssessMarker.notAvailable
        // The report's classes: quintiles of the disclosed layer's rates of the areas not withheld (AssessWardMap.svg).
        let shading: ((String, String) -> (classes: [String: Int], breaks: [(shade: Int, low: Double, high: Double)])?)? = areas.map { areas in
            { layer, theme in
                guard let d = areas.layer(theme, geometryLayer(layer)) else { return nil }
                let rates = d.rows.filter { !$0.withheld }.compactMap(\.rate).sorted()
                var classes: [String: Int] = [:]
                for r in d.rows where !r.withheld { if let rate = r.rate { classes[r.code] = AssessWardMap.quintile(rate, of: rates) } }
                return (classes, AssessWardMap.breaks(rates))
            }
        }
        var (layers, missing) = try areaLayers(hotspots: hotspots, warehouse: warehouse, period: period, shading: shading)
        if let twelve, publishesPoints(pipeline) {
            layers += try pointLayers(warehouse: warehouse, from: twelve.from, to: twelve.to)
        }
        let writer = try GeoPackageWriter(path: path)
        let written = try writer.write(layers, lastChange: (twelve?.to).map { $0 + "-01T00:00:00.000Z" } ?? "1970-01-01T00:00:00.000Z")
        return (layers.count, written.values.reduce(0, +), missing)
    }
}
