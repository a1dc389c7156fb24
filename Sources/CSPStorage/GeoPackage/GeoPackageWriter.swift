import Foundation
import GRDB

/// Writes an OGC GeoPackage 1.3 file (an SQLite database: `application_id` 0x47504B47 'GPKG', `user_version` 10300)
/// with GRDB: the required `gpkg_spatial_ref_sys` (with EPSG:27700, British National Grid), `gpkg_contents` and
/// `gpkg_geometry_columns`, one feature table per layer (`fid` INTEGER PRIMARY KEY, `geom`, typed attribute columns)
/// and, when any layer has one, QGIS's `layer_styles` table (QML and SLD per layer, the style QGIS applies when it
/// opens the layer). No GDAL at build time.
///
/// The file is deterministic: the same layers give the same bytes (`last_change` is the caller's, not the clock's;
/// no spatial index, whose R-tree pages depend on nothing but the rows but would double the file for a few hundred
/// areas). It is written in one transaction into a path the caller owns (the stage's temporary folder).
package final class GeoPackageWriter {
    /// One attribute column of a feature table.
    package struct Column: Sendable {
        /// Column name.
        package var name: String
        /// SQLite/GeoPackage type: `TEXT`, `INTEGER`, `REAL`, `BOOLEAN`.
        package var type: String
        /// Creates a column.
        package init(_ name: String, _ type: String) { self.name = name; self.type = type }
    }

    /// A layer's QGIS style (`layer_styles` row).
    package struct Style: Sendable {
        /// `styleName`.
        package var name: String
        /// QGIS's own format (`styleQML`).
        package var qml: String
        /// OGC Styled Layer Descriptor (`styleSLD`).
        package var sld: String
        /// `description`.
        package var description: String
        /// Creates a style.
        package init(name: String, qml: String, sld: String, description: String) { self.name = name; self.qml = qml; self.sld = sld; self.description = description }
    }

    /// One feature table.
    package struct Layer {
        /// Table name (also `identifier`).
        package var table: String
        /// `description` in gpkg_contents.
        package var description: String
        /// `POINT` or `MULTIPOLYGON`.
        package var geometryType: String
        /// Attribute columns after `fid` and `geom`.
        package var columns: [Column]
        /// Features: geometry and one value per column (nil is NULL).
        package var features: [(geometry: GeoPackageGeometry, values: [DatabaseValueConvertible?])]
        /// More features, streamed: called once with a function that writes one feature (so a layer of millions of
        /// points is never held in memory); after ``features``.
        package var stream: ((_ emit: (GeoPackageGeometry, [DatabaseValueConvertible?]) throws -> Void) throws -> Void)?
        /// Its style, if any.
        package var style: Style?
        /// Creates a layer.
        package init(table: String, description: String, geometryType: String, columns: [Column],
                     features: [(geometry: GeoPackageGeometry, values: [DatabaseValueConvertible?])] = [],
                     stream: ((_ emit: (GeoPackageGeometry, [DatabaseValueConvertible?]) throws -> Void) throws -> Void)? = nil, style: Style? = nil) {
            self.table = table; self.description = description; self.geometryType = geometryType; self.columns = columns
            self.features = features; self.stream = stream; self.style = style
        }
    }

    /// `application_id` of a GeoPackage ('GPKG').
    package static let applicationID: Int32 = 0x4750_4B47
    /// `user_version` of GeoPackage 1.3.0.
    package static let userVersion = 10300
    /// EPSG:27700, British National Grid (OSGB36 / British National Grid), as OGC WKT (EPSG's own definition).
    package static let bngSRS: (id: Int32, name: String, wkt: String) = (27700, "OSGB36 / British National Grid", """
        PROJCS["OSGB36 / British National Grid",GEOGCS["OSGB36",DATUM["Ordnance_Survey_of_Great_Britain_1936",\
        SPHEROID["Airy 1830",6377563.396,299.3249646,AUTHORITY["EPSG","7001"]],\
        TOWGS84[446.448,-125.157,542.06,0.15,0.247,0.842,-20.489],AUTHORITY["EPSG","6277"]],\
        PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],\
        AUTHORITY["EPSG","4277"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",49],\
        PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],\
        PARAMETER["false_northing",-100000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],\
        AXIS["Northing",NORTH],AUTHORITY["EPSG","27700"]]
        """)

    /// File path.
    package let path: String
    private let queue: DatabaseQueue

    /// Creates (or truncates) the GeoPackage at `path`: pragmas and the required tables.
    package init(path: String) throws {
        self.path = path
        unlink(path)
        var config = Configuration()
        config.label = "geopackage"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = MEMORY")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(Self.userVersion)")
            }
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                    CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                    CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                    """)
                // The three definitions the standard requires, then British National Grid.
                let rows: [(String, Int32, String, Int32, String, String)] = [
                    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
                    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
                    ("WGS 84 geodetic", 4326, "EPSG", 4326, Self.wgs84WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
                    (Self.bngSRS.name, Self.bngSRS.id, "EPSG", Self.bngSRS.id, Self.bngSRS.wkt, "British National Grid metres (the outlines stage 3 publishes)"),
                ]
                for r in rows {
                    try db.execute(sql: "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", arguments: [r.0, r.1, r.2, r.3, r.4, r.5])
                }
            }
        } catch {
            throw IOFailure(path: path, operation: "create", reason: "\(error)")
        }
    }

    /// EPSG:4326 (WGS 84), one of the definitions the standard requires in every GeoPackage.
    static let wgs84WKT = """
        GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],\
        AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],\
        UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],\
        AUTHORITY["EPSG","4326"]]
        """

    /// Adds `layers` in one transaction, each with its gpkg_contents row (extent of its features, `lastChange` as
    /// `last_change`) and gpkg_geometry_columns row, in EPSG:27700; their styles into `layer_styles`. Returns the
    /// features written per table.
    @discardableResult
    package func write(_ layers: [Layer], lastChange: String) throws -> [String: Int] {
        var written: [String: Int] = [:]
        do {
            try queue.write { db in
                for layer in layers {
                    let q = Self.quote(layer.table)
                    let cols = layer.columns.map { "\(Self.quote($0.name)) \($0.type)" }
                    try db.execute(sql: "CREATE TABLE \(q) (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom \(layer.geometryType)\(cols.isEmpty ? "" : ", " + cols.joined(separator: ", ")))")
                    let names = (["geom"] + layer.columns.map(\.name)).map(Self.quote).joined(separator: ", ")
                    let statement = try db.makeStatement(sql: "INSERT INTO \(q) (\(names)) VALUES (\(Array(repeating: "?", count: layer.columns.count + 1).joined(separator: ", ")))")
                    var extent: (minX: Double, minY: Double, maxX: Double, maxY: Double)?
                    var count = 0
                    func emit(_ geometry: GeoPackageGeometry, _ values: [DatabaseValueConvertible?]) throws {
                        guard values.count == layer.columns.count else {
                            throw IOFailure(path: path, operation: "write", reason: "a feature of \(layer.table) has \(values.count) values for \(layer.columns.count) columns")
                        }
                        if let g = geometry.envelope {
                            extent = extent.map { (min($0.minX, g.minX), min($0.minY, g.minY), max($0.maxX, g.maxX), max($0.maxY, g.maxY)) } ?? g
                        }
                        try statement.execute(arguments: StatementArguments([geometry.blob(srsID: Self.bngSRS.id)] + values.map { $0?.databaseValue ?? .null }))
                        count += 1
                    }
                    for f in layer.features { try emit(f.geometry, f.values) }
                    try layer.stream?(emit)
                    written[layer.table] = count
                    try db.execute(sql: """
                        INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
                        VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [layer.table, layer.table, layer.description, lastChange, extent?.minX, extent?.minY, extent?.maxX, extent?.maxY, Self.bngSRS.id])
                    try db.execute(sql: "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                                   arguments: [layer.table, layer.geometryType, Self.bngSRS.id])
                }
                let styled = layers.filter { $0.style != nil }
                guard !styled.isEmpty else { return }
                // QGIS's own table (QgsOgrProviderUtils): an attributes table in gpkg_contents, read when a layer opens.
                try db.execute(sql: """
                    CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
                      f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
                      useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
                    """)
                try db.execute(sql: "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?)",
                               arguments: [lastChange])
                for layer in styled {
                    let s = layer.style!
                    try db.execute(sql: """
                        INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD,
                          useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, 'geom', ?, ?, ?, 1, ?, '', NULL, ?)
                        """, arguments: [layer.table, s.name, s.qml, s.sld, s.description, lastChange])
                }
            }
        } catch let e as IOFailure {
            throw e
        } catch {
            throw IOFailure(path: path, operation: "write", reason: "\(error)")
        }
        return written
    }

    /// A quoted SQL identifier.
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
