import Foundation
import GRDB

/// Reads back what a GeoPackage holds, for `csp audit` and the tests: its header values, its feature tables and their
/// rows as text (NULL as nil). Opened read-only.
package final class GeoPackageReader {
    /// File path.
    package let path: String
    private let queue: DatabaseQueue

    /// Opens `path` read-only.
    package init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.readonly = true
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
            throw IOFailure(path: path, operation: "open", reason: "\(error)")
        }
    }

    /// `PRAGMA application_id` and `PRAGMA user_version`.
    package func header() throws -> (applicationID: Int, userVersion: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0, try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
        }
    }

    /// Feature tables of gpkg_contents with their geometry type and srs_id (gpkg_geometry_columns), by table name.
    package func featureTables() throws -> [(table: String, geometryType: String, srsID: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.table_name, g.geometry_type_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name)
                WHERE c.data_type = 'features' ORDER BY c.table_name
                """).map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// Tables that have a row in `layer_styles` (none when there is no such table).
    package func styledTables() throws -> Set<String> {
        try read { db in
            guard try db.tableExists("layer_styles") else { return [] }
            return Set(try String.fetchAll(db, sql: "SELECT DISTINCT f_table_name FROM layer_styles WHERE styleQML IS NOT NULL AND styleQML <> ''"))
        }
    }

    /// `columns` of every row of `table` in `fid` order, as text (a number as SQLite prints it; NULL as nil).
    package func rows(_ table: String, columns: [String]) throws -> [[String?]] {
        try read { db in
            let list = columns.map(GeoPackageWriter.quote).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT \(list) FROM \(GeoPackageWriter.quote(table)) ORDER BY fid").map { row in
                (0..<columns.count).map { i in
                    switch (row[i] as DatabaseValue).storage {
                    case .null: return nil
                    case let .int64(v): return String(v)
                    case let .double(v): return String(v)
                    case let .string(v): return v
                    case let .blob(v): return "<\(v.count) bytes>"
                    }
                }
            }
        }
    }

    /// Rows of `table`.
    package func count(_ table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(GeoPackageWriter.quote(table))") ?? 0 }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw IOFailure(path: path, operation: "read", reason: "\(error)") }
    }
}
