import Foundation
import Testing
@testable import CSPXML

@Suite("XMLRecordReader: malformed files")
struct XMLMalformedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let line: Int
        var testDescription: String { name }

        init(_ name: String, _ text: String, line: Int) {
            self.init(name, bytes: Array(text.utf8), line: line)
        }

        init(_ name: String, bytes: [UInt8], line: Int) {
            self.name = name
            self.bytes = bytes
            self.line = line
        }
    }

    static let cases: [Case] = [
        Case("unclosed tag", "<r>\n<rec>\n<a>1\n</rec>\n</r>\n", line: 4),
        Case("mismatched tag", "<r>\n<rec><a>1</b></rec>\n</r>\n", line: 2),
        Case("truncated file", "<r>\n<rec><a>1</a></rec>\n<rec><a>2", line: 3),
        Case("garbage after root", "<r>\n<rec/>\n</r>\ngarbage\n", line: 4),
        Case("second root element", "<r>\n<rec/>\n</r>\n<r/>\n", line: 4),
        Case("unknown encoding declared", "<?xml version=\"1.0\" encoding=\"no-such-charset\"?>\n<r><rec/></r>\n", line: 1),
        Case("UTF-16 declared on 8-bit content", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r><rec/></r>\n", line: 1),
        Case(
            "Latin-1 bytes in a UTF-8 file",
            bytes: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\n<rec><a>Caf".utf8) + [0xE9] + Array("</a></rec></r>\n".utf8),
            line: 3),
        Case(
            "bytes invalid for Shift_JIS",
            bytes: Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<r>\n<rec><a>".utf8) + [0x82, 0xFF, 0xFF] + Array("</a></rec></r>\n".utf8),
            line: 3),
        Case("unquoted attribute", "<r>\n<rec a=1/>\n</r>\n", line: 2),
        Case("undeclared namespace prefix", "<r>\n<x:rec/>\n</r>\n", line: 2),
        Case("empty file", "", line: 1),
        Case("no root element", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", line: 3),
    ]

    @Test(arguments: cases)
    func malformedFileIsAnErrorWithLineAndColumn(_ testCase: Case) throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("bad.xml", bytes: testCase.bytes)
        let error = try #require(readError(path, record: "rec"))
        guard case .malformed(let errorPath, let line, let column, let message) = error else {
            Issue.record("expected malformed, got \(error)")
            return
        }
        #expect(errorPath == path)
        #expect(line == testCase.line, "\(message)")
        #expect(column >= 0)
        #expect(!message.isEmpty)
        #expect(error.rule == "xml.malformed")
        #expect(error.line == testCase.line)
        #expect(error.description.contains("line \(testCase.line), column \(column)"))
    }

    @Test func recordsBeforeTheProblemComeFirstThenTheReaderIsFinished() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("partial.xml", "<r>\n<rec><a>1</a></rec>\n<rec><a>2</a></rec>\n<rec><a>3</b></rec>\n</r>\n")
        let reader = try XMLRecordReader(path: path, recordElement: "rec")
        #expect(try reader.next()?.value("a") == "1")
        #expect(try reader.next()?.value("a") == "2")
        #expect(throws: XMLReadError.self) { try reader.next() }
        #expect(try reader.next() == nil)
        #expect(reader.recordsRead == 2)
    }

    @Test func malformedColumnPointsIntoTheLine() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("col.xml", "<r>\n  <rec><a>1</b></rec>\n</r>\n")
        let error = try #require(readError(path, record: "rec"))
        guard case .malformed(_, 2, let column, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(column > 10 && column < 20)
    }
}
