/// One row of rejects.csv, excluded.csv or duplicates.csv.
public struct RecordIssue: Sendable, Equatable {
    /// Stage that wrote it.
    public var stage: StageID
    /// Rule id, for example `csv.ragged-row`, `clean.date.impossible`, `geocode.out-of-area`.
    public var rule: String
    /// Raw file the record came from (as in the lineage columns).
    public var sourceFile: String
    /// Physical line where the record begins in that file.
    public var sourceRecord: Int
    /// Field concerned, or empty for the whole record.
    public var field: String
    /// The offending value, already masked if personal.
    public var value: String
    /// A sentence saying what is wrong (or, for duplicates, which record was kept).
    public var message: String

    /// Creates an issue row.
    public init(stage: StageID, rule: String, sourceFile: String, sourceRecord: Int, field: String = "", value: String = "", message: String) {
        self.stage = stage; self.rule = rule; self.sourceFile = sourceFile; self.sourceRecord = sourceRecord
        self.field = field; self.value = value; self.message = message
    }

    /// Column names shared by the three files.
    public static let header = ["stage", "rule", "source_file", "source_record", "field", "value", "message"]

    /// Values in header order.
    public var row: [String] { [stage.rawValue, rule, sourceFile, String(sourceRecord), field, value, message] }
}
