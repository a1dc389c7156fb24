import CSPCore
import CSPSchema
import CSPStorage
import Foundation
import GRDB

/// Read-only access to a normalise run's warehouse, with the queries the assessment needs.
final class AssessWarehouse {
    let queue: DatabaseQueue
    private var columnCache: [String: Set<String>] = [:]

    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.label = "assess-warehouse"
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
            throw StageError.io(path: path, operation: "open", reason: "\(error)")
        }
    }

    func columns(_ table: String) throws -> Set<String> {
        if let c = columnCache[table] { return c }
        let c = try queue.read { db in Set(try db.columns(in: table).map(\.name)) }
        columnCache[table] = c
        return c
    }

    func tableExists(_ table: String) throws -> Bool { try queue.read { try $0.tableExists(table) } }

    func rowCount(_ table: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }

    /// `WHERE` text (without the keyword, "1" when empty) and its arguments for a theme's conditions, columns prefixed by `alias.`.
    func filter(_ theme: ThemeDefinition, alias: String? = nil) throws -> (sql: String, arguments: StatementArguments) {
        let known = try columns(theme.dataset)
        var parts: [String] = []
        var args: [DatabaseValueConvertible?] = []
        for c in theme.conditions {
            guard known.contains(c.column) else {
                throw StageError.configuration("theme \(theme.id): \(theme.dataset) has no column \(c.column)")
            }
            let col = (alias.map { $0 + "." } ?? "") + c.column.quotedDatabaseIdentifier
            parts.append("\(col) IN (\(c.values.map { _ in "?" }.joined(separator: ", ")))")
            for v in c.values {
                switch v {
                case .int(let i): args.append(i)
                case .text(let s): args.append(s)
                }
            }
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), StatementArguments(args))
    }

    /// Counts of a theme's rows per month.
    func monthlyCounts(_ theme: ThemeDefinition) throws -> [String: Int] {
        guard try columns(theme.dataset).contains("month") else { return [:] }
        let f = try filter(theme)
        return try queue.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT month, COUNT(*) FROM \(theme.dataset.quotedDatabaseIdentifier) WHERE month IS NOT NULL AND \(f.sql) GROUP BY month", arguments: f.arguments) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Counts of every month of a whole table.
    func tableMonthlyCounts(_ table: String) throws -> [String: Int] {
        guard try columns(table).contains("month") else { return [:] }
        return try queue.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT month, COUNT(*) FROM \(table.quotedDatabaseIdentifier) WHERE month IS NOT NULL GROUP BY month") {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Stage 4's `coverage` table (the coverage calendar), nil when the warehouse has none or it is empty.
    func coverage() throws -> CoverageCalendar? {
        guard try tableExists("coverage") else { return nil }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT source, force, month, status, rows, file_names FROM coverage ORDER BY id").map { r -> CoverageCalendar.Row in
                var row = CoverageCalendar.Row(source: r[0], force: r[1] ?? "", month: r[2], status: r[3])
                row.rows = r[4] ?? 0
                let names: String = r[5] ?? ""
                row.files = names.isEmpty ? [] : names.split(separator: ";").map(String.init)
                return row
            }
        }
        return rows.isEmpty ? nil : CoverageCalendar(rows: rows)
    }

    /// The raw files a table's rows come from (`source_file`), empty when it has no lineage.
    func sourceFiles(_ table: String) throws -> Set<String> {
        guard try columns(table).contains("source_file") else { return [] }
        return try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT source_file FROM \(table.quotedDatabaseIdentifier)")) }
    }

    /// Counts of a theme's rows per area code of a layer column (`ward_code`, `place_code`) between two months inclusive.
    func areaCounts(_ theme: ThemeDefinition, codeColumn: String, from: String, to: String) throws -> [String: Int] {
        let cols = try columns(theme.dataset)
        guard cols.contains(codeColumn), cols.contains("month") else { return [:] }
        let f = try filter(theme)
        var args = f.arguments
        args += [from, to]
        return try queue.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(codeColumn.quotedDatabaseIdentifier), COUNT(*) FROM \(theme.dataset.quotedDatabaseIdentifier) WHERE \(f.sql) AND month BETWEEN ? AND ? AND \(codeColumn.quotedDatabaseIdentifier) IS NOT NULL GROUP BY 1", arguments: args) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Areas of a layer inside the partnership's local authority `laCode`: code → name, and population (layer `ward` only has one).
    func areas(layer: String, laCode: String) throws -> [(code: String, name: String, population: Int?)] {
        try queue.read { db in
            guard try db.tableExists("areas") else { return [] }
            let pops = try db.tableExists("population") ? try Row.fetchAll(db, sql: "SELECT code, population FROM population WHERE layer = ?", arguments: [layer]) : []
            var pop: [String: Int] = [:]
            for r in pops { pop[r[0]] = r[1] }
            return try Row.fetchAll(db, sql: "SELECT code, name FROM areas WHERE layer = ? AND (la_code = ? OR la_code IS NULL) ORDER BY code", arguments: [layer, laCode]).map { r in
                let code: String = r[0]
                return (code, r[1] ?? code, pop[code])
            }
        }
    }

    /// Code → `population.note` of a layer's areas that have one (why a figure is 0 or missing); empty for a
    /// warehouse whose `population` table has no `note` column.
    func populationNotes(layer: String) throws -> [String: String] {
        try queue.read { db in
            guard try db.tableExists("population"), try db.columns(in: "population").contains(where: { $0.name == "note" }) else { return [:] }
            var out: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, note FROM population WHERE layer = ? AND note IS NOT NULL AND note <> ''", arguments: [layer]) { out[r[0]] = r[1] }
            return out
        }
    }

    /// Profile records (sex, age band, ethnicity group) of the people in `personTable` linked to a crime theme's crimes of the months.
    /// None when the warehouse has no such table (data.police.uk has no victims or offenders): the profile is `*`.
    func people(_ personTable: String, crimeTheme theme: ThemeDefinition, from: String, to: String) throws -> [Profile.Record] {
        guard try tableExists(personTable) else { return [] }
        let f = try filter(theme, alias: "c")
        var args = f.arguments
        args += [from, to]
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT p.sex, p.age_band, p.ethnicity_group FROM \(personTable.quotedDatabaseIdentifier) p JOIN crimes c ON c.crime_ref = p.crime_ref WHERE \(f.sql) AND c.month BETWEEN ? AND ?", arguments: args).map(Self.record)
        }
    }

    /// Profile records of a YOS theme's cases of the months.
    func yosPeople(_ theme: ThemeDefinition, from: String, to: String) throws -> [Profile.Record] {
        guard try tableExists("yos_cases") else { return [] }
        let f = try filter(theme)
        var args = f.arguments
        args += [from, to]
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT sex, age_band, ethnicity_group FROM yos_cases WHERE \(f.sql) AND month BETWEEN ? AND ?", arguments: args).map(Self.record)
        }
    }

    static func record(_ r: Row) -> Profile.Record {
        let sex: String? = r[0], band: String? = r[1], eth: String? = r[2]
        return Profile.Record(sex: Profile.Sex(rawValue: sex ?? "U") ?? .unknown, ageBand: Profile.AgeBand(code: band ?? "unknown") ?? .unknown,
                              ethnicity: eth ?? "")
    }

    /// Survey respondents with their ward code and name.
    func respondents() throws -> [(ward: String, wardName: String, respondent: SurveyIndicators.Respondent)] {
        guard try tableExists("survey_responses") else { return [] }
        let strands = ["q_noisy_neighbours", "q_teenagers", "q_rubbish", "q_vandalism", "q_drugs", "q_drunk_rowdy", "q_abandoned_cars"]
        let sql = "SELECT weight, \(strands.map { $0 + "_score" }.joined(separator: ", ")), q_deal_with_concerns, q_understand_concerns, ward_code, ward_name FROM survey_responses ORDER BY id"
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { r in
                let w: Double = r[0] ?? 0
                let s: [Int?] = (1...7).map { r[$0] }
                let deal: String? = r[8], understand: String? = r[9]
                let resp = SurveyIndicators.Respondent(weight: w, strands: s,
                                                       dealWithConcerns: SurveyIndicators.Agreement(code: deal ?? "") ?? .blank,
                                                       understandConcerns: SurveyIndicators.Agreement(code: understand ?? "") ?? .blank)
                let ward: String? = r[10], name: String? = r[11]
                return (ward ?? "", name ?? ward ?? "", resp)
            }
        }
    }
}
