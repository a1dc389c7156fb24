/// One column of a published dataset, with where it comes from and what it means (the dictionary is built from these).
public struct PublishedColumn: Sendable, Equatable {
    /// Where a column comes from.
    public enum Role: String, Sendable {
        /// A stage 2 entity column (`EntitySchema`).
        case entity
        /// An area layer's code or name, added by stage 3.
        case geography
        /// How stage 3 placed the record.
        case geocode
        /// `source_file`, `source_record`.
        case lineage
        /// A column stage 3 added that this stage does not know (kept as text).
        case other
        /// A column of a reference table (`areas`, `population`).
        case reference
    }

    /// Name, as in the CSV header and the warehouse.
    public let name: String
    /// Type.
    public let type: ColumnType
    /// What it holds.
    public let meaning: String
    /// Where it comes from.
    public let role: Role
    /// Whether the warehouse refuses NULL.
    public let notNull: Bool

    /// Creates a column.
    public init(name: String, type: ColumnType, meaning: String, role: Role, notNull: Bool = false) {
        self.name = name; self.type = type; self.meaning = meaning; self.role = role; self.notNull = notNull
    }

    /// Whether CSV cells of this column are neutralised against spreadsheet formulas (every non-numeric column).
    public var neutralised: Bool { !type.isNumeric }
}
