import CSPTestSupport
import Testing
@testable import CSPCSV

private let pieces: [String] = [
    "", "", "a", "plain text", ",", "\"", "\"\"", "\r", "\n", "\r\n", "é", "中", "😀", " ", "  lead",
    "trail  ", "x;y", "\t", "1.5", "O'Brien", "a,\"b\"\r\nc", "ÿ€£",
]

private func randomField(_ rng: inout SplitMix64) -> String {
    let parts = Int.random(in: 0...4, using: &rng)
    var s = ""
    for _ in 0..<parts { s += pieces.randomElement(using: &rng)! }
    return s
}

/// (RNG seed, delimiter) pairs: comma, semicolon and tab.
private let seedsAndDelimiters: [(UInt64, UInt8)] = [(1, 0x2C), (2, 0x3B), (3, 0x09)]

@Suite struct CSVRoundTripTests {
    @Test(arguments: seedsAndDelimiters)
    func randomRowsSurviveWriteThenRead(_ seed: UInt64, _ delimiter: UInt8) throws {
        var rng = SplitMix64(seed: seed)
        let columns = 7
        let header = (0..<columns).map { "col \($0)" }
        let rows = (0..<4000).map { _ in (0..<columns).map { _ in randomField(&rng) } }
        let file = TempFile(emptyNamed: "roundtrip")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path, delimiter: delimiter)
        try writer.writeRow(header)
        for row in rows { try writer.writeRow(row) }
        try writer.close()
        #expect(writer.rowsWritten == rows.count + 1)

        for chunkSize in [1 << 20, 4096, 61] {
            let result = try readAll(path: file.path, options: CSVReadOptions(delimiter: delimiter),
                                     chunkSize: chunkSize)
            #expect(result.header == header)
            #expect(result.records.count == rows.count)
            #expect(result.records.allSatisfy { $0.problem == nil })
            #expect(result.records.map(\.fields) == rows)
        }
        let formatted = CSV.format([header] + rows, delimiter: delimiter)
        let onDisk = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(formatted == onDisk)
        #expect(CSV.parse(formatted, options: CSVReadOptions(delimiter: delimiter)).records.map(\.fields) == rows)
    }

    @Test func singleColumnRowsWithEmptyValues() throws {
        var rng = SplitMix64(seed: 42)
        let rows = (0..<2000).map { _ in [Bool.random(using: &rng) ? "" : randomField(&rng)] }
        let file = TempFile(emptyNamed: "onecolumn")
        defer { file.remove() }
        let writer = try CSVWriter(path: file.path)
        for row in rows { try writer.writeRow(row) }
        try writer.close()
        let result = try readAll(path: file.path, options: CSVReadOptions(hasHeader: false))
        #expect(result.records.map(\.fields) == rows)
    }
}
