import CSPCore
import CSPCSV
import GRDB

/// Loads one stage 3 file into its published CSV and its warehouse table, row by row, in file order.
///
/// Each row is checked against its columns' types first: a cell that is not of its type rejects the row
/// (`normalise.type.<type>`). A valid row is offered to the table's prepared INSERT; a row whose natural key or lineage
/// is already stored goes to duplicates.csv (`normalise.duplicate.<columns>`, naming the row kept); a row refused by
/// any other constraint is rejected (`normalise.constraint`). Only stored rows are written to the CSV, so the CSV and
/// the table always hold the same rows in the same order (the table's `id` is the CSV's data row number).
struct DatasetLoader {
    let dataset: PublishedDataset
    let context: StageContext
    /// Accumulates the time spent in the warehouse's INSERTs (for the load rate in the log).
    let insertTime: InsertClock

    /// Loads `input`, already opened as `reader`; returns the entity's counts.
    func load(_ reader: CSVReader, input: String, inserter: TableInserter) throws -> StageCounts {
        let n = dataset.columns.count
        guard reader.header == dataset.header else {
            throw StageError.malformedInput(file: input, line: 1, message: "header \(reader.header.joined(separator: ",")) is not \(dataset.header.joined(separator: ","))")
        }
        let neutral = dataset.columns.map(\.neutralised)
        let lineage = dataset.hasLineage
        let outPath = context.outputPath(dataset.name + ".csv")
        let csv: CSVWriter
        do { csv = try CSVWriter(path: outPath) } catch { throw StageError.io(path: outPath, operation: "create", reason: "\(error)") }
        try csv.writeRow(dataset.header)

        var counts = StageCounts()
        var failure: Error?
        reader.forEach { rec in
            if failure != nil { return }
            do {
                counts.inCount += 1
                guard rec.problem == nil, rec.count == n else {
                    throw StageError.malformedInput(file: input, line: rec.line, message: "stage 3 output is damaged at this line (\(rec.problem.map { "\($0)" } ?? "\(rec.count) fields, expected \(n)"))")
                }
                let bad = inserter.bind(rec)
                if bad >= 0 {
                    let file = lineage ? rec.string(n - 2) : input
                    let line = lineage ? Int(rec.string(n - 1)) ?? 0 : rec.line
                    let column = dataset.columns[bad]
                    let value = rec.string(bad)
                    guard lineage else {
                        throw StageError.malformedInput(file: input, line: rec.line, message: "\(column.name) `\(value)` is not a valid \(column.type.rawValue)")
                    }
                    counts.rejected += 1
                    try context.rejects.write(RecordIssue(stage: .normalise, rule: "normalise.type.\(column.type.rawValue)", sourceFile: file, sourceRecord: line,
                                                          field: column.name, value: value,
                                                          message: "\(dataset.name).\(column.name) `\(value)` is not a valid \(column.type.rawValue) (\(column.type.dictionaryNote)); the row was not published"))
                    return
                }
                let t0 = ContinuousClock.now
                let outcome = try inserter.step(rec)
                insertTime.elapsed += ContinuousClock.now - t0
                switch outcome {
                case .inserted:
                    for i in 0..<n {
                        let b = rec.bytes(i)
                        if neutral[i] && SpreadsheetSafe.needsQuote(b) {
                            csv.writeField(prefix: UInt8(ascii: "'"), bytes: b)
                        } else {
                            csv.writeField(bytes: b)
                        }
                    }
                    try csv.endRow()
                    counts.out += 1
                case .duplicate(let columns, let keptFile, let keptRecord):
                    let file = rec.string(n - 2), line = Int(rec.string(n - 1)) ?? 0
                    counts.duplicates += 1
                    let shown = columns.map { c in dataset.columns.firstIndex { $0.name == c }.map { rec.string($0) } ?? "" }
                    try context.duplicates().write(RecordIssue(stage: .normalise, rule: "normalise.duplicate.\(columns.joined(separator: "+"))", sourceFile: file,
                                                               sourceRecord: line, field: columns.joined(separator: "+"), value: shown.joined(separator: "+"),
                                                               message: "same \(columns.joined(separator: ", ")) as \(keptFile) line \(keptRecord), which was kept"))
                case .refused(let message):
                    let file = lineage ? rec.string(n - 2) : input
                    let line = lineage ? Int(rec.string(n - 1)) ?? 0 : rec.line
                    guard lineage else { throw StageError.malformedInput(file: input, line: rec.line, message: message) }
                    counts.rejected += 1
                    try context.rejects.write(RecordIssue(stage: .normalise, rule: "normalise.constraint", sourceFile: file, sourceRecord: line,
                                                          message: "the warehouse refused the row: \(message)"))
                }
            } catch {
                failure = error
            }
        }
        try csv.close()
        if let failure { throw failure }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
        return counts
    }
}

/// Time spent inserting into the warehouse, summed over datasets.
final class InsertClock {
    var elapsed: Duration = .zero
    var seconds: Double { Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18 }
}
