import Foundation
@testable import CSPXML

/// Fixture files written into a fresh temporary directory, removed when the value goes away.
final class XMLFixtures {
    /// The temporary directory holding this test's files.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csp-xml-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` as UTF-8 and returns the file's path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes raw bytes and returns the file's path.
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes a file in pieces from `produce`, for big files that should not sit in memory.
    func stream(_ name: String, _ produce: (FileHandle) throws -> Void) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try produce(handle)
        return url.path
    }

    /// The package root, found from this source file's location.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CSPXMLTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }
}

/// Reads every record of `path`.
func readAll(_ path: String, record: String, options: XMLReadOptions = .init()) throws -> [XMLRecord] {
    let reader = try XMLRecordReader(path: path, recordElement: record, options: options)
    var records: [XMLRecord] = []
    while let next = try reader.next() { records.append(next) }
    return records
}

/// Reads `path` to the end and returns the error it throws, or nil if it reads cleanly.
func readError(_ path: String, record: String, options: XMLReadOptions = .init()) -> XMLReadError? {
    do {
        _ = try readAll(path, record: record, options: options)
        return nil
    } catch let error as XMLReadError {
        return error
    } catch {
        return nil
    }
}

/// The process's peak resident set size so far, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return usage.ru_maxrss * 1024
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    return usage.ru_maxrss
    #endif
}
