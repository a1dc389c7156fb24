import CSPTestSupport
import CSPCore
@testable import CSPStorage
import CSPCSV
import CSPGeo
import CSPXML
import Foundation
import GRDB
import Testing
@testable import CSPIngest
@testable import CSPClean
@testable import CSPGeocode
@testable import CSPNormalise
@testable import CSPAssess
@testable import CSPStageSupport

/// The stages' I/O failures get the README's exit codes: SQLite's file errors in the warehouse are output that cannot
/// be written (73, naming the warehouse), inputs and references that cannot be read are missing inputs (66).
@Suite struct IOFailureMappingTests {
    @Test(arguments: [ResultCode.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_IOERR_WRITE, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM])
    func sqliteFileErrorsAreOutputThatCannotBeWritten(code: ResultCode) {
        let mapped = Warehouse.fileError(DatabaseError(resultCode: code, message: "database or disk is full"), path: "/run/04-normalised/warehouse.sqlite", operation: "write")
        guard let e = mapped as? IOFailure else { Issue.record("not mapped: \(mapped)"); return }
        #expect(e.exitCode == .cannotCreate)
        #expect(e.description == "/run/04-normalised/warehouse.sqlite: write failed: database or disk is full (SQLite result code \(code.rawValue))")
    }

    @Test func sqliteDataErrorsStayDataErrors() {
        let mapped = Warehouse.fileError(DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE constraint failed"), path: "w.sqlite", operation: "write")
        #expect(mapped is DatabaseError)
        #expect((mapped as? ExitCodeProviding) == nil, "unknown errors default to 65")
    }

    @Test func aWarehouseOnAFullDiskFailsWith73() throws {
        // A database limited to 4 pages cannot grow: SQLITE_FULL once the rows outgrow it.
        let dir = StageTestSupport.temporaryFolder("warehouse-full"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try Warehouse(path: dir + "/warehouse.sqlite")
        let error = #expect(throws: IOFailure.self) {
            try w.load { db in
                try db.execute(sql: "PRAGMA max_page_count = 4")
                try db.execute(sql: "CREATE TABLE t (x TEXT)")
                for _ in 0..<1000 { try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [String(repeating: "x", count: 1000)]) }
            }
        }
        #expect(error?.exitCode == .cannotCreate)
        #expect(error?.description.hasPrefix(dir + "/warehouse.sqlite: write failed: ") == true)
        try? w.close()
    }

    @Test func unreadableInputsAreMissingInputs() {
        let cases: [Error] = [
            CSVFileError.cannotOpen(path: "x", reason: "No such file or directory"),
            CSVFileError.readFailed(path: "x", reason: "Is a directory"),
            BoundaryError.cannotRead(path: "x", reason: "No such file or directory"),
            BoundaryError.xml(.cannotOpen(path: "x", reason: "No such file or directory")),
            XMLReadError.cannotOpen(path: "x", reason: "No such file or directory"),
        ]
        for error in cases {
            let e = StageError.unreadable(error, path: "/p/ref.csv")
            #expect(e?.exitCode == .noInput, "\(error)")
            #expect(e?.description.hasPrefix("/p/ref.csv: read failed: ") == true, "\(error)")
        }
        // A read-side StageError already names its file: it is kept as it is.
        let read = StageError.io(path: "/p/x.csv", operation: "read", reason: "Is a directory")
        #expect(StageError.unreadable(read, path: "/p/ref.csv")?.description == read.description)
        #expect(StageError.unreadable(CSVFileError.badHeader(path: "x", problem: .strayQuote(line: 1, field: 0)), path: "x") == nil)
        #expect(StageError.unreadable(BoundaryError.notFeatureCollection(path: "x", reason: "r"), path: "x") == nil)
        #expect(StageError.unreadable(StageError.io(path: "x", operation: "write", reason: "r"), path: "x") == nil)
    }
}
