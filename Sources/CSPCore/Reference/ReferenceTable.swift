import CSPCSV
import CSPStorage

/// A reference CSV (offence codes, ward aliases, ethnicity groups...) looked up by one or more key columns.
/// Keys are compared trimmed and upper-cased with inner spaces collapsed, so export spelling does not matter.
/// Rows whose keys differ only in spelling (`Ampthill`, `AMPTHILL`) must agree on every other column.
public struct ReferenceTable: Sendable {
    /// The reference's name in the pipeline.
    public let name: String
    /// File.
    public let path: String
    /// Header.
    public let columns: [String]
    /// Rows in file order.
    public let rows: [[String]]
    private let byKey: [String: Int]

    /// Loads `path`, keyed by `keyColumn`. Duplicate keys that disagree are a configuration error.
    public init(name: String, path: String, keyColumn: String, required: [String] = []) throws {
        try self.init(name: name, path: path, keyColumns: [keyColumn], required: required)
    }

    /// Loads `path`, keyed by several columns together (for example alias and vintage).
    public init(name: String, path: String, keyColumns: [String], required: [String] = []) throws {
        self.name = name
        self.path = path
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            if let e = error as? CSVFileError, case .cannotOpen(_, let reason) = e { throw StageError.io(path: path, operation: "read", reason: reason) }
            throw StageError.configuration("reference `\(name)` (\(path)): \(error)")
        }
        let columns = reader.header.map { Text.trim($0) }
        self.columns = columns
        for c in keyColumns + required where !columns.contains(c) {
            throw StageError.configuration("reference `\(name)` (\(path)) has no column `\(c)`; its header is \(columns.joined(separator: ","))")
        }
        let keys = keyColumns.map { columns.firstIndex(of: $0)! }
        var rows: [[String]] = []
        var byKey: [String: Int] = [:]
        while let r = reader.next() {
            if let p = r.problem { throw StageError.configuration("reference `\(name)` (\(path)) line \(r.line): \(p.description)") }
            let values = r.fields.map { Text.trim($0) }
            let key = ReferenceTable.key(keys.map { r.fields[$0] })
            if let earlier = byKey[key] {
                let others = values.indices.filter { !keys.contains($0) }
                if others.contains(where: { rows[earlier][$0] != values[$0] }) {
                    throw StageError.configuration("reference `\(name)` (\(path)) line \(r.line): key `\(keys.map { r.fields[$0] }.joined(separator: ", "))` appears twice with different values")
                }
                continue
            }
            byKey[key] = rows.count
            rows.append(values)
        }
        self.rows = rows
        self.byKey = byKey
    }

    /// The normal form keys are compared in.
    public static func normalise(_ s: String) -> String {
        Text.uppercased(Text.tidy(s))
    }

    /// The dictionary key of key values: each normalised, joined by U+001F. One value is its own key (no join).
    static func key(_ parts: [String]) -> String {
        parts.count == 1 ? normalise(parts[0]) : parts.map(normalise).joined(separator: "\u{1F}")
    }

    /// One row of the table: its values by column name, without building a dictionary per lookup.
    public struct Row: Sendable {
        /// The table's header.
        public let columns: [String]
        /// The row's values, trimmed, in header order.
        public let values: [String]

        /// The value of `column`, or nil when the table has no such column.
        public subscript(_ column: String) -> String? {
            columns.firstIndex(of: column).map { values[$0] }
        }
    }

    /// The position in `rows` of the row for `key` (one value per key column).
    public func rowIndex(_ key: [String]) -> Int? { byKey[ReferenceTable.key(key)] }

    /// The row for `key` (one value per key column).
    public func lookup(_ key: String...) -> Row? {
        guard let i = byKey[ReferenceTable.key(key)] else { return nil }
        return Row(columns: columns, values: rows[i])
    }

    /// One value of the row for `key`.
    public func value(_ key: String..., column: String) -> String? {
        guard let i = byKey[ReferenceTable.key(key)], let c = columns.firstIndex(of: column) else { return nil }
        return rows[i][c]
    }
}
