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

@Suite("CSVWriter: write-behind")
struct CSVWriterWriteBehindTests {
    final class Collector: CSVWriteObserver, @unchecked Sendable {
        var bytes: [UInt8] = []
        var completedTotal: Int?
        func written(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }
        func completed(fd: Int32, total: Int) { completedTotal = total }
    }

    /// Rows across many 1 MB buffers, and one field larger than a buffer, arrive in order, in the file and at the observer.
    @Test func everyByteInOrder() throws {
        let f = TempFile(emptyNamed: "behind"); defer { f.remove() }
        let seen = Collector()
        let w = try CSVWriter(path: f.path, observer: seen)
        var expected: [[String]] = []
        for i in 0..<60_000 { let row = [String(i), "field \(i), with a comma", "x"]; expected.append(row); try w.writeRow(row) }
        let big = String(repeating: "0123456789", count: 350_000)  // 3.5 MB in one field
        expected.append(["big", big]); try w.writeRow(["big", big])
        for i in 0..<1_000 { let row = ["tail", String(i)]; expected.append(row); try w.writeRow(row) }
        try w.close()
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.path)))
        #expect(file.count > 5_000_000)
        let observed = seen.bytes == file
        #expect(observed)
        #expect(seen.completedTotal == file.count)
        // The same bytes as the in-memory formatter gives (compared as a Bool: a failure must not print 6 MB).
        let same = file == Array(CSV.format(expected).utf8)
        #expect(same)
    }

    /// A write that fails (a full disk) is thrown by close, and the observer is not told the file is complete.
    @Test func aFailedWriteIsThrown() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let seen = Collector()
        let w = try CSVWriter(path: "/dev/full", observer: seen)
        for i in 0..<200_000 { try? w.writeRow([String(i), "some text to fill the buffers"]) }
        #expect(throws: CSVFileError.self) { try w.close() }
        #expect(seen.completedTotal == nil)
    }
}
