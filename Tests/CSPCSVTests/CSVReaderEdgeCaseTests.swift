import Testing
@testable import CSPCSV

/// One edge case: input bytes, options, and the expected header and records.
struct EdgeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    var options = CSVReadOptions()
    let header: [String]
    let records: [CSVRecord]

    var testDescription: String { name }
}

private func rec(_ line: Int, _ fields: [String], _ problem: CSVProblem? = nil, span: Int = 1)
    -> CSVRecord {
    CSVRecord(line: line, fields: fields, problem: problem, lineSpan: span)
}

private func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

let edgeCases: [EdgeCase] = [
    EdgeCase(name: "BOM is stripped", input: [0xEF, 0xBB, 0xBF] + utf8("a,b\n1,2\n"),
             header: ["a", "b"], records: [rec(2, ["1", "2"])]),
    EdgeCase(name: "CRLF line endings", input: utf8("a,b\r\n1,2\r\n3,4\r\n"),
             header: ["a", "b"], records: [rec(2, ["1", "2"]), rec(3, ["3", "4"])]),
    EdgeCase(name: "LF line endings", input: utf8("a,b\n1,2\n3,4\n"),
             header: ["a", "b"], records: [rec(2, ["1", "2"]), rec(3, ["3", "4"])]),
    EdgeCase(name: "CR-only line endings", input: utf8("a,b\r1,2\r3,4\r"),
             header: ["a", "b"], records: [rec(2, ["1", "2"]), rec(3, ["3", "4"])]),
    EdgeCase(name: "quoted field with doubled quotes",
             input: utf8("a,b\n\"say \"\"hi\"\"\",\"x,y\"\n"),
             header: ["a", "b"], records: [rec(2, ["say \"hi\"", "x,y"])]),
    EdgeCase(name: "embedded CRLF inside quotes moves the next line number",
             input: utf8("a,b\r\n\"one\r\ntwo\",2\r\n3,4\r\n"),
             header: ["a", "b"], records: [rec(2, ["one\r\ntwo", "2"], span: 2), rec(4, ["3", "4"])]),
    EdgeCase(name: "embedded LF and CR inside quotes",
             input: utf8("a\n\"x\ny\rz\"\nw\n"),
             header: ["a"], records: [rec(2, ["x\ny\rz"], span: 3), rec(5, ["w"])]),
    EdgeCase(name: "Windows-1252 euro, curly quotes and pound",
             input: utf8("a,b\n") + [0x80, 0x2C, 0x93, 0x78, 0x94, 0x20, 0xA3, 0x35, 0x0A],
             options: CSVReadOptions(encoding: .windows1252),
             header: ["a", "b"], records: [rec(2, ["€", "\u{201C}x\u{201D} £5"])]),
    EdgeCase(name: "Windows-1252 undefined byte maps to C1 control",
             input: utf8("a\n") + [0x81, 0xE9, 0x0A],
             options: CSVReadOptions(encoding: .windows1252),
             header: ["a"], records: [rec(2, ["\u{81}é"])]),
    EdgeCase(name: "ISO-8859-1 maps bytes to code points",
             input: utf8("a,b\n") + [0xE9, 0x2C, 0x80, 0xA3, 0xFF, 0x0A],
             options: CSVReadOptions(encoding: .iso88591),
             header: ["a", "b"], records: [rec(2, ["é", "\u{80}£ÿ"])]),
    EdgeCase(name: "ISO-8859-1 does not strip a UTF-8 BOM",
             input: [0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0x62, 0x0A],
             options: CSVReadOptions(encoding: .iso88591),
             header: ["ï»¿a"], records: [rec(2, ["b"])]),
    EdgeCase(name: "invalid UTF-8 is reported and decoded lossily",
             input: utf8("a,b\nok,") + [0x66, 0xFF, 0x67] + utf8("\n5,6\n"),
             header: ["a", "b"],
             records: [rec(2, ["ok", "f\u{FFFD}g"], .invalidUTF8(line: 2, field: 1)), rec(3, ["5", "6"])]),
    EdgeCase(name: "overlong and surrogate UTF-8 are invalid",
             input: utf8("a,b\n") + [0xC0, 0xAF, 0x2C, 0xED, 0xA0, 0x80, 0x0A],
             header: ["a", "b"],
             records: [rec(2, ["\u{FFFD}\u{FFFD}", "\u{FFFD}\u{FFFD}\u{FFFD}"], .invalidUTF8(line: 2, field: 0))]),
    EdgeCase(name: "a character split by the delimiter is invalid in both halves",
             input: utf8("a,b\n") + [0x78, 0xC3, 0x2C, 0xA9, 0x79, 0x0A],
             header: ["a", "b"],
             records: [rec(2, ["x\u{FFFD}", "\u{FFFD}y"], .invalidUTF8(line: 2, field: 0))]),
    EdgeCase(name: "invalid UTF-8 after a long ASCII run",
             input: utf8("a\n0123456789abcdefghij") + [0xE2, 0x82] + utf8("klmnopqrstuvwxyz\n"),
             header: ["a"],
             records: [rec(2, ["0123456789abcdefghij\u{FFFD}klmnopqrstuvwxyz"], .invalidUTF8(line: 2, field: 0))]),
    EdgeCase(name: "valid multi-byte UTF-8", input: utf8("a,b\né,中😀\n"),
             header: ["a", "b"], records: [rec(2, ["é", "中😀"])]),
    EdgeCase(name: "ragged rows with their lines",
             input: utf8("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"),
             header: ["a", "b", "c"],
             records: [rec(2, ["1", "2", "3"]),
                       rec(3, ["4", "5"], .raggedRow(line: 3, expected: 3, found: 2)),
                       rec(4, ["6", "7", "8", "9"], .raggedRow(line: 4, expected: 3, found: 4)),
                       rec(5, ["10", "11", "12"])]),
    EdgeCase(name: "ragged against the first record without a header",
             input: utf8("1,2\n3\n"), options: CSVReadOptions(hasHeader: false),
             header: [], records: [rec(1, ["1", "2"]), rec(2, ["3"], .raggedRow(line: 2, expected: 2, found: 1))]),
    EdgeCase(name: "unterminated quote at EOF: one record from its start line, then stop",
             input: utf8("a,b\n1,2\n3,\"open\n4,5\n6,7\n"),
             header: ["a", "b"],
             records: [rec(2, ["1", "2"]),
                       rec(3, ["3", "open\n4,5\n6,7\n"], .unterminatedQuote(line: 3, linesSpanned: 3), span: 3)]),
    EdgeCase(name: "unterminated quote without a final line break",
             input: utf8("a\n\"x\ny"),
             header: ["a"], records: [rec(2, ["x\ny"], .unterminatedQuote(line: 2, linesSpanned: 2), span: 2)]),
    EdgeCase(name: "field over a small cap is dropped, record continues",
             input: utf8("a,b,c\n1,") + Array(repeating: 0x78, count: 40) + utf8(",3\n4,5,6\n"),
             options: CSVReadOptions(maxFieldBytes: 16),
             header: ["a", "b", "c"],
             records: [rec(2, ["1", "", "3"], .fieldTooLong(line: 2, field: 1, limit: 16)),
                       rec(3, ["4", "5", "6"])]),
    EdgeCase(name: "quoted field over a small cap with quotes and newlines inside",
             input: utf8("a,b\n\"") + Array(repeating: 0x79, count: 20) + utf8("\"\"\n,\n\",2\n3,4\n"),
             options: CSVReadOptions(maxFieldBytes: 16),
             header: ["a", "b"],
             records: [rec(2, ["", "2"], .fieldTooLong(line: 2, field: 0, limit: 16), span: 3),
                       rec(5, ["3", "4"])]),
    EdgeCase(name: "field exactly at the cap is fine",
             input: utf8("a\n") + Array(repeating: 0x7A, count: 16) + utf8("\n"),
             options: CSVReadOptions(maxFieldBytes: 16),
             header: ["a"], records: [rec(2, [String(repeating: "z", count: 16)])]),
    EdgeCase(name: "NUL byte is reported and kept",
             input: utf8("a,b\n1,x") + [0x00] + utf8("y\n\"\0\",3\n"),
             header: ["a", "b"],
             records: [rec(2, ["1", "x\0y"], .nulByte(line: 2, field: 1)),
                       rec(3, ["\0", "3"], .nulByte(line: 3, field: 0))]),
    EdgeCase(name: "stray quote inside an unquoted field",
             input: utf8("a,b\n1,ab\"c\n"),
             header: ["a", "b"], records: [rec(2, ["1", "ab\"c"], .strayQuote(line: 2, field: 1))]),
    EdgeCase(name: "text after a closing quote",
             input: utf8("a,b\n\"ab\"c,2\n3,4\n"),
             header: ["a", "b"],
             records: [rec(2, ["ab\"c", "2"], .strayQuote(line: 2, field: 0)), rec(3, ["3", "4"])]),
    EdgeCase(name: "only the first problem is kept",
             input: utf8("a,b\nx\"y,\0\n"),
             header: ["a", "b"], records: [rec(2, ["x\"y", "\0"], .strayQuote(line: 2, field: 0))]),
    EdgeCase(name: "blank lines are skipped but counted",
             input: utf8("\na,b\n\n1,2\r\n\r\n\r3,4\n\n"),
             header: ["a", "b"], records: [rec(4, ["1", "2"]), rec(7, ["3", "4"])]),
    EdgeCase(name: "header-only file", input: utf8("a,b\n"), header: ["a", "b"], records: []),
    EdgeCase(name: "header-only without a line break", input: utf8("a,b"), header: ["a", "b"], records: []),
    EdgeCase(name: "empty file", input: [], header: [], records: []),
    EdgeCase(name: "BOM-only file", input: [0xEF, 0xBB, 0xBF], header: [], records: []),
    EdgeCase(name: "no trailing newline", input: utf8("a,b\n1,2\n3,4"),
             header: ["a", "b"], records: [rec(2, ["1", "2"]), rec(3, ["3", "4"])]),
    EdgeCase(name: "truncated final line is ragged", input: utf8("a,b,c\n1,2,3\n4,5"),
             header: ["a", "b", "c"],
             records: [rec(2, ["1", "2", "3"]), rec(3, ["4", "5"], .raggedRow(line: 3, expected: 3, found: 2))]),
    EdgeCase(name: "empty fields", input: utf8("a,b,c\n,,\n\"\",,\"\"\n,x,\n"),
             header: ["a", "b", "c"],
             records: [rec(2, ["", "", ""]), rec(3, ["", "", ""]), rec(4, ["", "x", ""])]),
    EdgeCase(name: "a quoted empty field is a record, not a blank line", input: utf8("a\n\"\"\nb\n"),
             header: ["a"], records: [rec(2, [""]), rec(3, ["b"])]),
    EdgeCase(name: "spaces are kept", input: utf8("a,b\n x , \"y\"\n"),
             header: ["a", "b"], records: [rec(2, [" x ", " \"y\""], .strayQuote(line: 2, field: 1))]),
    EdgeCase(name: "semicolon delimiter", input: utf8("a;b\n1,5;\"x;y\"\n"),
             options: CSVReadOptions(delimiter: UInt8(ascii: ";")),
             header: ["a", "b"], records: [rec(2, ["1,5", "x;y"])]),
    EdgeCase(name: "tab delimiter", input: utf8("a\tb\n1 2\t\"x\ty\"\n"),
             options: CSVReadOptions(delimiter: 0x09),
             header: ["a", "b"], records: [rec(2, ["1 2", "x\ty"])]),
    EdgeCase(name: "no header: first line is line 1", input: utf8("1,2\n3,4\n"),
             options: CSVReadOptions(hasHeader: false),
             header: [], records: [rec(1, ["1", "2"]), rec(2, ["3", "4"])]),
]

@Suite struct CSVReaderEdgeCaseTests {
    @Test(arguments: edgeCases)
    func readsFileAsExpected(_ c: EdgeCase) throws {
        let result = try readBytes(c.input, options: c.options)
        #expect(result.header == c.header)
        #expect(result.records == c.records)
    }

    @Test(arguments: edgeCases)
    func inMemoryParseAgrees(_ c: EdgeCase) {
        let result = CSV.parse(bytes: c.input, options: c.options)
        #expect(result.header == c.header)
        #expect(result.records == c.records)
    }

    @Test func badHeaderThrows() throws {
        let file = try TempFile(Array("a,\"b\"x\n1,2\n".utf8))
        defer { file.remove() }
        #expect(throws: CSVFileError.self) { try CSVReader(path: file.path) }
        do {
            _ = try CSVReader(path: file.path)
        } catch let CSVFileError.badHeader(path, problem) {
            #expect(path == file.path)
            #expect(problem == .strayQuote(line: 1, field: 1))
        }
    }

    @Test func missingFileThrowsCannotOpen() {
        let path = "/nonexistent/dir/none.csv"
        do {
            _ = try CSVReader(path: path)
            Issue.record("expected an error")
        } catch let CSVFileError.cannotOpen(p, reason) {
            #expect(p == path)
            #expect(!reason.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func bytesReadCountsTheWholeFile() throws {
        let bytes = Array("\u{FEFF}a,b\r\n1,2\r\n3,\"4\"\r\n".utf8)
        let file = try TempFile(bytes)
        defer { file.remove() }
        let reader = try CSVReader(path: file.path)
        var n = 0
        reader.forEach { _ in n += 1 }
        #expect(n == 2)
        #expect(reader.bytesRead == bytes.count)
    }

    @Test func rawRecordExposesBytes() throws {
        let file = try TempFile(Array("a,b\n\"x\"\"y\",é\n".utf8))
        defer { file.remove() }
        let reader = try CSVReader(path: file.path)
        var seen: [[UInt8]] = []
        reader.forEach { raw in
            #expect(raw.count == 2)
            #expect(raw.line == 2)
            seen = [Array(raw.bytes(0)), Array(raw.bytes(1))]
        }
        #expect(seen == [Array("x\"y".utf8), Array("é".utf8)])
    }

    @Test func problemsHaveRulesAndSentences() {
        let problems: [CSVProblem] = [
            .raggedRow(line: 12, expected: 11, found: 9), .unterminatedQuote(line: 3, linesSpanned: 40),
            .strayQuote(line: 1, field: 0), .fieldTooLong(line: 2, field: 3, limit: 16),
            .invalidUTF8(line: 4, field: 1), .nulByte(line: 5, field: 2),
        ]
        #expect(problems.map(\.rule) == ["csv.ragged-row", "csv.unterminated-quote", "csv.stray-quote",
                                         "csv.field-too-long", "csv.invalid-utf8", "csv.nul-byte"])
        #expect(problems.map(\.line) == [12, 3, 1, 2, 4, 5])
        #expect(problems.map(\.field) == [nil, nil, 0, 3, 1, 2])
        #expect(problems[0].description.hasPrefix("line 12: 9 fields where the header has 11"))
        #expect(problems[3].description.hasPrefix("line 2, field 4:"))
    }

    @Test(arguments: [
        ("utf8", TextEncoding.utf8), ("UTF-8", .utf8), ("cp1252", .windows1252),
        ("Windows-1252", .windows1252), ("win1252", .windows1252), ("latin1", .iso88591),
        ("Latin-1", .iso88591), ("iso-8859-1", .iso88591), ("ISO8859-1", .iso88591),
    ])
    func encodingAliases(_ name: String, _ expected: TextEncoding) {
        #expect(TextEncoding(name: name) == expected)
    }

    @Test func unknownEncodingName() {
        #expect(TextEncoding(name: "utf-16") == nil)
    }
}
