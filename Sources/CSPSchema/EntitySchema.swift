/// A cleaned entity: its name (the stage 2 file `<name>.csv`) and its columns, each with a meaning
/// (the data dictionary is generated from these). Lineage columns are appended to every entity.
public struct EntitySchema: Sendable {
    /// One column.
    public struct Column: Sendable {
        /// Name.
        public let name: String
        /// Its type (the CSV form and the warehouse's).
        public let type: ColumnType
        /// What it holds.
        public let meaning: String
    }

    /// Entity name.
    public let name: String
    /// What one row is.
    public let meaning: String
    /// Columns, lineage excluded.
    public let columns: [Column]

    /// Column names followed by the lineage columns.
    public var header: [String] { columns.map(\.name) + ["source_file", "source_record"] }

    /// Column positions by name, computed once (`index` was a linear scan of string comparisons per call).
    private let positions: NameIndex

    /// Index of a column.
    public func index(_ name: String) -> Int {
        guard let i = positions[name] else { preconditionFailure("no column \(name) in \(self.name)") }
        return i
    }

    package init(_ name: String, _ meaning: String, _ columns: [(String, ColumnType, String)]) {
        self.name = name
        self.meaning = meaning
        self.columns = columns.map { Column(name: $0.0, type: $0.1, meaning: $0.2) }
        positions = NameIndex(columns.map(\.0))
    }
}
