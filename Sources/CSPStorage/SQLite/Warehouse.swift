import CSPSchema
import CSPCSV
import Foundation
import GRDB
import GRDBSQLite

/// The SQLite warehouse of a normalise run, built fresh in the stage's temporary folder.
///
/// The file is written with `synchronous=OFF` and the rollback journal in memory: it is new, lives in a temporary
/// folder that the framework deletes when the stage fails and renames into place only when the stage is complete,
/// so a crash mid-load can never leave a half-written warehouse where anyone reads it. The journal is kept (in
/// memory) only so that a statement or a savepoint can be rolled back: a dataset whose optimistic load finds a
/// duplicate is rolled back to its savepoint and loaded again (see `DatasetLoader`). It costs nothing: the whole load
/// is one transaction begun on an empty file, and SQLite journals only pages that existed when the transaction (or
/// savepoint) began, never the pages it appends. `close()` fsyncs the file before the folder is published. Neither
/// setting is stored in the file: readers open it in SQLite's default (rollback journal) mode.
///
/// Pages are 16 KiB (`page_size`, stored in the file and transparent to readers): on the benchmark's 770k crimes,
/// SQLite's INSERTs took 0.96 s with 4 KiB pages and 0.66 s with 16 KiB, and the index builds 2.26 s and 1.73 s
/// (fewer, fuller pages to split, link and write); 64 KiB pages gained only a little more and make every point
/// lookup of a reader copy 64 KiB.
///
/// Temporary files stay on disk (SQLite's default `temp_store`): with `temp_store=MEMORY` SQLite's sorter keeps
/// every key of an index being built in memory, so memory grew with the input (67 MB for the crime_refs' index
/// alone) and the builds were slower than with sorted runs spilled to a temporary file.
package final class Warehouse {
    /// File path.
    package let path: String
    private var queue: DatabaseQueue?

    /// The page cache while rows are inserted (the table's and the maintained indexes' rightmost pages), in KiB.
    package static let loadCacheKiB = 16384
    /// The page cache while indexes are built, in KiB. SQLite's sorter keeps this much in memory before it writes a
    /// sorted run to a temporary file; small runs sort in the CPU caches: the unique index on the 770k crime_refs was
    /// built in 0.42 s with 2 MiB and 0.6 to 0.7 s with 8 to 64 MiB, on 10M crime_refs in 8.5 s with 2 MiB, 10.2 s
    /// with 16 MiB and 12.7 s with 32 MiB.
    package static let indexCacheKiB = 2048

    /// Creates (or truncates) the warehouse at `path`.
    package init(path: String) throws {
        self.path = path
        unlink(path)
        var config = Configuration()
        config.label = "warehouse"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA journal_mode = MEMORY")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -\(Warehouse.loadCacheKiB)")
        }
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
            throw IOFailure(path: path, operation: "create", reason: "\(error)")
        }
        flusher = Flusher(path: path)
    }

    /// Writes the file back while it is loaded: the fsync of `close()` then took 0.01 s instead of 0.2 s on the
    /// benchmark (600 MB written in about 3 s, which Linux would otherwise keep dirty until the fsync).
    private var flusher: Flusher?

    deinit { flusher?.stop() }

    /// Runs `body` inside one transaction, committed when it returns and rolled back when it throws (GRDB stops the
    /// process when a transaction is left open; the journal in memory makes the rollback possible).
    package func load<T>(_ body: (Database) throws -> T) throws -> T {
        guard let queue else { preconditionFailure("warehouse closed") }
        do {
            return try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN")
                do {
                    let result = try body(db)
                    try db.execute(sql: "COMMIT")
                    return result
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                    throw error
                }
            }
        } catch {
            throw Self.fileError(error, path: path, operation: "write")
        }
    }

    /// Closes the connection and flushes the file to disk.
    package func close() throws {
        flusher?.stop()
        flusher = nil
        do { try queue?.close() } catch { throw Self.fileError(error, path: path, operation: "close") }
        queue = nil
        let fd = try systemCall("open to flush", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = Glibc.close(fd) }
        try systemCall("fsync", path: path) { fsync(fd) }
    }

    /// SQLite's errors about the file rather than the data, as `StageError.io` naming the warehouse (exit code 73): the
    /// disk or a quota is full (`SQLITE_FULL`), the file or its folder is read-only or gone (`SQLITE_READONLY`,
    /// `SQLITE_CANTOPEN`, `SQLITE_PERM`), an I/O error (`SQLITE_IOERR`). Any other error (a constraint, say) is returned
    /// as it is: it is about the data (65).
    package static func fileError(_ error: Error, path: String, operation: String) -> Error {
        guard let e = error as? DatabaseError else { return error }
        switch e.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return IOFailure(path: path, operation: operation, reason: "\(e.message ?? "SQLite error") (SQLite result code \(e.extendedResultCode.rawValue))")
        default:
            return error
        }
    }

    /// Creates a dataset's table: `id INTEGER PRIMARY KEY`, typed columns with their CHECKs. A reference table is
    /// `UNIQUE(layer, code)` in its definition; a dataset's unique keys are indexes of their own
    /// (`createUniqueIndex`), so that the natural key's can be built after the load.
    package static func createTable(_ dataset: PublishedDataset, in db: Database) throws {
        try db.create(table: dataset.name) { t in
            t.primaryKey("id", .integer)
            for c in dataset.columns {
                let col = t.column(c.name, c.type.sqlType)
                if c.notNull { col.notNull() }
                if let check = c.type.check(c.name) { col.check(sql: check) }
            }
            if !dataset.hasLineage {
                t.uniqueKey(NormaliseCatalog.referenceKeys(dataset.name))
            }
        }
    }

    /// A dataset's unique keys: the natural key (when it has one), then the lineage `(source_file, source_record)`.
    package static func uniqueKeys(_ dataset: PublishedDataset) -> [[String]] {
        guard dataset.hasLineage else { return [] }
        return (dataset.naturalKey.map { [[$0]] } ?? []) + [["source_file", "source_record"]]
    }

    /// `CREATE UNIQUE INDEX uq_<table>_<columns>`: the same constraint as a `UNIQUE(...)` in the table's definition
    /// (same enforcement, same `UNIQUE constraint failed: <table>.<column>` error), but one that can be built after
    /// the rows are in. Throws SQLite's constraint error when two stored rows already clash.
    /// The natural key's index leaves out the rows of its exemption column (`WHERE NOT crime_ref_collision`).
    package static func createUniqueIndex(_ dataset: PublishedDataset, _ columns: [String], in db: Database) throws {
        let name = "uq_\(dataset.name)_\(columns.joined(separator: "_"))"
        if let exempt = dataset.naturalKeyExemption, let key = dataset.naturalKey, columns == [key] {
            try db.create(index: name, on: dataset.name, columns: columns, options: .unique, condition: !Column(exempt))
        } else {
            try db.create(index: name, on: dataset.name, columns: columns, options: .unique)
        }
    }

    /// Creates one of the dataset's (non-unique) indexes.
    package static func createIndex(_ dataset: PublishedDataset, _ columns: [String], in db: Database) throws {
        try db.create(index: "idx_\(dataset.name)_\(columns.joined(separator: "_"))", on: dataset.name, columns: columns)
    }
}

/// The optimistic load's INSERTs: `INSERT OR FAIL ... VALUES (...), (...), ...`, 64 rows a statement, bound directly
/// from a `RowBatch` (see `TableInserter` for why the raw `sqlite3_bind_*` calls).
///
/// Measured on the benchmark's 770k crimes (CPU time of the INSERTs): one row a statement 1.64 s, 64 rows a
/// statement 0.93 s (16 to 512 rows gave the same). Each step of a one-row INSERT opens cursors on the table and its
/// maintained indexes, descends them from the root and closes them again; a multi-row statement keeps them open
/// and positioned. `OR FAIL` rather than the default `ABORT`: ABORT must be able to undo the statement's earlier
/// rows, so SQLite copies every page the statement touches to a statement journal first (1.14 s instead of 0.93 s);
/// FAIL stops at the failing row and keeps the earlier ones, and the loader rolls the whole dataset back to its
/// savepoint in that case anyway.
package final class BulkInserter {
    package let columns: Int
    package let rowsPerStatement: Int
    private let multi: Statement, single: Statement
    private let multiStmt: OpaquePointer, singleStmt: OpaquePointer
    private let db: Database
    // `@exclusivity(unchecked)`: passed inout per bound row (one thread, no overlapping access; see `CSVWriter`).
    /// Per parameter: bound to NULL (a fresh statement's parameters are all NULL).
    @exclusivity(unchecked) private var multiNull: [Bool], singleNull: [Bool]

    package init(_ dataset: PublishedDataset, db: Database, rowsPerStatement: Int = 64) throws {
        self.db = db
        columns = dataset.columns.count
        // At most SQLite's limit of parameters in a statement (32766 by default).
        self.rowsPerStatement = max(1, min(rowsPerStatement, Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) / max(1, columns)))
        let names = dataset.columns.map(\.name.quotedDatabaseIdentifier).joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let head = "INSERT OR FAIL INTO \(dataset.name.quotedDatabaseIdentifier) (\(names)) VALUES "
        multi = try db.makeStatement(sql: head + Array(repeating: row, count: self.rowsPerStatement).joined(separator: ", "))
        single = try db.makeStatement(sql: head + row)
        multiStmt = multi.sqliteStatement
        singleStmt = single.sqliteStatement
        multiNull = Array(repeating: true, count: columns * self.rowsPerStatement)
        singleNull = Array(repeating: true, count: columns)
    }

    /// Inserts every row of `batch`, in order. Returns nil when all are stored, else SQLite's result code and message
    /// (the rows before the failing one may be stored: the caller rolls the dataset back).
    package func insert(_ batch: RowBatch) -> (code: Int32, message: String)? {
        var r = 0
        while batch.rows - r >= rowsPerStatement {
            for j in 0..<rowsPerStatement { bind(batch, row: r + j, multiStmt, &multiNull, j * columns) }
            if let failure = step(multiStmt) { return failure }
            r += rowsPerStatement
        }
        while r < batch.rows {
            bind(batch, row: r, singleStmt, &singleNull, 0)
            if let failure = step(singleStmt) { return failure }
            r += 1
        }
        return nil
    }

    @inline(__always)
    private func bind(_ batch: RowBatch, row r: Int, _ stmt: OpaquePointer, _ boundNull: inout [Bool], _ first: Int) {
        let k0 = r * columns
        for i in 0..<columns {
            let k = k0 + i, p = first + i, index = Int32(p + 1)
            let kind = batch.kinds[k]
            // A parameter keeps its value across steps: a NULL needs binding only when the last one bound there was not
            // NULL (about half the cells of a police.uk row are blank).
            if kind == RowBatch.null {
                if !boundNull[p] { sqlite3_bind_null(stmt, index); boundNull[p] = true }
                continue
            }
            boundNull[p] = false
            switch kind {
            case RowBatch.integer: sqlite3_bind_int64(stmt, index, batch.values[k])
            case RowBatch.real: sqlite3_bind_double(stmt, index, Double(bitPattern: UInt64(bitPattern: batch.values[k])))
            default:
                // SQLITE_STATIC: the batch is handed back to the reading thread only after its last step.
                sqlite3_bind_text(stmt, index, UnsafeRawPointer(batch.arena + Int(batch.values[k])).assumingMemoryBound(to: CChar.self), batch.lengths[k], nil)
            }
        }
    }

    @inline(__always)
    private func step(_ stmt: OpaquePointer) -> (code: Int32, message: String)? {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_DONE {
            sqlite3_reset(stmt)
            return nil
        }
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(stmt)
        return (rc, message)
    }
}

/// What happened to one row offered to the warehouse.
package enum InsertOutcome {
    /// Stored.
    case inserted
    /// Refused by a UNIQUE constraint on these columns; the row already stored with the same values has this lineage.
    case duplicate(columns: [String], keptFile: String, keptRecord: Int)
    /// Refused by another constraint (a CHECK or NOT NULL), with SQLite's message.
    case refused(String)
}

/// One prepared `INSERT` for one table, reused for every row: values are bound directly on SQLite's statement from
/// the CSV cell's bytes (never spliced into SQL).
///
/// Why the raw `sqlite3_bind_*` calls instead of GRDB's `StatementArguments`: GRDB wants one `DatabaseValue` per
/// cell (a String per text cell, an existential per value, retain/release on each); on the benchmark's 964k rows
/// (crimes have 38 columns) that was 105k rows/s, most of it in building and releasing the arguments. Bound from
/// the bytes (text with `SQLITE_STATIC`: the bytes stay put until the step, which happens before the reader moves
/// on), the same one-row INSERTs ran at 220k rows/s, the rest being SQLite's own work. GRDB still owns the
/// connection and the statement (finalized with it). This inserter serves the row-by-row loads (reference tables,
/// reloads after a clash); the optimistic load uses `BulkInserter`.
package final class TableInserter {
    package let dataset: PublishedDataset
    private let db: Database
    private let sql: String
    private let statement: Statement
    private let stmt: OpaquePointer
    private let types: [ColumnType]
    private let notNull: [Int]

    package init(_ dataset: PublishedDataset, db: Database) throws {
        self.dataset = dataset
        self.db = db
        let names = dataset.columns.map(\.name.quotedDatabaseIdentifier).joined(separator: ", ")
        let marks = Array(repeating: "?", count: dataset.columns.count).joined(separator: ", ")
        sql = "INSERT INTO \(dataset.name.quotedDatabaseIdentifier) (\(names)) VALUES (\(marks))"
        statement = try db.makeStatement(sql: sql)
        stmt = statement.sqliteStatement
        types = dataset.columns.map(\.type)
        notNull = dataset.columns.indices.filter { dataset.columns[$0].notNull }
    }

    /// Checks every cell of `rec` against its column's type and binds it; returns the index of the first cell that is
    /// not of its type (nothing is inserted then), or -1 when the row is bound and ready for `step`.
    @inline(__always)
    package func bind(_ rec: borrowing CSVRawRecord) -> Int {
        for i in 0..<types.count {
            let b = rec.bytes(i)
            guard let cell = types[i].cell(b) else { return i }
            Self.bind(cell, b, stmt, Int32(i + 1))
        }
        return -1
    }

    @inline(__always)
    package static func bind(_ cell: ColumnType.Cell, _ b: UnsafeBufferPointer<UInt8>, _ stmt: OpaquePointer, _ index: Int32) {
        switch cell {
        case .null: sqlite3_bind_null(stmt, index)
        case .integer(let v): sqlite3_bind_int64(stmt, index, v)
        case .real(let d): sqlite3_bind_double(stmt, index, d)
        // nil destructor = SQLITE_STATIC: SQLite reads the bytes in place during the step.
        // With its length: the same text GRDB bound as a C string, since a cell never holds a NUL byte (the CSV
        // reader reports one as a damaged line).
        case .text: sqlite3_bind_text(stmt, index, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), nil)
        }
    }

    /// The message SQLite gives when it refuses a row for a blank (NULL) cell in a NOT NULL column, or nil when the
    /// row has none. SQLite checks NOT NULL columns in column order, before CHECKs and UNIQUE indexes; the test of
    /// the load's edge cases compares this with SQLite's own refusal.
    @inline(__always)
    package func notNullRefusal(_ rec: borrowing CSVRawRecord) -> String? {
        for i in notNull where rec.bytes(i).isEmpty {
            return "NOT NULL constraint failed: \(dataset.name).\(dataset.columns[i].name)"
        }
        return nil
    }

    /// Inserts the row bound by `bind(_:)`; `rec` is the same record (for naming the row kept when it is a duplicate).
    @inline(__always)
    package func step(_ rec: borrowing CSVRawRecord) throws -> InsertOutcome {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_DONE {
            sqlite3_reset(stmt)
            return .inserted
        }
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(stmt)
        guard rc & 0xFF == SQLITE_CONSTRAINT else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql)
        }
        if extended == ResultCode.SQLITE_CONSTRAINT_UNIQUE.rawValue, dataset.hasLineage {
            return try duplicate(columns: Self.columns(inUniqueMessage: message), rec)
        }
        return .refused(message)
    }

    /// `UNIQUE constraint failed: crimes.source_file, crimes.source_record` → `["source_file", "source_record"]`.
    package static func columns(inUniqueMessage message: String) -> [String] {
        guard let colon = message.range(of: ": ") else { return [] }
        return message[colon.upperBound...].split(separator: ",").map { part in
            let p = part.trimmingCharacters(in: .whitespaces)
            return p.split(separator: ".").last.map(String.init) ?? p
        }
    }

    private func duplicate(columns: [String], _ rec: borrowing CSVRawRecord) throws -> InsertOutcome {
        var args: [DatabaseValue] = []
        for c in columns {
            guard let i = dataset.columns.firstIndex(where: { $0.name == c }) else { return .refused("UNIQUE constraint failed on \(columns)") }
            args.append(types[i].value(rec.bytes(i)) ?? .null)
        }
        let whereClause = columns.map { "\($0.quotedDatabaseIdentifier) = ?" }.joined(separator: " AND ")
        let row = try Row.fetchOne(db, sql: "SELECT source_file, source_record FROM \(dataset.name.quotedDatabaseIdentifier) WHERE \(whereClause)",
                                   arguments: StatementArguments(args))
        return .duplicate(columns: columns, keptFile: row?["source_file"] ?? "?", keptRecord: row?["source_record"] ?? 0)
    }
}

/// Writes the warehouse's dirty pages back to disk in the background while it is loaded (`fdatasync` every quarter
/// of a second on a thread of its own), so that the fsync of `close()` finds little left to write.
package final class Flusher: @unchecked Sendable {
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    package init(path: String) {
        let thread = Thread { [self] in
            var fd: Int32 = -1
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(250))
                if lock.withLock({ stopped }) { break }
                if fd < 0 { fd = open(path, O_RDONLY) }
                if fd >= 0 { _ = fdatasync(fd) }
            }
            if fd >= 0 { _ = Glibc.close(fd) }
            done.signal()
        }
        thread.name = "warehouse-flush"
        thread.start()
    }

    /// Stops the thread (after its current flush) and waits for it.
    package func stop() {
        lock.withLock { stopped = true }
        wake.signal()
        done.wait()
    }
}
