/// One CSV record with its fields decoded to Strings. Allocates; use `CSVReader.forEach` and
/// `CSVRawRecord` on the fast path.
public struct CSVRecord: Sendable, Equatable {
    /// The physical line (1-based) where the record begins; the header is line 1 if present.
    public let line: Int
    /// The field values, unquoted, unescaped and in UTF-8.
    public let fields: [String]
    /// The first data problem found in the record, if any.
    public let problem: CSVProblem?
    /// How many physical lines the record spans (more than 1 when quoted fields hold line breaks).
    public let lineSpan: Int

    /// Creates a record; `lineSpan` defaults to 1.
    public init(line: Int, fields: [String], problem: CSVProblem? = nil, lineSpan: Int = 1) {
        self.line = line
        self.fields = fields
        self.problem = problem
        self.lineSpan = lineSpan
    }
}
