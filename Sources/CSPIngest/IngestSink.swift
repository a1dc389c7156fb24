import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV

/// Where a source's records go: its stage 1 CSV, or the rejects; keeps the source's counts.
struct IngestSink {
    let source: SourceDefinition
    let writer: CSVWriter
    let rejects: RecordIssueWriter
    /// The source's counts so far.
    var counts = StageCounts()
    /// Messages for inputs that could not be read to their end.
    var broken: [String] = []
    private var headerWritten: [String]?

    init(source: SourceDefinition, writer: CSVWriter, rejects: RecordIssueWriter) {
        self.source = source; self.writer = writer; self.rejects = rejects
    }

    /// Writes the output header once. Returns the columns of an earlier file when this file's differ
    /// (schema drift for a source without a `columns:` mapping); nil when they agree.
    mutating func header(_ columns: [String], file: String) throws -> [String]? {
        if let written = headerWritten { return written == columns ? nil : written }
        try writer.writeRow(columns + IngestStage.lineageColumns)
        headerWritten = columns
        return nil
    }

    /// Records a rejected record.
    mutating func reject(rule: String, file: String, line: Int, field: String, value: String, message: String) throws {
        counts.inCount += 1
        counts.rejected += 1
        let personal = source.personal.contains(field)
        try rejects.write(RecordIssue(stage: .ingest, rule: rule, sourceFile: file, sourceRecord: line, field: field,
                                      value: Mask.value(value, personal: personal), message: message))
    }

    /// Counts a written record (the caller wrote its fields and lineage through `writer`).
    mutating func wrote() { counts.inCount += 1; counts.out += 1 }

    /// Writes the header if no file had records, and closes the output.
    mutating func finish() throws {
        if headerWritten == nil { try writer.writeRow((source.columns.isEmpty ? [] : source.columns.map(\.name)) + IngestStage.lineageColumns) }
        try writer.close()
    }
}
