@testable import CSPAssess
import CSPStorage
import Foundation
import GRDB
import Testing

/// The GeoPackage's area layers from hand-made published rows: values exactly as the table publishes them (a `~` is
/// NULL and flagged, never a number), the report's quintile classes worked out by hand from their definition (the
/// share of the layer's published rates below a rate: 0-20% class 1, ..., 80-100% class 5), the style's colours.
@Suite struct AssessGeoPackageTests {
    static let header = ["theme_id", "theme", "layer", "area_code", "area", "count", "population", "rate_per_1000", "expected", "basis",
                         "p_value", "adjusted_p", "hotspot", "gi_star_z", "gi_star_p", "gi_star_adjusted_p", "gi_star_hotspot"]
    static let rows = [
        ["burglary", "Burglary", "ward", "W1", "Alpha", "10", "4000", "2.50", "12.00", "population", "0.7000", "0.9000", "no", "*", "*", "*", "*"],
        ["burglary", "Burglary", "ward", "W2", "Beta", "~", "1000", "~", "~", "population", "~", "~", "~", "*", "*", "*", "*"],
        ["burglary", "Burglary", "ward", "W3", "Gamma", "20", "4000", "5.00", "11.00", "population", "0.0100", "0.0300", "yes", "*", "*", "*", "*"],
    ]

    /// A warehouse holding only the `geometry` table (what the layers read), in a temporary folder.
    static func warehouse(_ dir: String) throws -> AssessWarehouse {
        let path = dir + "/warehouse.sqlite"
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: "CREATE TABLE geometry (id INTEGER PRIMARY KEY, layer TEXT NOT NULL, code TEXT NOT NULL, name TEXT, wkt TEXT)")
            for (i, code) in ["W1", "W2", "W3"].enumerated() {
                let x = i * 100
                try db.execute(sql: "INSERT INTO geometry (layer, code, name, wkt) VALUES ('ward', ?, ?, ?)",
                               arguments: [code, code, "MULTIPOLYGON(((\(x) 0,\(x + 100) 0,\(x + 100) 100,\(x) 0)))"])
            }
        }
        return try AssessWarehouse(path: path)
    }

    @Test func layersHoldThePublishedCellsAndTheReportsClasses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpkg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let built = try AssessGeoPackage.areaLayers(hotspots: [Self.header] + Self.rows, warehouse: try Self.warehouse(dir), period: "2024-01..2024-12")
        #expect(built.missing.isEmpty)
        #expect(built.layers.map(\.table) == ["ward_burglary"])
        try GeoPackageWriter(path: dir + "/t.gpkg").write(built.layers, lastChange: "2024-12-01T00:00:00.000Z")

        let r = try GeoPackageReader(path: dir + "/t.gpkg")
        #expect(try r.header().applicationID == 0x4750_4B47 && r.header().userVersion == 10300)
        let got = try r.rows("ward_burglary", columns: ["area_code", "count", "rate_per_1000", "hotspot", "withheld", "withheld_columns", "rate_class", "rate_class_label"])
        #expect(got.count == 3)
        #expect(got[0] == ["W1", "10", "2.5", "no", "0", nil, "1", "2.5 to 2.5"])          // 0 of 2 rates below: class 1
        #expect(got[1] == ["W2", nil, nil, nil, "1", "count,rate_per_1000,expected,p_value,adjusted_p,hotspot", nil, nil])
        #expect(got[2] == ["W3", "20", "5.0", "yes", "0", nil, "3", "5.0 to 5.0"])          // 1 of 2 below (50%): class 3
        #expect(try r.styledTables() == ["ward_burglary"])
        let qml = try #require(built.layers[0].style?.qml)
        #expect(qml.contains("filter=\"&quot;rate_class&quot; = 1\" label=\"2.5 to 2.5\""))
        #expect(qml.contains("filter=\"&quot;rate_class&quot; = 3\" label=\"5.0 to 5.0\""))
        #expect(qml.contains("value=\"239,243,255,255\"") && qml.contains("value=\"107,174,214,255\""))  // #eff3ff, #6baed6
        #expect(qml.contains("&quot;hotspot&quot; = 'yes' AND NOT &quot;withheld&quot;"))
    }
}
