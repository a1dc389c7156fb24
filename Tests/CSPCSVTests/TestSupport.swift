import Foundation
@testable import CSPCSV

/// A temporary file that is removed when the test is done with it.
struct TempFile {
    let path: String

    init(_ bytes: [UInt8], name: String = "csv") throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cspcsv-\(name)-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        path = url.path
    }

    init(emptyNamed name: String) {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("cspcsv-\(name)-\(UUID().uuidString).csv").path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Reads every record of a file with `next()`.
func readAll(path: String, options: CSVReadOptions = .init(), chunkSize: Int = 1 << 20) throws
    -> (header: [String], records: [CSVRecord]) {
    let reader = try CSVReader(path: path, options: options, chunkSize: chunkSize)
    var records: [CSVRecord] = []
    while let record = reader.next() { records.append(record) }
    return (reader.header, records)
}

/// Writes `bytes` to a temp file, reads it back with `forEach`, and removes the file.
func readBytes(_ bytes: [UInt8], options: CSVReadOptions = .init(), chunkSize: Int = 1 << 20)
    throws -> (header: [String], records: [CSVRecord]) {
    let file = try TempFile(bytes)
    defer { file.remove() }
    let reader = try CSVReader(path: file.path, options: options, chunkSize: chunkSize)
    var records: [CSVRecord] = []
    reader.forEach { raw in records.append(raw.record()) }
    return (reader.header, records)
}

