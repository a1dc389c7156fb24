/// Pure in-memory CSV helpers for tests and small inputs, using the same parser and quoting
/// rules as `CSVReader` and `CSVWriter`.
public enum CSV {
    /// Parses UTF-8 text (a leading BOM is stripped; `options.encoding` is ignored because a
    /// String is always UTF-8). The header is returned as parsed, even if it has a problem.
    public static func parse(_ text: String, options: CSVReadOptions = .init())
        -> (header: [String], records: [CSVRecord]) {
        var utf8Options = options
        utf8Options.encoding = .utf8
        return parse(bytes: Array(text.utf8), options: utf8Options)
    }

    /// Parses raw bytes in `options.encoding` (a UTF-8 BOM is stripped when the encoding is UTF-8).
    /// The header is returned as parsed, even if it has a problem.
    public static func parse(bytes: [UInt8], options: CSVReadOptions = .init())
        -> (header: [String], records: [CSVRecord]) {
        var parser = CSVParser(options: options)
        defer { parser.deallocate() }
        var header: [String] = []
        var records: [CSVRecord] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var pos = 0
            if options.encoding == .utf8 && buffer.count >= 3
                && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
                pos = 3
            }
            var first = options.hasHeader
            while parser.parse(base, buffer.count, at: &pos) || parser.finish() {
                if first {
                    header = parser.rawRecord.strings()
                    first = false
                } else {
                    records.append(parser.rawRecord.record())
                }
            }
        }
        return (header, records)
    }

    /// Formats rows as CSV text exactly as `CSVWriter` writes them: quoting only where needed,
    /// LF line endings, no BOM.
    public static func format(_ rows: [[String]], delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        var out: [UInt8] = []
        for (r, row) in rows.enumerated() {
            for (f, field) in row.enumerated() {
                if f > 0 { out.append(delimiter) }
                var s = field
                s.withUTF8 { bytes in
                    let forced = r == 0 && f == 0 && startsWithBOM(bytes)
                    appendField(bytes, delimiter: delimiter, forceQuotes: forced, to: &out)
                }
            }
            if row.count == 1 && row[0].isEmpty { out.append(contentsOf: [0x22, 0x22]) }
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when a field must be quoted with the default `,` delimiter: it contains a comma,
    /// a quote, CR or LF. Leading or trailing spaces are not a reason.
    public static func needsQuoting(_ s: String) -> Bool {
        needsQuoting(s, delimiter: UInt8(ascii: ","))
    }

    /// True when a field must be quoted: it contains `delimiter`, a quote, CR or LF.
    public static func needsQuoting(_ s: String, delimiter: UInt8) -> Bool {
        var s = s
        return s.withUTF8 { needsQuoting(bytes: $0, delimiter: delimiter) }
    }

    /// The byte-level quoting decision shared by the writer and `format`.
    @inline(__always)
    static func needsQuoting(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        for b in bytes {
            if b > 0x22 {
                if b == delimiter { return true }
                continue
            }
            if b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D { return true }
        }
        return false
    }

    /// True when the bytes begin with a UTF-8 byte-order mark (which a reader would strip at
    /// the start of a file, so the writer quotes such a first field).
    public static func startsWithBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    private static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8,
                                    forceQuotes: Bool, to out: inout [UInt8]) {
        if !forceQuotes && !needsQuoting(bytes: bytes, delimiter: delimiter) {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}
