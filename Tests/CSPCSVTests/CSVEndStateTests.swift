import Foundation
import Testing
@testable import CSPCSV

/// How a file ends: the last record's `terminated` flag, the reader's `endState`, and the bytes a `CSVByteObserver`
/// sees, at every chunk size (a cut can fall on any chunk boundary).
@Suite struct CSVEndStateTests {
    final class Collect: CSVByteObserver {
        var bytes: [UInt8] = []
        func read(_ b: UnsafeBufferPointer<UInt8>) { bytes += b }
    }

    /// (line, terminated, problem rule) of each record, and the end state.
    static func read(_ text: String, chunkSize: Int, background: Bool = false) throws -> (records: [String], end: CSVEndState, seen: [UInt8]) {
        let f = try TempFile(Array(text.utf8)); defer { f.remove() }
        let seen = Collect()
        var out: [String] = []
        let end: CSVEndState
        if background {
            let r = try BackgroundCSVReader(path: f.path, observer: seen)
            try r.forEach { out.append("\($0.line) \($0.terminated) \($0.problem?.rule ?? "-")") }
            end = r.endState
        } else {
            let r = try CSVReader(path: f.path, options: .init(), chunkSize: chunkSize, observer: seen)
            r.forEach { out.append("\($0.line) \($0.terminated) \($0.problem?.rule ?? "-")") }
            end = r.endState
        }
        return (out, end, seen.bytes)
    }

    @Test(arguments: [1, 2, 3, 7, 1 << 20])
    func aCompleteCRLFFileEndsTerminated(chunkSize: Int) throws {
        let text = "a,b,c\r\n1,2,\r\n3,4,5\r\n"
        let r = try Self.read(text, chunkSize: chunkSize)
        #expect(r.records == ["2 true -", "3 true -"])
        #expect(r.end == CSVEndState(bytesRead: text.utf8.count, reachedEnd: true, usesCRLF: true, endsInsideCRLF: false))
        #expect(r.seen == Array(text.utf8), "the observer sees every byte, in order")
    }

    /// Cut just after the last line's final comma: the record has the right number of fields and no problem, but it
    /// is not terminated.
    @Test(arguments: [1, 2, 5, 1 << 20])
    func aFileCutAfterTheFinalCommaHasAnUnterminatedLastRecord(chunkSize: Int) throws {
        let r = try Self.read("a,b,c\r\n1,2,\r\n3,4,", chunkSize: chunkSize)
        #expect(r.records == ["2 true -", "3 false -"])
        #expect(r.end.reachedEnd && r.end.usesCRLF && !r.end.endsInsideCRLF)
    }

    @Test(arguments: [1, 3, 1 << 20])
    func aFileCutMidFieldIsRaggedAndUnterminated(chunkSize: Int) throws {
        let r = try Self.read("a,b,c\r\n1,2,\r\n3,4", chunkSize: chunkSize)
        #expect(r.records == ["2 true -", "3 false csv.ragged-row"])
    }

    @Test func aFileCutInsideAQuotedFieldIsUnterminated() throws {
        let r = try Self.read("a,b,c\r\n1,\"two\r\nlines", chunkSize: 4)
        #expect(r.records == ["2 false csv.unterminated-quote"])
    }

    @Test(arguments: [1, 1 << 20])
    func aFileCutBetweenCRAndLFIsNamedByItsEndState(chunkSize: Int) throws {
        let r = try Self.read("a,b,c\r\n1,2,3\r", chunkSize: chunkSize)
        #expect(r.records == ["2 true -"])
        #expect(r.end.endsInsideCRLF)
        // An LF file ending with LF, and a CR-only file ending with CR, are complete.
        #expect(!(try Self.read("a,b\n1,2\n", chunkSize: chunkSize)).end.endsInsideCRLF)
        #expect(!(try Self.read("a,b\r1,2\r", chunkSize: chunkSize)).end.endsInsideCRLF)
    }

    @Test func theBackgroundReaderCarriesTheFlagAndTheEndState() throws {
        var text = "id,v\r\n"
        for i in 0..<20_000 { text += "\(i),x\r\n" }
        text += "last,"
        let r = try Self.read(text, chunkSize: 0, background: true)
        #expect(r.records.count == 20_001)
        #expect(r.records.last == "20002 false -")
        #expect(r.records.dropLast().allSatisfy { $0.contains(" true ") })
        #expect(r.end.reachedEnd && r.end.usesCRLF && r.end.bytesRead == text.utf8.count)
        #expect(r.seen == Array(text.utf8))
    }

    @Test func inMemoryParsingMarksTheLastRecordToo() {
        // `CSV.parse` shares the parser; its owned records do not carry the flag, but parsing must not change.
        let p = CSV.parse("a,b\n1,2\n3,")
        #expect(p.records.map(\.fields) == [["1", "2"], ["3", ""]])
    }
}
