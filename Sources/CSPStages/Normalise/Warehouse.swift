import CSPCore
import CSPCSV
import Foundation
import GRDB
import GRDBSQLite

/// The SQLite warehouse of a normalise run, built fresh in the stage's temporary folder.
///
/// The file is written with `journal_mode=OFF` and `synchronous=OFF`: it is new, lives in a temporary folder that
/// the framework deletes when the stage fails and renames into place only when the stage is complete, so a crash
/// mid-load can never leave a half-written warehouse where anyone reads it, and a rollback journal would protect
/// nothing. `close()` fsyncs the file before the folder is published. Neither setting is stored in the file:
/// readers open it in SQLite's default (rollback journal) mode.
final class Warehouse {
    /// File path.
    let path: String
    private var queue: DatabaseQueue?

    /// Creates (or truncates) the warehouse at `path`.
    init(path: String) throws {
        self.path = path
        unlink(path)
        var config = Configuration()
        config.label = "warehouse"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
            throw StageError.io(path: path, operation: "create", reason: "\(error)")
        }
    }

    /// Runs `body` inside one transaction, committed when it returns.
    func load<T>(_ body: (Database) throws -> T) throws -> T {
        guard let queue else { preconditionFailure("warehouse closed") }
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            let result = try body(db)
            try db.execute(sql: "COMMIT")
            return result
        }
    }

    /// Closes the connection and flushes the file to disk.
    func close() throws {
        try queue?.close()
        queue = nil
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StageError.io(path: path, operation: "open", reason: String(cString: strerror(errno))) }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StageError.io(path: path, operation: "fsync", reason: String(cString: strerror(errno))) }
    }

    /// Creates a dataset's table: `id INTEGER PRIMARY KEY`, typed columns with their CHECKs, `UNIQUE` on the natural key
    /// and on the lineage columns (or on `(layer, code)` for reference tables).
    static func createTable(_ dataset: PublishedDataset, in db: Database) throws {
        try db.create(table: dataset.name) { t in
            t.primaryKey("id", .integer)
            for c in dataset.columns {
                let col = t.column(c.name, c.type.sqlType)
                if c.notNull { col.notNull() }
                if let check = c.type.check(c.name) { col.check(sql: check) }
            }
            if let key = dataset.naturalKey { t.uniqueKey([key]) }
            if dataset.hasLineage {
                t.uniqueKey(["source_file", "source_record"])
            } else {
                t.uniqueKey(NormaliseCatalog.referenceKeys(dataset.name))
            }
        }
    }

    /// Creates the dataset's indexes (after the load: building them once is faster than maintaining them row by row).
    static func createIndexes(_ dataset: PublishedDataset, in db: Database) throws {
        for columns in dataset.indexes {
            try db.create(index: "idx_\(dataset.name)_\(columns.joined(separator: "_"))", on: dataset.name, columns: columns)
        }
    }
}

/// What happened to one row offered to the warehouse.
enum InsertOutcome {
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
/// cell (a String per text cell, an existential per value, retain/release on each); on the benchmark's 964k rows of
/// 34 columns that was 105k rows/s, more than half of it in building and releasing the arguments. Bound from the
/// bytes (text with `SQLITE_STATIC`: the bytes stay put until the step, which happens before the reader moves on),
/// the same INSERTs run several times faster. GRDB still owns the connection and the statement (finalized with it).
final class TableInserter {
    let dataset: PublishedDataset
    private let db: Database
    private let sql: String
    private let statement: Statement
    private let stmt: OpaquePointer
    private let types: [ColumnType]

    init(_ dataset: PublishedDataset, db: Database) throws {
        self.dataset = dataset
        self.db = db
        let names = dataset.columns.map(\.name.quotedDatabaseIdentifier).joined(separator: ", ")
        let marks = Array(repeating: "?", count: dataset.columns.count).joined(separator: ", ")
        sql = "INSERT INTO \(dataset.name.quotedDatabaseIdentifier) (\(names)) VALUES (\(marks))"
        statement = try db.makeStatement(sql: sql)
        stmt = statement.sqliteStatement
        types = dataset.columns.map(\.type)
    }

    /// Checks every cell of `rec` against its column's type and binds it; returns the index of the first cell that is
    /// not of its type (nothing is inserted then), or -1 when the row is bound and ready for `step`.
    @inline(__always)
    func bind(_ rec: borrowing CSVRawRecord) -> Int {
        for i in 0..<types.count {
            let b = rec.bytes(i)
            guard let cell = types[i].cell(b) else { return i }
            Self.bind(cell, b, stmt, Int32(i + 1))
        }
        return -1
    }

    @inline(__always)
    static func bind(_ cell: ColumnType.Cell, _ b: UnsafeBufferPointer<UInt8>, _ stmt: OpaquePointer, _ index: Int32) {
        switch cell {
        case .null: sqlite3_bind_null(stmt, index)
        case .integer(let v): sqlite3_bind_int64(stmt, index, v)
        case .real(let d): sqlite3_bind_double(stmt, index, d)
        // nil destructor = SQLITE_STATIC: SQLite reads the bytes in place during the step.
        case .text: sqlite3_bind_text(stmt, index, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), nil)
        }
    }

    /// Inserts the row bound by `bind(_:)`; `rec` is the same record (for naming the row kept when it is a duplicate).
    @inline(__always)
    func step(_ rec: borrowing CSVRawRecord) throws -> InsertOutcome {
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
    static func columns(inUniqueMessage message: String) -> [String] {
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
