import CSPSchema
import Foundation

/// The tables of a run's `04-normalised/DICTIONARY.md` (written by stage 4 from ``PublishedDataset``): per dataset
/// its columns with their published types and NOT NULL, its unique keys (with the exemption column of a natural key,
/// `UNIQUE(crime_ref) WHERE NOT crime_ref_collision`) and its indexes. The run's own dictionary, not this build's
/// catalogue, so an older run loads with the schema it was published with.
public struct DataDictionary: Sendable {
    /// One dataset's table.
    public struct Table: Sendable {
        /// Dataset name.
        public var name: String
        /// Columns in CSV order: name, published type, NOT NULL.
        public var columns: [(name: String, type: ColumnType, notNull: Bool)]
        /// UNIQUE keys: columns and the flag column whose rows are exempt.
        public var unique: [(columns: [String], exempt: String?)]
        /// Indexed column lists.
        public var indexes: [[String]]
    }

    /// Tables by dataset name.
    public var tables: [String: Table]

    /// Reads `path`; throws ``PublishError/runMismatch(file:reason:)`` naming the line it cannot read.
    public init(path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PublishError.runMismatch(file: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        var tables: [String: Table] = [:]
        var current: Table?
        func close() { if let c = current { tables[c.name] = c }; current = nil }
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("## `"), line.hasSuffix("`") {
                close()
                current = Table(name: String(line.dropFirst(4).dropLast()), columns: [], unique: [], indexes: [])
            } else if line.hasPrefix("## ") || line.hasPrefix("### ") {
                close()
            } else if current != nil, line.hasPrefix("Keys: ") {
                // UNIQUE(`a`, `b`), UNIQUE(`key`) WHERE NOT `flag`
                for part in line.components(separatedBy: "UNIQUE(").dropFirst() {
                    guard let close = part.firstIndex(of: ")") else { continue }
                    let cols = Self.quoted(part[..<close])
                    let after = part[part.index(after: close)...]
                    let exempt = after.hasPrefix(" WHERE NOT `") ? Self.quoted(after.prefix { $0 != "," && $0 != "." }).first : nil
                    current!.unique.append((cols, exempt))
                }
            } else if current != nil, line.hasPrefix("Indexes: ") {
                current!.indexes = line.dropFirst("Indexes: ".count).split(separator: ";").map { Self.quoted($0) }.filter { !$0.isEmpty }
            } else if current != nil, line.hasPrefix("| `") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count > 3, let name = Self.quoted(Substring(cells[1])).first else { continue }
                guard let type = ColumnType(rawValue: cells[2]) else {
                    throw PublishError.runMismatch(file: path, reason: "line \(n + 1): column \(name) has type `\(cells[2])`, which csp publish does not know")
                }
                current!.columns.append((name, type, cells[3].contains("NOT NULL")))
            }
        }
        close()
        guard !tables.isEmpty else { throw PublishError.runMismatch(file: path, reason: "no dataset sections (## `name`)") }
        self.tables = tables
    }

    /// The names between backquotes in `text`.
    static func quoted(_ text: Substring) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}
