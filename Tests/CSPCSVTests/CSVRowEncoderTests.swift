import Foundation
import Testing
@testable import CSPCSV

/// `CSVRowEncoder` must give exactly `CSVWriter`'s bytes for every row after a file's first.
@Suite struct CSVRowEncoderTests {
    /// Fields with quotes, delimiters, CR and LF at every position around the eight-byte steps, and plain ones.
    static func fields(seed: UInt64) -> [[String]] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % n
        }
        let pieces = ["a", "b", " ", "\"", ",", ";", "\n", "\r", "é", "中", "😀", "\t", "\u{FEFF}", "x"]
        return (0..<400).map { _ in
            (0..<(1 + next(6))).map { _ in
                let length = next(4) == 0 ? 0 : next(30)
                return (0..<length).map { _ in next(5) == 0 ? pieces[next(pieces.count)] : "p" }.joined()
            }
        } + [[""], ["", ""], ["\u{FEFF}bom"], [String(repeating: "long,", count: 300)]]
    }

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")])
    func encodesAsTheWriterWrites(delimiter: UInt8) throws {
        let rows = Self.fields(seed: UInt64(delimiter))
        let file = TempFile(emptyNamed: "encoder")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path, delimiter: delimiter)
        try writer.writeRow(["header"])
        for row in rows { try writer.writeRow(row) }
        try writer.close()

        let encoder = CSVRowEncoder(delimiter: delimiter, capacity: 16)
        for row in rows {
            for f in row { encoder.writeField(f) }
            encoder.endRow()
        }
        #expect(encoder.rows == rows.count)
        let expected = try Data(contentsOf: URL(fileURLWithPath: file.path))
        let header = Array(CSV.format([["header"]], delimiter: delimiter).utf8)
        #expect(Array(expected) == header + Array(encoder.bytes))

        // And through a writer: appended encoded rows give the same file.
        let again = TempFile(emptyNamed: "encoded")
        defer { again.remove() }
        let w2 = try CSVWriter(path: again.path, delimiter: delimiter)
        try w2.writeRow(["header"])
        try w2.writeEncodedRows(encoder.bytes, rows: encoder.rows)
        try w2.close()
        #expect(w2.rowsWritten == rows.count + 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again.path)) == expected)

        let copy = CSVRowEncoder(delimiter: delimiter)
        copy.appendEncodedRows(encoder.bytes, rows: encoder.rows)
        #expect(Array(copy.bytes) == Array(encoder.bytes) && copy.rows == encoder.rows)
        encoder.removeAll()
        #expect(encoder.bytes.isEmpty && encoder.rows == 0)
    }
}
