/// The type of a published column: the stage 2 schema's types, as stored in the CSVs and in the warehouse.
///
/// CSV cells are text; the warehouse stores `integer`, `real` and `boolean` as numbers and the date types as
/// ISO 8601 text, each guarded by a CHECK. A blank cell is NULL in the warehouse, whatever the type.
public enum ColumnType: String, Sendable, CaseIterable, Codable {
    /// Free text.
    case text
    /// A whole number, optionally negative.
    case integer
    /// A decimal number (`-0.52`, `1.25e3`); never `nan` or `inf`.
    case real
    /// `YYYY-MM-DD`, a real calendar day.
    case date
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, local time.
    case datetime
    /// `YYYY-MM`.
    case month
    /// `true` or `false` in CSV; 1 or 0 in the warehouse.
    case boolean


    /// Whether CSV cells of this type are numbers (never neutralised against spreadsheet formulas).
    public var isNumeric: Bool { self == .integer || self == .real }

    /// How the dictionary describes the type's CSV form and warehouse form.
    public var dictionaryNote: String {
        switch self {
        case .text: return "TEXT"
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .boolean: return "INTEGER 1/0 (CSV: true/false)"
        case .date: return "TEXT YYYY-MM-DD"
        case .datetime: return "TEXT YYYY-MM-DD[THH:MM[:SS]]"
        case .month: return "TEXT YYYY-MM"
        }
    }
}
