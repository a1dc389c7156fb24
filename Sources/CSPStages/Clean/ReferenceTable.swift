import CSPCore
import CSPCSV

/// A reference CSV (offence codes, ward aliases, ethnicity groups...) looked up by one key column.
/// Keys are compared trimmed and upper-cased with inner spaces collapsed, so export spelling does not matter.
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

    /// Loads `path`, keyed by `keyColumn`. Duplicate keys are a configuration error.
    public init(name: String, path: String, keyColumn: String, required: [String] = []) throws {
        self.name = name
        self.path = path
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw StageError.configuration("reference `\(name)` (\(path)): \(error)") }
        columns = reader.header.map { $0.trimmingCharacters(in: .whitespaces) }
        for c in [keyColumn] + required where !columns.contains(c) {
            throw StageError.configuration("reference `\(name)` (\(path)) has no column `\(c)`; its header is \(columns.joined(separator: ","))")
        }
        let k = columns.firstIndex(of: keyColumn)!
        var rows: [[String]] = []
        var byKey: [String: Int] = [:]
        while let r = reader.next() {
            if let p = r.problem { throw StageError.configuration("reference `\(name)` (\(path)) line \(r.line): \(p.description)") }
            let key = ReferenceTable.normalise(r.fields[k])
            if byKey[key] != nil { throw StageError.configuration("reference `\(name)` (\(path)) line \(r.line): key `\(r.fields[k])` appears twice") }
            byKey[key] = rows.count
            rows.append(r.fields.map { $0.trimmingCharacters(in: .whitespaces) })
        }
        self.rows = rows
        self.byKey = byKey
    }

    /// The normal form keys are compared in.
    public static func normalise(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").uppercased()
    }

    /// The row for `key`, as column → value.
    public func lookup(_ key: String) -> [String: String]? {
        guard let i = byKey[ReferenceTable.normalise(key)] else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(columns, rows[i]))
    }

    /// One value of the row for `key`.
    public func value(_ key: String, _ column: String) -> String? {
        guard let i = byKey[ReferenceTable.normalise(key)], let c = columns.firstIndex(of: column) else { return nil }
        return rows[i][c]
    }
}
