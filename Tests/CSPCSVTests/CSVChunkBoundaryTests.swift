import Testing
@testable import CSPCSV

/// A file that puts every state-machine transition somewhere near a chunk boundary.
private let trickyFile: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
    "id,name,note\r\n"
    + "1,\"Smith, \"\"J\"\"\",\"two\r\nlines\"\r\n"
    + "\r\n"
    + "2,é中😀,plain\r"
    + "3,\"\",\"\"\"\"\n"
    + "4,a\"b,\"c\"d\n"
    + "\n\n"
    + "5,x\0y,\"\0\"\n"
    + "6,only-two\n"
    + "7,\"" + String(repeating: "long,\"\"\n", count: 6) + "\",end\n"
    + "8,,\n"
    + "9,\"cr\rinside\",\"lf\ninside\"\r\n"
    + "10,\"open,tail\r\nmore\r\n").utf8)
    + [0xFF] + Array("\n".utf8)

@Suite struct CSVChunkBoundaryTests {
    @Test func everyChunkSizeFrom1To64GivesIdenticalRecords() throws {
        let file = try TempFile(trickyFile, name: "tricky")
        defer { file.remove() }
        let options = CSVReadOptions(maxFieldBytes: 32)
        let reference = try readAll(path: file.path, options: options)
        #expect(reference.header == ["id", "name", "note"])
        #expect(reference.records.count == 10)
        #expect(reference.records.map(\.line) == [2, 5, 6, 7, 10, 11, 12, 19, 20, 23])
        #expect(reference.records[8].fields == ["9", "cr\rinside", "lf\ninside"])
        #expect(reference.records[5].problem == .raggedRow(line: 11, expected: 3, found: 2))
        #expect(reference.records[6].problem == .fieldTooLong(line: 12, field: 1, limit: 32))
        #expect(reference.records.last?.problem == .unterminatedQuote(line: 23, linesSpanned: 3))
        for size in 1...64 {
            let chunked = try readAll(path: file.path, options: options, chunkSize: size)
            #expect(chunked.header == reference.header, "chunk size \(size)")
            #expect(chunked.records == reference.records, "chunk size \(size)")
        }
    }

    @Test func windows1252AcrossChunkBoundaries() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0x80, 0x2C, 0x22, 0x93, 0x22, 0x22, 0x94, 0x22, 0xA3, 0x0A]
        let options = CSVReadOptions(encoding: .windows1252)
        for size in 1...16 {
            let result = try readBytes(bytes, options: options, chunkSize: size)
            #expect(result.records == [CSVRecord(line: 2, fields: ["€", "\u{201C}\"\u{201D}\"£"],
                                                 problem: .strayQuote(line: 2, field: 1))],
                    "chunk size \(size)")
        }
    }

    @Test(arguments: [1, 2, 3, 5, 7, 13])
    func edgeCasesWithSmallChunks(_ size: Int) throws {
        for c in edgeCases {
            let result = try readBytes(c.input, options: c.options, chunkSize: size)
            #expect(result.header == c.header, "\(c.name), chunk size \(size)")
            #expect(result.records == c.records, "\(c.name), chunk size \(size)")
        }
    }
}
