import CSPCore
import CSPCSV
import CSPStorage
import Foundation

extension RunAuditor {
    /// Stage 5's GeoPackage against the table it is built from: it is a GeoPackage (`application_id` 'GPKG',
    /// `user_version` 10300); every area layer `<layer>_<theme>` has as many features as `tables/hotspots.csv` has rows
    /// of that theme and layer, each area once, with the published count and rate (NULL exactly where the table has
    /// `~` or `*`: a layer never holds a figure the table withholds), and a style in `layer_styles`; and every
    /// (theme, layer) of the table has its layer.
    func checkGeoPackage(_ m: Manifest, in dir: String, check: (Bool, String, String, @autoclosure () -> String) -> Void) {
        guard m.stage == .assess, let entry = m.outputs.first(where: { $0.path.hasSuffix(".gpkg") }) else { return }
        let location = "\(m.stage.folder)/\(entry.path)"
        guard let gpkg = try? GeoPackageReader(path: dir + "/" + entry.path), let header = try? gpkg.header(),
              let tables = try? gpkg.featureTables(), let styled = try? gpkg.styledTables() else {
            check(false, "geopackage", location, "cannot be read as SQLite")
            return
        }
        check(header.applicationID == Int(GeoPackageWriter.applicationID) && header.userVersion == GeoPackageWriter.userVersion, "geopackage", location,
              "application_id \(header.applicationID), user_version \(header.userVersion): not a GeoPackage 1.3 ('GPKG', 10300)")
        // The published rows by layer table: code → (count, rate) cells.
        var published: [String: [String: (count: String, rate: String)]] = [:]
        var duplicates = 0
        if let reader = try? CSVReader(path: dir + "/tables/hotspots.csv") {
            let h = reader.header
            if let t = h.firstIndex(of: "theme_id"), let l = h.firstIndex(of: "layer"), let c = h.firstIndex(of: "area_code"),
               let n = h.firstIndex(of: "count"), let r = h.firstIndex(of: "rate_per_1000") {
                reader.forEach { row in
                    let key = row.string(l) + "_" + row.string(t)
                    if published[key]?[row.string(c)] != nil { duplicates += 1 }
                    published[key, default: [:]][row.string(c)] = (row.string(n), row.string(r))
                }
            }
        }
        check(duplicates == 0, "geopackage", "\(m.stage.folder)/tables/hotspots.csv", "\(duplicates) areas published twice in one theme and layer")
        let areaTables = tables.filter { !$0.table.hasPrefix("points_") }
        for t in areaTables {
            let rows = published[t.table] ?? [:]
            guard let features = try? gpkg.rows(t.table, columns: ["area_code", "count", "rate_per_1000"]) else {
                check(false, "geopackage", "\(location) \(t.table)", "cannot be read")
                continue
            }
            check(features.count == rows.count, "geopackage", "\(location) \(t.table)", "\(features.count) features where hotspots.csv publishes \(rows.count) areas")
            check(t.srsID == 27700, "geopackage", "\(location) \(t.table)", "srs_id \(t.srsID), not EPSG:27700")
            var differ: [String] = []
            for f in features {
                let code = f[0] ?? ""
                guard let p = rows[code] else { differ.append("\(code) (not in hotspots.csv)"); continue }
                if !Self.same(f[1], p.count, integer: true) || !Self.same(f[2], p.rate, integer: false) {
                    differ.append("\(code) (count \(f[1] ?? "NULL"), rate \(f[2] ?? "NULL") where the table has \(p.count), \(p.rate))")
                }
            }
            check(differ.isEmpty, "geopackage", "\(location) \(t.table)", "\(differ.count) features differ from hotspots.csv: \(differ.prefix(3).joined(separator: "; "))")
            check(styled.contains(t.table), "geopackage", "\(location) \(t.table)", "no style in layer_styles")
        }
        let missing = Set(published.keys).subtracting(areaTables.map(\.table))
        check(missing.isEmpty, "geopackage", location, "no layer for \(missing.sorted().prefix(5).joined(separator: ", ")) of hotspots.csv")
    }

    /// Whether a GeoPackage value equals a published cell: NULL for `~`, `*`, blank or a band (`80 to 99`, kept as
    /// text in `count_band`/`rate_band`), else the same number.
    static func same(_ value: String?, _ cell: String, integer: Bool) -> Bool {
        if cell == "~" || cell == "*" || cell.isEmpty || cell.contains(" to ") { return value == nil }
        guard let value else { return false }
        if integer { return Int(value) == Int(cell) }
        guard let a = Double(value), let b = Double(cell) else { return false }
        return abs(a - b) < 1e-9
    }
}
