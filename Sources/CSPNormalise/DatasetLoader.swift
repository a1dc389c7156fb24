import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import Foundation
import GRDB
import GRDBSQLite

/// Loads one stage 3 file into its published CSV and its warehouse table, row by row, in file order, and creates the
/// table with its indexes.
///
/// Each row is checked against its columns' types first: a cell that is not of its type rejects the row
/// (`normalise.type.<type>`). A valid row is offered to the table; a row whose natural key or lineage is already
/// stored goes to duplicates.csv (`normalise.duplicate.<columns>`, naming the row kept); a row refused by any other
/// constraint (NOT NULL) is rejected (`normalise.constraint`). Only stored rows are written to the CSV, so the CSV
/// and the table always hold the same rows in the same order (the table's `id` is the CSV's data row number).
///
/// How a dataset is loaded (the outputs are those of the row-by-row load in every case):
///
/// 1. **Optimistically, on two threads.** One thread reads the file, checks every cell on its bytes (the rules of
///    the CHECKs, see `ColumnType.cell`) and the NOT NULL columns, writes the published CSV row and the rejects,
///    and hands the valid rows over in batches (`RowBatch`); this thread binds them on a prepared multi-row INSERT
///    (`BulkInserter`) and steps.
///    The table's CHECKs are not evaluated again during these INSERTs (`ignore_check_constraints`, the checks stay in
///    the schema for every later writer): the bytes were checked by the same rules, and the tests compare the two on
///    edge cases. The lineage's unique index and the month and la_code indexes are maintained row by row (rows come
///    in source order, so each insert lands on the rightmost leaf of its run); the natural key's unique index and the
///    other indexes are built after the load, one sort each. On the benchmark's 770k crimes a unique index on the random crime_refs
///    maintained row by row cost 2.1 s of INSERTs, built after the load 0.4 to 0.7 s; the lineage's cost 0.13 s
///    maintained and 0.49 s built. Clashes among stored rows then show up only when the natural key's index is
///    built (or as a refused INSERT, for the lineage).
/// 2. **Row by row, when the optimistic load found a clash.** Duplicates are rare (stage 2 removes them), and which
///    row is a duplicate of which depends on the order: a row refused as a duplicate does not block a later row
///    with the same values, and a row clashing on both keys is reported for the lineage, as SQLite checks it first.
///    Rather than replaying that from the stored rows, the dataset is rolled back to its savepoint (table, indexes,
///    rows) and loaded again on one thread with both unique indexes in place, each row's outcome taken from SQLite
///    as it is inserted; the CSV is written again. Rejects already written by the first pass are not written again.
///    Memory stays bounded in both passes: nothing is kept per row.
struct DatasetLoader {
    let dataset: PublishedDataset
    let context: StageContext
    /// Accumulates the time spent in the warehouse's INSERTs (for the load rate in the log).
    let insertTime: InsertClock

    /// Creates the dataset's table and indexes and loads `input` (already opened as `reader`); returns the counts.
    func load(_ reader: CSVReader, input: String, db: Database) throws -> StageCounts {
        guard reader.header == dataset.header else {
            throw StageError.malformedInput(file: input, line: 1, message: "header \(reader.header.joined(separator: ",")) is not \(dataset.header.joined(separator: ","))")
        }
        // Reference tables are small and a clash there stops the stage: one pass, row by row.
        guard dataset.hasLineage else { return try rowByRow(reader, input: input, db: db, issuesWritten: 0) }
        try db.execute(sql: "SAVEPOINT normalise_dataset")
        switch try optimistic(reader, input: input, db: db) {
        case .loaded(let counts):
            try db.execute(sql: "RELEASE normalise_dataset")
            return counts
        case .clash(let issuesWritten):
            context.logger.info("normalise \(dataset.name): stored rows clash on a unique key; loading the dataset again row by row to tell the duplicates")
            try db.execute(sql: "ROLLBACK TO normalise_dataset")
            let counts = try rowByRow(try NormaliseStage.open(input), input: input, db: db, issuesWritten: issuesWritten)
            try db.execute(sql: "RELEASE normalise_dataset")
            return counts
        }
    }

    private enum Outcome {
        case loaded(StageCounts)
        /// Stored rows clash; the issues of the first `issuesWritten` rows are already written.
        case clash(issuesWritten: Int)
    }

    /// The indexes maintained while the rows go in (besides the lineage's unique index), because each insert lands at
    /// the end of one of a few runs: `month` (rows come month by month) and `la_code` (a pipeline covers one local
    /// authority and a few neighbours). Measured on the benchmark: the month index cost 0.11 s maintained and 0.13 s
    /// built, la_code's 0.08 s and 0.17 s; ward_code's (some 50 values) 0.37 s maintained and 0.26 s built.
    private var maintained: [[String]] { dataset.indexes.filter { $0 == ["month"] || $0 == ["la_code"] } }

    private func optimistic(_ reader: CSVReader, input: String, db: Database) throws -> Outcome {
        try Warehouse.createTable(dataset, in: db)
        try Warehouse.createUniqueIndex(dataset, ["source_file", "source_record"], in: db)
        for columns in maintained { try Warehouse.createIndex(dataset, columns, in: db) }
        let inserter = try BulkInserter(dataset, db: db)
        let pipe = LoadPipeline(types: dataset.columns.map(\.type))
        let producer = RowProducer(reader: reader, input: input, dataset: dataset, context: context, csv: try openCSV(input), pipe: pipe)
        try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
        let reading = BackgroundThread(name: "normalise-read") { producer.run() }
        var refusal: (code: Int32, message: String)?
        var stored = 0
        while true {
            let batch = pipe.nextFull()
            if refusal == nil {
                let t0 = ContinuousClock.now
                if let failure = inserter.insert(batch) {
                    refusal = failure
                    pipe.abandon()
                } else {
                    stored += batch.rows
                }
                insertTime.elapsed += ContinuousClock.now - t0
            }
            let last = batch.last
            pipe.recycle(batch)
            if last { break }
        }
        reading.join()
        try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        if let error = producer.error { throw error }
        if let refusal {
            // Anything but a constraint is a real failure; a constraint (a duplicate lineage) needs the row-by-row pass.
            guard refusal.code & 0xFF == SQLITE_CONSTRAINT else {
                throw DatabaseError(resultCode: ResultCode(rawValue: refusal.code), message: refusal.message)
            }
            return .clash(issuesWritten: producer.rowsDone)
        }
        precondition(stored == producer.counts.out, "normalise \(dataset.name): \(stored) rows stored, \(producer.counts.out) published")
        return try withIndexCache(db) { () throws -> Outcome in
            if let key = dataset.naturalKey {
                do {
                    try Warehouse.createUniqueIndex(dataset, [key], in: db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    return Outcome.clash(issuesWritten: producer.rowsDone)
                }
            }
            for columns in dataset.indexes where !maintained.contains(columns) { try Warehouse.createIndex(dataset, columns, in: db) }
            return .loaded(producer.counts)
        }
    }

    /// One row at a time, each row's outcome from SQLite: the reference tables, and a dataset whose optimistic load
    /// found a clash. The issues of the first `issuesWritten` rows (type rejects, NOT NULL refusals) were written by
    /// the optimistic pass and are counted but not written again.
    private func rowByRow(_ reader: CSVReader, input: String, db: Database, issuesWritten: Int) throws -> StageCounts {
        try Warehouse.createTable(dataset, in: db)
        // Created natural key first: SQLite checks the indexes created last first, so a row clashing on both keys is
        // reported for its lineage (as with UNIQUE constraints in the table's definition).
        for key in Warehouse.uniqueKeys(dataset) { try Warehouse.createUniqueIndex(dataset, key, in: db) }
        let inserter = try TableInserter(dataset, db: db)
        let n = dataset.columns.count
        let neutral = dataset.columns.map(\.neutralised)
        let lineage = dataset.hasLineage
        let csv = try openCSV(input)
        var counts = StageCounts()
        var failure: Error?
        reader.forEach { rec in
            if failure != nil { return }
            do {
                counts.inCount += 1
                let written = counts.inCount <= issuesWritten
                guard rec.problem == nil, rec.count == n else { throw Self.damaged(input, rec, n) }
                let bad = inserter.bind(rec)
                if bad >= 0 {
                    guard lineage else {
                        throw StageError.malformedInput(file: input, line: rec.line, message: "\(dataset.columns[bad].name) `\(rec.string(bad))` is not a valid \(dataset.columns[bad].type.rawValue)")
                    }
                    counts.rejected += 1
                    if !written { try context.rejects.write(Self.typeReject(dataset, rec, bad)) }
                    return
                }
                let t0 = ContinuousClock.now
                let outcome = try inserter.step(rec)
                insertTime.elapsed += ContinuousClock.now - t0
                switch outcome {
                case .inserted:
                    Self.write(rec, csv, neutral)
                    try csv.endRow()
                    counts.out += 1
                case .duplicate(let columns, let keptFile, let keptRecord):
                    counts.duplicates += 1
                    let shown = columns.map { c in dataset.columns.firstIndex { $0.name == c }.map { rec.string($0) } ?? "" }
                    try context.duplicates().write(RecordIssue(stage: .normalise, rule: "normalise.duplicate.\(columns.joined(separator: "+"))", sourceFile: rec.string(n - 2),
                                                               sourceRecord: Int(rec.string(n - 1)) ?? 0, field: columns.joined(separator: "+"), value: shown.joined(separator: "+"),
                                                               message: "same \(columns.joined(separator: ", ")) as \(keptFile) line \(keptRecord), which was kept"))
                case .refused(let message):
                    guard lineage else { throw StageError.malformedInput(file: input, line: rec.line, message: message) }
                    counts.rejected += 1
                    // The optimistic pass wrote the refusals it foresaw (NOT NULL), not ones only SQLite saw.
                    if !(written && inserter.notNullRefusal(rec) != nil) { try context.rejects.write(Self.constraintReject(dataset, rec, message)) }
                }
            } catch {
                failure = error
            }
        }
        try csv.close()
        if let failure { throw failure }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
        try withIndexCache(db) {
            for columns in dataset.indexes { try Warehouse.createIndex(dataset, columns, in: db) }
        }
        return counts
    }

    /// Runs `body` (index builds) with the sorter-friendly page cache, then restores the load's.
    private func withIndexCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA cache_size = -\(Warehouse.indexCacheKiB)")
        let t0 = ContinuousClock.now
        defer { insertTime.indexing += ContinuousClock.now - t0 }
        let result = try body()
        try db.execute(sql: "PRAGMA cache_size = -\(Warehouse.loadCacheKiB)")
        return result
    }

    /// The published CSV, written against `input` as its baseline: stage 3's file, which it almost always equals byte
    /// for byte (then it is a hard link to it, and nothing is written; see `CSVBaseline`).
    private func openCSV(_ input: String) throws -> CSVWriter {
        let path = context.outputPath(dataset.name + ".csv")
        let csv: CSVWriter
        do { csv = try CSVWriter(path: path, baseline: input) } catch { throw StageError.io(path: path, operation: "create", reason: (error as? CSVFileError)?.reason ?? "\(error)") }
        try csv.writeRow(dataset.header)
        return csv
    }

    /// Writes a stored row's cells to the published CSV, text cells made spreadsheet-safe.
    @inline(__always)
    static func write(_ rec: borrowing CSVRawRecord, _ csv: CSVWriter, _ neutral: [Bool]) {
        for i in 0..<neutral.count {
            let b = rec.bytes(i)
            if neutral[i] && SpreadsheetSafe.needsQuote(b) {
                csv.writeField(prefix: UInt8(ascii: "'"), bytes: b)
            } else {
                csv.writeField(bytes: b)
            }
        }
    }

    static func damaged(_ input: String, _ rec: borrowing CSVRawRecord, _ n: Int) -> StageError {
        let problem = rec.problem, count = rec.count
        return .malformedInput(file: input, line: rec.line, message: "stage 3 output is damaged at this line (\(problem.map { "\($0)" } ?? "\(count) fields, expected \(n)"))")
    }

    static func typeReject(_ dataset: PublishedDataset, _ rec: borrowing CSVRawRecord, _ bad: Int) -> RecordIssue {
        let n = dataset.columns.count
        let column = dataset.columns[bad]
        let value = rec.string(bad)
        return RecordIssue(stage: .normalise, rule: "normalise.type.\(column.type.rawValue)", sourceFile: rec.string(n - 2), sourceRecord: Int(rec.string(n - 1)) ?? 0,
                           field: column.name, value: value,
                           message: "\(dataset.name).\(column.name) `\(value)` is not a valid \(column.type.rawValue) (\(column.type.dictionaryNote)); the row was not published")
    }

    static func constraintReject(_ dataset: PublishedDataset, _ rec: borrowing CSVRawRecord, _ message: String) -> RecordIssue {
        let n = dataset.columns.count
        return RecordIssue(stage: .normalise, rule: "normalise.constraint", sourceFile: rec.string(n - 2), sourceRecord: Int(rec.string(n - 1)) ?? 0,
                           message: "the warehouse refused the row: \(message)")
    }
}

/// The reading side of the optimistic load, on its own thread: reads the stage 3 file, checks each row, writes the
/// rejects and the published CSV, and stages the valid rows for the INSERTs. Ends every run with a batch marked
/// `last` (so the inserting side never waits for nothing); it runs on a ``BackgroundThread``.
final class RowProducer: @unchecked Sendable {
    let reader: CSVReader
    let input: String
    let dataset: PublishedDataset
    let context: StageContext
    let csv: CSVWriter
    let pipe: LoadPipeline
    /// Rows read, rejected and published (duplicates are the inserting side's business).
    private(set) var counts = StageCounts()
    /// Rows whose issues are written.
    private(set) var rowsDone = 0
    private(set) var error: Error?

    private struct Abandoned: Error {}

    init(reader: CSVReader, input: String, dataset: PublishedDataset, context: StageContext, csv: CSVWriter, pipe: LoadPipeline) {
        self.reader = reader; self.input = input; self.dataset = dataset; self.context = context; self.csv = csv; self.pipe = pipe
    }

    func run() {
        let n = dataset.columns.count
        let types = dataset.columns.map(\.type)
        let neutral = dataset.columns.map(\.neutralised)
        let notNull = dataset.columns.indices.filter { dataset.columns[$0].notNull }
        var batch = pipe.nextFree()
        // Records counted for the run's progress, once a batch (never per row).
        var progressCounted = 0
        defer { context.progress.add(records: counts.inCount - progressCounted) }
        do {
            do {
                try reader.forEach { rec in
                    counts.inCount += 1
                    guard rec.problem == nil, rec.count == n else { throw DatasetLoader.damaged(input, rec, n) }
                    let bad = batch.stage(rec)
                    if bad >= 0 {
                        counts.rejected += 1
                        try context.rejects.write(DatasetLoader.typeReject(dataset, rec, bad))
                    } else if let i = notNull.first(where: { rec.bytes($0).isEmpty }) {
                        // As SQLite words it (the tests compare): NOT NULL columns are checked in column order.
                        counts.rejected += 1
                        try context.rejects.write(DatasetLoader.constraintReject(dataset, rec, "NOT NULL constraint failed: \(dataset.name).\(dataset.columns[i].name)"))
                    } else {
                        batch.commit()
                        DatasetLoader.write(rec, csv, neutral)
                        try csv.endRow()
                        counts.out += 1
                    }
                    rowsDone = counts.inCount
                    if batch.isFull {
                        context.progress.add(records: counts.inCount - progressCounted)
                        progressCounted = counts.inCount
                        pipe.submit(batch)
                        if pipe.isAbandoned { batch = pipe.nextFree(); throw Abandoned() }
                        batch = pipe.nextFree()
                    }
                }
            }
            if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
        } catch is Abandoned {
        } catch {
            self.error = error
        }
        do { try csv.close() } catch { if self.error == nil { self.error = error } }
        batch.last = true
        pipe.submit(batch)
    }
}

/// Time spent inserting into the warehouse, summed over datasets.
final class InsertClock {
    var elapsed: Duration = .zero
    /// Time spent building indexes after the rows went in.
    var indexing: Duration = .zero
    var seconds: Double { elapsed.seconds }
    var indexingSeconds: Double { indexing.seconds }
}
