import CSPCore
import CSPSchema
import CSPStorage
import GRDB

extension AssessWarehouse {
    /// A group of a dataset's records: the themes they count in (indices into the themes asked for), their code in each
    /// code column (nil when blank or when the table has no such column), and how many there are.
    struct RecordGroup {
        let themes: [Int]
        let codes: [String?]
        let count: Int
    }

    /// The records of `dataset` with a month between `from` and `to` inclusive (every record, in a theme or not),
    /// grouped by the `themes` they count in and their codes in `codeColumns`.
    func recordGroups(dataset: String, themes: [ThemeDefinition], codeColumns: [String], from: String, to: String) throws -> [RecordGroup] {
        let known = try columns(dataset)
        guard known.contains("month") else { return [] }
        var select: [String] = []
        var args = StatementArguments()
        for t in themes {
            let f = try filter(t)
            select.append("COALESCE((\(f.sql)), 0)")
            args += f.arguments
        }
        for c in codeColumns { select.append(known.contains(c) ? c.quotedDatabaseIdentifier : "NULL") }
        args += [from, to]
        let columns = select.indices.map { "c\($0)" }
        let sql = "SELECT \(columns.joined(separator: ", ")), COUNT(*) FROM (SELECT "
            + zip(select, columns).map { "\($0) AS \($1)" }.joined(separator: ", ")
            + " FROM \(dataset.quotedDatabaseIdentifier) WHERE month BETWEEN ? AND ?) GROUP BY \(columns.joined(separator: ", "))"
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: args).map { r in
                let member: [Int] = themes.indices.filter { (r[$0] as Int? ?? 0) != 0 }
                let codes: [String?] = codeColumns.indices.map { i in
                    let s: String? = r[themes.count + i]
                    return s?.isEmpty == false ? s : nil
                }
                return RecordGroup(themes: member, codes: codes, count: r[select.count])
            }
        }
    }
}
