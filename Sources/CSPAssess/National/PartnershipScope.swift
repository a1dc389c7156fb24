import CSPCore
import Foundation
import GRDB

/// One partnership's assessment from a national warehouse: `area.partnership` (the national pipeline's
/// `--set csp=E22000010`) names a CSP, and stage 5 assesses a copy of the warehouse holding only that partnership.
///
/// The copy (`05-assess/partnership.sqlite`, listed in the manifest) has the rows of every table with a `csp_code`
/// column whose code is the partnership's, and of `areas`, `population` and `geometry` only the partnership's wards
/// (every ward of its councils; for a council of several CSPs, the wards holding at least one of the partnership's
/// records), its councils, the partnership itself and the force areas, the wards' `la_code` set to the partnership's code so that the
/// assessment's ward tables, map and rates (the sum of those wards' residents) are the partnership's. `coverage`
/// keeps the rows of the forces whose files hold the partnership's records and of its own force (`slugs` names its
/// file): a month whose file is missing for them makes the figures that need it `*`, and a force that polices
/// elsewhere does not.
/// Every other table is copied whole. The assessed area is named after the partnership (`csp_name`), and its residents
/// are the partnership's own figure (`population` layer `csp`: stage 3's sum of the LSOAs a record would give to it),
/// which for a council of one CSP is also the sum of its wards' (some of them 0 by best fit, never unknown).
enum PartnershipScope {
    /// The file name of the copy, in the stage's folder.
    static let file = "partnership.sqlite"

    /// The copy of `national` for `pipeline.area.partnership`, written to `directory`, the area to assess and its
    /// residents (nil when the warehouse has no figure for the partnership); nil when the pipeline names no
    /// partnership. A code with no record in the warehouse is a configuration error.
    static func scoped(pipeline: PipelineDefinition, national: String, directory: String, slugs: [String: String] = [:]) throws -> (path: String, area: AreaDefinition, residents: Int?)? {
        guard let code = pipeline.area.partnership, !code.isEmpty else { return nil }
        let path = directory + "/" + file
        try? FileManager.default.removeItem(atPath: path)
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path) } catch { throw StageError.io(path: path, operation: "create", reason: "\(error)") }
        var name = code
        var residents: Int?
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS national", arguments: [national])
            let tables = try String.fetchAll(db, sql: "SELECT name FROM national.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            // Each table's columns, asked once.
            var columns: [String: Set<String>] = [:]
            for t in tables {
                columns[t] = Set(try Row.fetchAll(db, sql: "PRAGMA national.table_info(\(t.quotedDatabaseIdentifier))").compactMap { $0["name"] as String? })
            }
            func hasColumn(_ t: String, _ c: String) -> Bool { columns[t]?.contains(c) == true }
            // Any dataset placed in partnerships (crimes, fire incidents, ...): a record table has csp_code.
            let recordTables = tables.filter { hasColumn($0, "csp_code") }
            guard !recordTables.isEmpty else {
                throw StageError.configuration("area.partnership \(code): no dataset of the warehouse carries csp_code (a pipeline with geography.csp publishes it)")
            }
            let names = recordTables.map { "SELECT csp_name FROM national.\($0.quotedDatabaseIdentifier) WHERE csp_code = ?" }.joined(separator: " UNION ALL ")
            guard let n = try String.fetchOne(db, sql: "SELECT csp_name FROM (\(names)) LIMIT 1", arguments: StatementArguments(Array(repeating: code, count: recordTables.count))) else {
                throw StageError.configuration("area.partnership \(code): no record of the warehouse is in that CSP (csp_code)")
            }
            name = n
            try db.inTransaction {
                for t in tables {
                    let q = t.quotedDatabaseIdentifier
                    if recordTables.contains(t) {
                        try db.execute(sql: "CREATE TABLE main.\(q) AS SELECT * FROM national.\(q) WHERE csp_code = ?", arguments: [code])
                    } else if !["areas", "population", "geometry", "coverage"].contains(t) {
                        try db.execute(sql: "CREATE TABLE main.\(q) AS SELECT * FROM national.\(q)")
                    }
                }
                // The partnership's councils, and its wards: every ward of a council of one CSP; of a council of
                // several, the wards that hold one of the partnership's records.
                let union = recordTables.map { "SELECT DISTINCT la_code, ward_code, csp_method FROM main.\($0.quotedDatabaseIdentifier)" }.joined(separator: " UNION ")
                try db.execute(sql: "CREATE TEMP TABLE placed AS \(union)")
                try db.execute(sql: """
                    CREATE TEMP TABLE wards AS
                    SELECT code FROM national.areas WHERE layer = 'ward' AND la_code IN (SELECT la_code FROM placed WHERE csp_method = 'council')
                    UNION SELECT ward_code FROM placed WHERE csp_method <> 'council'
                    """)
                try db.execute(sql: """
                    CREATE TABLE main.areas AS SELECT * FROM national.areas
                    WHERE (layer = 'ward' AND code IN (SELECT code FROM wards)) OR (layer = 'la' AND code IN (SELECT la_code FROM placed))
                       OR (layer = 'csp' AND code = ?) OR layer = 'pfa'
                    """, arguments: [code])
                try db.execute(sql: "UPDATE main.areas SET la_code = ? WHERE layer = 'ward'", arguments: [code])
                if tables.contains("coverage") {
                    let lineage = recordTables.filter { hasColumn($0, "source_file") }
                    let files = lineage.isEmpty ? [] : try String.fetchAll(db, sql: lineage.map { "SELECT DISTINCT source_file FROM main.\($0.quotedDatabaseIdentifier)" }.joined(separator: " UNION "))
                    var forces = Set(files.compactMap { CoverageCalendar.monthAndForce(of: $0)?.force })
                    if let force = try String.fetchOne(db, sql: "SELECT pfa_name FROM main.\(recordTables[0].quotedDatabaseIdentifier) WHERE pfa_name IS NOT NULL LIMIT 1").flatMap({ slugs[$0] }) { forces.insert(force) }
                    let list = forces.sorted()
                    try db.execute(sql: "CREATE TABLE main.coverage AS SELECT * FROM national.coverage WHERE force = '' OR force IN (\(list.map { _ in "?" }.joined(separator: ", ")))",
                                   arguments: StatementArguments(list))
                }
                for t in ["population", "geometry"] where tables.contains(t) {
                    try db.execute(sql: "CREATE TABLE main.\(t) AS SELECT * FROM national.\(t) WHERE (layer = 'ward' AND code IN (SELECT code FROM wards)) OR (layer = 'csp' AND code = ?)", arguments: [code])
                }
                if tables.contains("population") {
                    residents = try Int.fetchOne(db, sql: "SELECT population FROM main.population WHERE layer = 'csp' AND code = ?", arguments: [code])
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE national")
        }
        try queue.close()
        var area = pipeline.area
        area.name = name; area.laCode = code; area.everyWard = nil
        return (path, area, residents)
    }
}
