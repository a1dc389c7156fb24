import Foundation
import Testing
@testable import CSPCSV

@Suite struct BackgroundCSVReaderTests {
    /// Every record, across many batches and with quoted newlines, ragged rows and a huge field, is what CSVReader gives.
    @Test func sameRecordsAsCSVReader() throws {
        var text = "id,name,note\r\n"
        for i in 0..<30_000 {
            switch i % 7 {
            case 0: text += "\(i),\"multi\nline, \"\"quoted\"\"\",x\r\n"
            case 3: text += "\(i),ragged\r\n"
            default: text += "\(i),name \(i),é\r\n"
            }
        }
        text += "big," + String(repeating: "z", count: 3_000_000) + ",end\r\n"
        let f = try TempFile(Array(text.utf8)); defer { f.remove() }
        func rows(_ each: ((CSVRawRecord) -> Void) throws -> Void) rethrows -> [String] {
            var out: [String] = []
            try each { r in out.append("\(r.line)|\(r.lineSpan)|\(r.problem.map { "\($0)" } ?? "")|" + r.strings().joined(separator: "\u{1}")) }
            return out
        }
        let plain = try CSVReader(path: f.path)
        let expected = rows { body in plain.forEach(body) }
        let background = try BackgroundCSVReader(path: f.path)
        #expect(background.header == plain.header)
        let got = try rows { body in try background.forEach { body($0) } }
        #expect(got.count == 30_001)
        let same = got == expected
        #expect(same)
        #expect(background.readError == nil)
    }

    /// An error thrown by the body stops the reading and comes back out; the producer thread is not left waiting.
    @Test func bodyErrorStopsReading() throws {
        let text = "a\n" + (0..<100_000).map { "\($0)\n" }.joined()
        let f = try TempFile(Array(text.utf8)); defer { f.remove() }
        struct Stop: Error {}
        let reader = try BackgroundCSVReader(path: f.path)
        var seen = 0
        #expect(throws: Stop.self) {
            try reader.forEach { _ in seen += 1; if seen == 10_000 { throw Stop() } }
        }
        #expect(seen == 10_000)
    }
}
