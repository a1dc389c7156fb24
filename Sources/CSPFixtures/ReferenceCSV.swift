import Foundation

/// A small RFC 4180 reader for the committed reference CSVs (UTF-8, a header row).
public struct ReferenceCSV: Sendable {
    /// Header names.
    public var header: [String]
    /// Rows as field arrays.
    public var rows: [[String]]

    /// Reads and parses `path`, requiring the listed columns.
    public init(path: String, requiring columns: [String]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FixtureError.badReference(path: path, reason: "the file is missing or unreadable")
        }
        var records = ReferenceCSV.parse(String(decoding: data, as: UTF8.self))
        guard !records.isEmpty else { throw FixtureError.badReference(path: path, reason: "the file is empty") }
        header = records.removeFirst()
        rows = records.filter { !($0.count == 1 && $0[0].isEmpty) }
        for c in columns where !header.contains(c) {
            throw FixtureError.badReference(path: path, reason: "column `\(c)` is missing")
        }
        for (i, r) in rows.enumerated() where r.count != header.count {
            throw FixtureError.badReference(path: path, reason: "row \(i + 2) has \(r.count) fields, the header \(header.count)")
        }
    }

    /// The value of `column` in `row`.
    public func value(_ row: [String], _ column: String) -> String { row[header.firstIndex(of: column)!] }

    /// Splits CSV text into records of fields.
    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = ""
        var quoted = false, afterQuote = false
        var it = Array(text.unicodeScalars).makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"":
                if afterQuote { field.append("\"") }
                quoted = true; afterQuote = false
            case ",": fields.append(field); field = ""; afterQuote = false
            case "\r": break
            case "\n": fields.append(field); records.append(fields); fields = []; field = ""; afterQuote = false
            default: field.unicodeScalars.append(c); afterQuote = false
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}

/// Quotes a CSV field when it needs it.
func csvField(_ s: String) -> String {
    if s.contains(",") || s.contains("\"") || s.contains("\n") {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

/// Escapes XML character data.
func xmlText(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
