import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import CSPXML
import Foundation

/// Previews an export for an analyst about to write its mapping: format, encoding, records, columns, problems.
public struct FileInspector: Sendable {
    /// `csv`, `xml`, or nil to detect.
    public var format: SourceFormat?
    /// XML record element, or nil to guess.
    public var recordElement: String?
    /// CSV encoding, or nil to detect (UTF-8 unless it is not valid UTF-8, then Windows-1252).
    public var encoding: TextEncoding?
    /// CSV delimiter.
    public var delimiter: UInt8
    /// Column (CSV header name or XML path) to count records by.
    public var countBy: String?
    /// Most problems listed.
    public var maxListed = 100

    /// Creates an inspector.
    public init(format: SourceFormat? = nil, recordElement: String? = nil, encoding: TextEncoding? = nil, delimiter: UInt8 = UInt8(ascii: ","), countBy: String? = nil) {
        self.format = format; self.recordElement = recordElement; self.encoding = encoding; self.delimiter = delimiter; self.countBy = countBy
    }

    /// Inspects `path`. Throws only when the file cannot be opened.
    public func inspect(path: String) throws -> InspectReport {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path), let size = attrs[.size] as? Int else {
            throw StageError.inputMissing(path: path, what: "file to inspect")
        }
        switch format ?? Self.detectFormat(path: path) {
        case .csv: return try inspectCSV(path: path, bytes: size)
        case .xml: return try inspectXML(path: path, bytes: size)
        }
    }

    /// By extension, then by the first non-blank byte.
    public static func detectFormat(path: String) -> SourceFormat {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "xml" { return .xml }
        if ext == "csv" || ext == "txt" || ext == "tsv" { return .csv }
        guard let h = FileHandle(forReadingAtPath: path) else { return .csv }
        defer { try? h.close() }
        let head = h.readData(ofLength: 512)
        let first = head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "<") ? .xml : .csv
    }

    private func inspectCSV(path: String, bytes: Int) throws -> InspectReport {
        if let encoding { return try scanCSV(path: path, bytes: bytes, encoding: encoding) }
        let asUTF8 = try scanCSV(path: path, bytes: bytes, encoding: .utf8)
        if asUTF8.errors.contains(where: { $0.rule == "csv.invalid-utf8" }) || asUTF8.columns.contains(where: { $0.contains("\u{FFFD}") }) {
            return try scanCSV(path: path, bytes: bytes, encoding: .windows1252)
        }
        return asUTF8
    }

    private func scanCSV(path: String, bytes: Int, encoding: TextEncoding) throws -> InspectReport {
        var report = InspectReport(format: "csv", encoding: encoding.rawValue, bytes: bytes, records: 0, columns: [], recordElement: nil, errors: [], errorCount: 0, counts: nil)
        let reader: CSVReader
        do { reader = try CSVReader(path: path, options: CSVReadOptions(delimiter: delimiter, encoding: encoding)) } catch let e as CSVFileError {
            switch e {
            case .badHeader(_, let problem):
                report.errors = [.init(line: problem.line, rule: problem.rule, message: "header: \(problem.description)")]
                report.errorCount = 1
                return report
            case .cannotOpen(_, let reason), .readFailed(_, let reason), .writeFailed(_, let reason), .cannotCreate(_, let reason):
                throw StageError.inputMissing(path: path, what: "file to inspect (\(reason))")
            }
        }
        report.columns = reader.header
        if bytes == 0 {
            report.errors = [.init(line: 1, rule: "csv.empty-file", message: "the file is empty (0 bytes): no header and no records; a failed extraction?")]
            report.errorCount = 1
            return report
        }
        var countIndex: Int?
        var counts = ByteCounter()
        if let countBy {
            countIndex = reader.header.firstIndex(of: countBy)
            if countIndex == nil {
                report.errors.append(.init(line: 1, rule: "inspect.no-such-column", message: "--count-by `\(countBy)` is not in the header"))
                report.errorCount += 1
            }
        }
        var records = 0, errorCount = report.errorCount
        var errors = report.errors
        let maxListed = self.maxListed
        reader.forEach { rec in
            records += 1
            if rec.problem == nil, rec.line > 1, rec.count > 0, CSV.startsWithBOM(rec.bytes(0)) {
                errorCount += 1
                if errors.count < maxListed { errors.append(.init(line: rec.line, rule: "csv.bom-inside", message: "line \(rec.line) starts with a byte-order mark: two exports were probably concatenated")) }
                return
            }
            if let p = rec.problem {
                errorCount += 1
                if errors.count < maxListed { errors.append(.init(line: p.line, rule: p.rule, message: p.description)) }
                return
            }
            if let ci = countIndex, ci < rec.count { counts.add(rec.bytes(ci)) }
        }
        report.records = records
        report.errors = errors
        report.errorCount = errorCount
        if countIndex != nil { report.counts = counts.dictionary }
        return report
    }

    /// The encoding named in the XML declaration (`utf-8` when none is named, as XML says).
    static func declaredXMLEncoding(path: String) -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { return "utf-8" }
        defer { try? h.close() }
        let head = String(decoding: h.readData(ofLength: 256), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.dropFirst().hasPrefix("<?xml"), let end = head.range(of: "?>"),
              let r = head[..<end.lowerBound].range(of: "encoding=") else { return "utf-8" }
        let rest = head[r.upperBound...]
        guard let q = rest.first, q == "\"" || q == "'" else { return "utf-8" }
        return String(rest.dropFirst().prefix { $0 != q }).lowercased()
    }

    private func inspectXML(path: String, bytes: Int) throws -> InspectReport {
        var report = InspectReport(format: "xml", encoding: Self.declaredXMLEncoding(path: path), bytes: bytes, records: 0, columns: [], recordElement: nil, errors: [], errorCount: 0, counts: nil)
        do {
            guard let element = try recordElement ?? XMLRecordReader.guessRecordElement(path: path) else { return report }
            report.recordElement = element
            let reader = try XMLRecordReader(path: path, recordElement: element)
            var seen = Set<String>()
            var counts: [String: Int] = [:]
            while let r = try reader.next() {
                report.records += 1
                for p in r.paths where seen.insert(p).inserted { report.columns.append(p) }
                if let countBy { counts[r.value(countBy) ?? "", default: 0] += 1 }
            }
            if countBy != nil { report.counts = counts }
        } catch let e as XMLReadError {
            if case .cannotOpen(_, let reason) = e { throw StageError.inputMissing(path: path, what: "file to inspect (\(reason))") }
            report.errors.append(.init(line: e.line, rule: e.rule, message: e.description))
            report.errorCount += 1
        }
        return report
    }
}
