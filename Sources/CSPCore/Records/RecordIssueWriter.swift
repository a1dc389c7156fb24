import CSPCSV

/// Writes rejects.csv, excluded.csv or duplicates.csv, counting rows per rule and per source.
public final class RecordIssueWriter {
    /// File being written.
    public let path: String
    private let writer: CSVWriter
    /// Rows written.
    public private(set) var count = 0
    /// Rows per rule.
    public private(set) var byRule: [String: Int] = [:]

    /// Creates the file and writes the header.
    public init(path: String) throws {
        self.path = path
        do { writer = try CSVWriter(path: path) } catch {
            throw StageError.io(path: path, operation: "create", reason: (error as? CSVFileError)?.reason ?? "\(error)")
        }
        try writer.writeRow(RecordIssue.header)
    }

    /// Appends one row. Values longer than 200 characters are cut, so a 50 MB field cannot bloat the rejects;
    /// control characters are replaced by U+FFFD; text cells are spreadsheet-safe (`SpreadsheetSafe.textCell`:
    /// a value that a spreadsheet would run as a formula gets a leading `'`).
    public func write(_ issue: RecordIssue) throws {
        var row = issue.row
        if row[5].count > 200 { row[5] = String(row[5].prefix(200)) + "…(\(row[5].utf8.count) bytes)" }
        // Control characters (a NUL byte, say) are shown as U+FFFD: rejects stay plain text for any viewer.
        if row[5].unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
            row[5] = String(String.UnicodeScalarView(row[5].unicodeScalars.map { $0.value < 0x20 && $0 != "\t" ? "\u{FFFD}" : $0 }))
        }
        for i in row.indices where i != 3 { row[i] = SpreadsheetSafe.textCell(row[i]) }  // 3: source_record, a number
        try writer.writeRow(row)
        count += 1
        byRule[issue.rule, default: 0] += 1
    }

    /// Flushes and closes.
    public func close() throws { try writer.close() }
}
