// TEMPORARY: replaced by the real reader from branch csv-reader before merge.
import Foundation

public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8", windows1252 = "windows-1252", iso88591 = "iso-8859-1"
    public init?(name: String) {
        switch name.lowercased() {
        case "utf8", "utf-8": self = .utf8
        case "cp1252", "windows-1252", "win1252": self = .windows1252
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .iso88591
        default: return nil
        }
    }
}
public struct CSVReadOptions: Sendable {
    public var delimiter: UInt8
    public var encoding: TextEncoding
    public var maxFieldBytes: Int
    public var hasHeader: Bool
    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8, maxFieldBytes: Int = 1_048_576, hasHeader: Bool = true) {
        self.delimiter = delimiter; self.encoding = encoding; self.maxFieldBytes = maxFieldBytes; self.hasHeader = hasHeader
    }
}
public enum CSVProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case raggedRow(line: Int, expected: Int, found: Int)
    case unterminatedQuote(line: Int, linesSpanned: Int)
    case strayQuote(line: Int, field: Int)
    case fieldTooLong(line: Int, field: Int, limit: Int)
    case invalidUTF8(line: Int, field: Int)
    case nulByte(line: Int, field: Int)
    public var line: Int {
        switch self {
        case .raggedRow(let l, _, _), .unterminatedQuote(let l, _), .strayQuote(let l, _), .fieldTooLong(let l, _, _), .invalidUTF8(let l, _), .nulByte(let l, _): return l
        }
    }
    public var field: Int? {
        switch self {
        case .raggedRow, .unterminatedQuote: return nil
        case .strayQuote(_, let f), .fieldTooLong(_, let f, _), .invalidUTF8(_, let f), .nulByte(_, let f): return f
        }
    }
    public var rule: String { "csv.ragged-row" }
    public var description: String { "line \(line): problem" }
}
public enum CSVFileError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case badHeader(path: String, problem: CSVProblem)
    public var description: String { "\(self)" }
}
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]
    public let problem: CSVProblem?
}
public struct CSVRawRecord {
    let record: CSVRecord
    public var line: Int { record.line }
    public var count: Int { record.fields.count }
    public var problem: CSVProblem? { record.problem }
    public func string(_ i: Int) -> String { record.fields[i] }
}
public final class CSVReader {
    public let header: [String]
    public let path: String
    var records: [CSVRecord]
    public private(set) var bytesRead: Int = 0
    public init(path: String, options: CSVReadOptions = .init()) throws {
        self.path = path
        guard let text = try? String(contentsOfFile: path, encoding: options.encoding == .utf8 ? .utf8 : .windowsCP1252) else { throw CSVFileError.cannotOpen(path: path, reason: "x") }
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var h = lines.isEmpty ? [] : lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if let f = h.first, f.hasPrefix("\u{FEFF}") { h[0] = String(f.dropFirst()) }
        header = h
        records = lines.enumerated().dropFirst().map { i, l in
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return CSVRecord(line: i + 1, fields: f, problem: f.count == h.count ? nil : .raggedRow(line: i + 1, expected: h.count, found: f.count))
        }
        records.reverse()
    }
    public func next() -> CSVRecord? { records.popLast() }
    public func forEach(_ body: (CSVRawRecord) throws -> Void) rethrows { while let r = next() { try body(CSVRawRecord(record: r)) } }
}
public final class CSVWriter {
    let handle: FileHandle
    var row: [String] = []
    public private(set) var rowsWritten = 0
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else { throw CSVFileError.cannotOpen(path: path, reason: "x") }
        handle = h
    }
    public func writeRow(_ fields: [String]) throws { handle.write((CSV.format([fields])).data(using: .utf8)!); rowsWritten += 1 }
    public func writeField(_ s: String) { row.append(s) }
    public func endRow() throws { try writeRow(row); row = [] }
    public func flush() throws {}
    public func close() throws { try? handle.close() }
}
public enum CSV {
    public static func needsQuoting(_ s: String) -> Bool { s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } }
    public static func format(_ rows: [[String]], delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        rows.map { $0.map { needsQuoting($0) ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }.joined(separator: ",") + "\n" }.joined()
    }
}
extension CSVRawRecord {
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let a = Array(record.fields[i].utf8)
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: a.count)
        _ = p.initialize(from: a)
        return UnsafeBufferPointer(p)
    }
}
extension CSVWriter {
    public func writeField(bytes: UnsafeBufferPointer<UInt8>) { writeField(String(decoding: bytes, as: UTF8.self)) }
}
