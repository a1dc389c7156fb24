import CSPTestSupport
import CSPCSV
import Foundation
import Testing
@testable import CSPCore
@testable import CSPStorage

/// I/O failures carry the README's exit codes: reading an input 66, writing output 73 (a full disk, a read-only or
/// missing folder), anything else 65; every message names the file. `/dev/full` fails every write with ENOSPC.
@Suite struct IOErrorTests {
    @Test func csvFileErrorsSayWhichSideFailed() {
        #expect(CSVFileError.cannotOpen(path: "a.csv", reason: "x").exitCode == .noInput)
        #expect(CSVFileError.readFailed(path: "a.csv", reason: "x").exitCode == .noInput)
        #expect(CSVFileError.cannotCreate(path: "a.csv", reason: "x").exitCode == .cannotCreate)
        #expect(CSVFileError.writeFailed(path: "a.csv", reason: "x").exitCode == .cannotCreate)
        #expect(CSVFileError.badHeader(path: "a.csv", problem: .strayQuote(line: 1, field: 0)).exitCode == .dataError)
    }

    @Test func stageIOErrorsMapByOperation() {
        for op in ["open", "read", "stat"] { #expect(StageError.io(path: "p", operation: op, reason: "r").exitCode == .noInput) }
        for op in ["create", "write", "fsync", "close", "rename", "create folder", "append", "open to flush"] {
            #expect(StageError.io(path: "p", operation: op, reason: "r").exitCode == .cannotCreate)
        }
    }

    @Test func systemCallNamesThePathTheOperationAndTheReason() throws {
        let error = #expect(throws: IOFailure.self) { try systemCall("open", path: "/nonexistent/x.csv") { open("/nonexistent/x.csv", O_RDONLY) } }
        #expect(error?.description == "/nonexistent/x.csv: open failed: No such file or directory")
        #expect(error?.exitCode == .noInput)
        #expect(try systemCall("open", path: "/dev/null") { open("/dev/null", O_RDONLY) } >= 0)
    }

    @Test func aWriteToAFullDiskIs73() throws {
        let fd = try systemCall("create", path: "/dev/full") { open("/dev/full", O_WRONLY) }
        defer { close(fd) }
        let error = #expect(throws: IOFailure.self) { try FileSystem.write(Data(count: 10), to: fd, path: "/dev/full") }
        #expect(error?.description == "/dev/full: write failed: No space left on device")
        #expect(error?.exitCode == .cannotCreate)
    }

    @Test func aCSVWriterOnAFullDiskThrowsWriteFailed() throws {
        let w = try CSVWriter(path: "/dev/full")
        let error = #expect(throws: CSVFileError.self) {
            for _ in 0..<50_000 { try w.writeRow(["a field long enough to fill a buffer or two", "1"]) }
            try w.close()
        }
        guard case .writeFailed(let path, let reason)? = error else { Issue.record("not writeFailed: \(String(describing: error))"); return }
        #expect(path == "/dev/full" && reason == "No space left on device")
        #expect(error?.exitCode == .cannotCreate)
    }

    @Test func aCSVWriterThatCannotCreateItsFileIs73() {
        let error = #expect(throws: CSVFileError.self) { try CSVWriter(path: "/nonexistent/dir/out.csv") }
        #expect(error?.exitCode == .cannotCreate)
        #expect(error?.description == "cannot create CSV file /nonexistent/dir/out.csv: No such file or directory")
    }

    @Test func writeAtomicallyFailsNamingTheFileAndLeavesNoTemporary() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let error = #expect(throws: IOFailure.self) { try FileSystem.writeAtomically(Data("x".utf8), to: dir.path + "/missing/run.json") }
        #expect(error?.description == dir.path + "/missing/run.json: create failed: No such file or directory")
        #expect(error?.exitCode == .cannotCreate)
        try FileSystem.writeAtomically(Data("ok".utf8), to: dir.path + "/run.json")
        #expect(dir.read("run.json") == "ok")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run.json"])
    }

    @Test func makeDirectoryCreatesParentsWithMode750AndNamesWhatStopsIt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try FileSystem.makeDirectory(dir.path + "/a/b/c")
        try FileSystem.makeDirectory(dir.path + "/a/b/c")  // exists: fine
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/a/b")[.posixPermissions] as? Int
        #expect(mode == 0o750)
        dir.write("file", "x")
        let error = #expect(throws: StageError.self) { try FileSystem.makeDirectory(dir.path + "/file/sub") }
        #expect(error?.exitCode == .cannotCreate)
        #expect(error?.description.hasPrefix(dir.path + "/file") == true)
    }

    @Test func foundationFileErrorsGetTheCodeOfTheirSide() throws {
        let write = #expect(throws: (any Error).self) { try Data(count: 10).write(to: URL(fileURLWithPath: "/dev/full")) }
        #expect((write as? ExitCodeProviding)?.exitCode == .cannotCreate)
        #expect(StageError.foundationFile(write!)?.description == "/dev/full: write failed: No space left on device")
        let read = #expect(throws: (any Error).self) { _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/x.json")) }
        #expect((read as? ExitCodeProviding)?.exitCode == .noInput)
        #expect(StageError.foundationFile(read!)?.description.hasPrefix("/nonexistent/x.json: read failed: ") == true)
        #expect(StageError.foundationFile(StageError.configuration("x")) == nil)
    }
}
