import CSPSchema
import CSPStorage
import GRDB

extension AssessWarehouse {
    /// One crime of the months asked for: the crime themes it counts in (indices into the themes asked for) and its
    /// outcomes recorded up to the last month (data.police.uk `outcomes`, joined on `crime_ref`), oldest first.
    struct CrimeOutcomes {
        let themes: [Int]
        /// (month, outcome text) of each outcome row, in warehouse order (`id`).
        var outcomes: [(month: String, outcome: String)]
    }

    /// The `crimes` rows with a month between `from` and `to` inclusive that count in at least one of `themes` (each
    /// a theme of dataset `crimes`), each with its outcome rows of a month up to `to`. Empty when the warehouse has
    /// no `outcomes` table.
    func crimeOutcomes(themes: [AssessTheme], from: String, to: String) throws -> [CrimeOutcomes] {
        guard try tableExists("outcomes"), try tableExists("crimes"), !themes.isEmpty else { return [] }
        var select: [String] = []
        var args = StatementArguments()
        for t in themes {
            let f = try filter(t, alias: "c")
            select.append("COALESCE((\(f.sql)), 0)")
            args += f.arguments
        }
        args += [to, from, to]
        let sql = "SELECT c.id, \(select.joined(separator: ", ")), o.month, o.outcome_type FROM crimes c "
            + "LEFT JOIN outcomes o ON o.crime_ref = c.crime_ref AND o.month <= ? "
            + "WHERE c.month BETWEEN ? AND ? ORDER BY c.id, o.id"
        return try queue.read { db in
            var out: [CrimeOutcomes] = []
            var lastID: Int64? = nil
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let r = try cursor.next() {
                let id: Int64 = r[0]
                if id != lastID {
                    lastID = id
                    out.append(CrimeOutcomes(themes: themes.indices.filter { (r[1 + $0] as Int? ?? 0) != 0 }, outcomes: []))
                }
                let month: String? = r[1 + themes.count], text: String? = r[2 + themes.count]
                if let month, let text { out[out.count - 1].outcomes.append((month, text)) }
            }
            return out.filter { !$0.themes.isEmpty }
        }
    }

    /// The stop-and-search records with a month between `from` and `to` inclusive, grouped by the values of
    /// `columns` (nil when blank or when the table has no such column), with their numbers.
    func stopSearchGroups(columns wanted: [String], from: String, to: String) throws -> [(values: [String?], count: Int)] {
        guard try tableExists("stop_searches") else { return [] }
        let known = try columns("stop_searches")
        guard known.contains("month") else { return [] }
        let select = wanted.map { known.contains($0) ? "CAST(\($0.quotedDatabaseIdentifier) AS TEXT)" : "NULL" }
        let names = select.indices.map { "c\($0)" }
        let sql = "SELECT \(names.joined(separator: ", ")), COUNT(*) FROM (SELECT "
            + zip(select, names).map { "\($0) AS \($1)" }.joined(separator: ", ")
            + " FROM stop_searches WHERE month BETWEEN ? AND ?) GROUP BY \(names.joined(separator: ", ")) ORDER BY \(names.joined(separator: ", "))"
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [from, to]).map { r in
                let values: [String?] = wanted.indices.map { i in
                    let s: String? = r[i]
                    return s?.isEmpty == false ? s : nil
                }
                return (values, r[wanted.count])
            }
        }
    }
}
