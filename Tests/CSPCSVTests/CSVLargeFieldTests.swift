import Foundation
import Testing
@testable import CSPCSV

@Suite struct CSVLargeFieldTests {
    @Test func fiftyMegabyteFieldIsRejectedWithBoundedMemory() throws {
        let file = TempFile(emptyNamed: "huge")
        defer { file.remove() }
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file.path))
        handle.write(Data("id,blob,tail\n1,\"".utf8))
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<50 { handle.write(block) }
        handle.write(Data("\",t\n2,small,t2\n".utf8))
        try handle.close()

        let reader = try CSVReader(path: file.path)
        var records: [CSVRecord] = []
        var largestBuffer = 0
        reader.forEach { raw in
            records.append(raw.record())
            largestBuffer = max(largestBuffer, reader.recordBufferCapacity)
        }
        #expect(records == [
            CSVRecord(line: 2, fields: ["1", "", "t"],
                      problem: .fieldTooLong(line: 2, field: 1, limit: 1_048_576)),
            CSVRecord(line: 3, fields: ["2", "small", "t2"]),
        ])
        // At most the cap plus one chunk, rounded up to a power of two.
        #expect(largestBuffer <= 4 << 20)
        #expect(reader.bytesRead == 50 * (1 << 20) + 31)
    }
}
