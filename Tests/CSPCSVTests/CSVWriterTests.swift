import Foundation
import Testing
@testable import CSPCSV

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", false), ("", false), (" leading and trailing ", false), ("a,b", true),
        ("say \"hi\"", true), ("cr\r", true), ("lf\n", true), ("tab\t", false), ("é中😀", false),
    ])
    func needsQuoting(_ field: String, _ expected: Bool) {
        #expect(CSV.needsQuoting(field) == expected)
    }

    @Test func needsQuotingWithOtherDelimiter() {
        #expect(CSV.needsQuoting("a;b", delimiter: UInt8(ascii: ";")))
        #expect(!CSV.needsQuoting("a,b", delimiter: UInt8(ascii: ";")))
    }

    @Test func formatIsDeterministicAndMinimal() {
        let text = CSV.format([["id", "name"], ["1", "Smith, J"], ["2", "say \"hi\""], [""], ["3", " x "],
                               ["4", "two\r\nlines"]])
        #expect(text == "id,name\n1,\"Smith, J\"\n2,\"say \"\"hi\"\"\"\n\"\"\n3, x \n4,\"two\r\nlines\"\n")
    }

    @Test func writerMatchesFormatAndCountsRows() throws {
        let file = TempFile(emptyNamed: "writer")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path)
        try writer.writeRow(["a", "b"])
        writer.writeField("x,y")
        "raw\"bytes".utf8.withContiguousStorageIfAvailable { writer.writeField(bytes: $0) }
        try writer.endRow()
        try writer.writeRow([""])
        try writer.close()
        try writer.close()
        #expect(writer.rowsWritten == 3)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text == CSV.format([["a", "b"], ["x,y", "raw\"bytes"], [""]]))
        #expect(text == "a,b\n\"x,y\",\"raw\"\"bytes\"\n\"\"\n")
    }

    /// `writeField(prefix:bytes:)` writes exactly what `writeField` writes for the concatenation.
    @Test(arguments: [("'", "=1+1"), ("'", "a,b"), ("'", "say \"hi\""), ("'", "two\nlines"), ("'", ""), ("x", "plain"),
                      (",", "a"), ("\"", "q"), ("\n", "l"), ("'", "é中😀")])
    func prefixedFieldIsTheConcatenation(prefix: String, field: String) throws {
        let file = TempFile(emptyNamed: "prefix")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path)
        writer.writeField("a")
        var f = field
        f.withUTF8 { writer.writeField(prefix: prefix.utf8.first!, bytes: $0) }
        try writer.endRow()
        f.withUTF8 { writer.writeField(prefix: prefix.utf8.first!, bytes: $0) }
        try writer.endRow()
        try writer.close()
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == CSV.format([["a", prefix + field], [prefix + field]]))
    }

    @Test func leadingByteOrderMarkIsQuotedSoItSurvives() throws {
        let file = TempFile(emptyNamed: "bom")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path)
        try writer.writeRow(["\u{FEFF}a", "b"])
        try writer.close()
        let result = try readAll(path: file.path, options: CSVReadOptions(hasHeader: false))
        #expect(result.records.map(\.fields) == [["\u{FEFF}a", "b"]])
    }

    @Test func largeFieldsBypassTheBuffer() throws {
        let file = TempFile(emptyNamed: "bigwrite")
        defer { file.remove() }
        let big = String(repeating: "ab\"c,", count: 500_000)
        let writer = try CSVWriter(path: file.path)
        try writer.writeRow(["h"])
        try writer.writeRow([big])
        try writer.close()
        let result = try readAll(path: file.path, options: CSVReadOptions(maxFieldBytes: 4 << 20))
        #expect(result.records.map(\.fields) == [[big]])
    }

    @Test func cannotOpenThrows() {
        #expect(throws: CSVFileError.self) {
            try CSVWriter(path: "/nonexistent/dir/out.csv")
        }
    }
}
