import Foundation
import Testing
@testable import CSPXML

/// Files built to hurt a parser: each must be refused quickly, in bounded memory, without
/// expanding or fetching anything.
@Suite("XMLRecordReader: hostile files", .serialized)
struct XMLHostileTests {
    /// Reads `path` expecting an error; checks time and memory bounds.
    private func refuse(_ path: String, record: String = "r", options: XMLReadOptions = .init(),
                        sourceLocation: SourceLocation = #_sourceLocation) -> XMLReadError? {
        let before = peakResidentBytes()
        let start = ContinuousClock.now
        let error = readError(path, record: record, options: options)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(10), "took \(elapsed)", sourceLocation: sourceLocation)
        let grown = peakResidentBytes() - before
        #expect(grown < 200 * 1024 * 1024, "peak RSS grew by \(grown) bytes", sourceLocation: sourceLocation)
        #expect(error != nil, "the file was accepted", sourceLocation: sourceLocation)
        return error
    }

    @Test func billionLaughsIsRefusedAtTheDoctype() throws {
        let fixtures = try XMLFixtures()
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            text += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        text += "]>\n<lolz><r>&lol9;</r></lolz>\n"
        let error = refuse(try fixtures.write("laughs.xml", text))
        #expect(error == .doctypeForbidden(path: fixtures.directory.appendingPathComponent("laughs.xml").path, line: 2))
        #expect(error?.rule == "xml.doctype")
    }

    @Test func quadraticBlowupIsRefused() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.stream("quadratic.xml") { handle in
            handle.write(Data("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"".utf8))
            handle.write(Data(String(repeating: "x", count: 50_000).utf8))
            handle.write(Data("\">]>\n<r>".utf8))
            let references = Data(String(repeating: "&a;", count: 1_000).utf8)
            for _ in 0..<50 { handle.write(references) }
            handle.write(Data("</r>\n".utf8))
        }
        let error = refuse(path)
        #expect(error?.rule == "xml.doctype")
        #expect(error?.line == 2)
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func externalEntityIsNeverRead() throws {
        let fixtures = try XMLFixtures()
        let secret = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?
            .split(separator: "\n").first.map(String.init) ?? "root:x:0:0"
        let path = try fixtures.write("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE r [
              <!ENTITY xxe SYSTEM "file:///etc/passwd">
            ]>
            <r><v>&xxe;</v></r>
            """)
        for record in ["r", "v"] {
            let error = refuse(path, record: record)
            #expect(error?.rule == "xml.doctype")
            #expect(error?.line == 2)
            #expect(!(error?.description.contains(secret) ?? true))
            #expect(!(error?.description.contains("root:") ?? true))
        }
    }

    @Test func parameterEntityToExternalFileIsNeverRead() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("xxe-pe.xml", """
            <!DOCTYPE r [ <!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext; ]>
            <r>x</r>
            """)
        let error = refuse(path)
        #expect(error?.rule == "xml.doctype")
        #expect(error?.line == 1)
        #expect(!(error?.description.contains("root:") ?? true))
    }

    @Test(arguments: ["http://example.com/x.dtd", "local.dtd"])
    func externalDTDIsRefused(_ systemID: String) throws {
        let fixtures = try XMLFixtures()
        _ = try fixtures.write("local.dtd", "<!ENTITY leak SYSTEM \"file:///etc/passwd\">\n<!ATTLIST r added CDATA \"from-dtd\">\n")
        let path = try fixtures.write("dtd.xml", "<?xml version=\"1.0\"?>\n\n<!DOCTYPE r SYSTEM \"\(systemID)\">\n<r>&leak;</r>\n")
        let error = refuse(path)
        #expect(error == .doctypeForbidden(path: path, line: 3))
    }

    @Test func undeclaredEntityIsAnEntityError() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("entity.xml", "<root>\n<r><v>caf&eacute;</v></r>\n</root>\n")
        let error = refuse(path)
        #expect(error == .entityForbidden(path: path, line: 2, name: "eacute"))
        #expect(error?.rule == "xml.entity")
        let inAttribute = try fixtures.write("entity-attr.xml", "<root>\n\n<r a=\"&nbsp;\"/>\n</root>\n")
        #expect(refuse(inAttribute) == .entityForbidden(path: inAttribute, line: 3, name: "nbsp"))
    }

    @Test(arguments: [256, 1_000])
    func hundredThousandLevelsOfNestingAreRefused(_ limit: Int) throws {
        let fixtures = try XMLFixtures()
        let depth = 100_000
        let path = try fixtures.stream("deep.xml") { handle in
            handle.write(Data("<r>\n".utf8))
            handle.write(Data(String(repeating: "<a>", count: depth).utf8))
            handle.write(Data(String(repeating: "</a>", count: depth).utf8))
            handle.write(Data("</r>\n".utf8))
        }
        let error = refuse(path, options: XMLReadOptions(maxDepth: limit))
        #expect(error == .tooDeep(path: path, line: 2, limit: limit))
        #expect(error?.rule == "xml.too-deep")
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func deepNestingWithinARaisedLimitIsReadIteratively() throws {
        let fixtures = try XMLFixtures()
        let depth = 100_000
        let path = try fixtures.stream("deep-ok.xml") { handle in
            handle.write(Data("<r>\n".utf8))
            handle.write(Data(String(repeating: "<a>", count: depth).utf8))
            handle.write(Data("leaf".utf8))
            handle.write(Data(String(repeating: "</a>", count: depth).utf8))
            handle.write(Data("</r>\n".utf8))
        }
        let start = ContinuousClock.now
        let records = try readAll(path, record: "r", options: XMLReadOptions(maxDepth: 200_000))
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(records.count == 1)
        #expect(records.first?.fields.count == 1)
        #expect(records.first?.fields.first?.value == "leaf")
        #expect(records.first?.fields.first?.path.utf8.count == 2 * depth - 1)
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func longNamesNestedDeepCannotAmplifyPaths() throws {
        // Each leaf's path repeats the 40 KB name once per level: 250 levels would need
        // over 1 GB of paths. The record budget stops it.
        let fixtures = try XMLFixtures()
        let name = String(repeating: "n", count: 40_000)
        let path = try fixtures.stream("long-names.xml") { handle in
            handle.write(Data("<root>\n<r>".utf8))
            for _ in 0..<250 { handle.write(Data("<\(name)><x/>".utf8)) }
            for _ in 0..<250 { handle.write(Data("</\(name)>".utf8)) }
            handle.write(Data("</r>\n</root>\n".utf8))
        }
        let error = refuse(path)
        #expect(error == .valueTooLong(path: path, line: 2, field: "", limit: 32 << 20))
        #expect(error?.description.contains("record larger than") == true)
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func recordWithTooManyFieldsIsRefused() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.stream("wide.xml") { handle in
            handle.write(Data("<root>\n<r>".utf8))
            let block = Data(String(repeating: "<x/>", count: 100_000).utf8)
            for _ in 0..<20 { handle.write(block) }  // 2 million fields
            handle.write(Data("</r>\n</root>\n".utf8))
        }
        #expect(refuse(path) == .valueTooLong(path: path, line: 2, field: "", limit: 32 << 20))
        var options = XMLReadOptions()
        options.maxRecordBytes = 1_000
        let small = try fixtures.write("small.xml", "<root>\n<r><a>" + String(repeating: "z", count: 2_000) + "</a></r>\n</root>")
        #expect(refuse(small, options: options) == .valueTooLong(path: small, line: 2, field: "", limit: 1_000))
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func nestingOutsideRecordsIsCappedToo() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("deep-outside.xml", String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300))
        #expect(refuse(path, record: "zzz")?.rule == "xml.too-deep")
        #expect(try readAll(path, record: "zzz", options: XMLReadOptions(maxDepth: 300)).isEmpty)
    }

    @Test func overlongTextIsRefused() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.stream("long-text.xml") { handle in
            handle.write(Data("<root>\n<r>\n<ok>fine</ok>\n<big>".utf8))
            let block = Data(String(repeating: "y", count: 64 * 1024).utf8)
            for _ in 0..<(3 * 16) { handle.write(block) }  // 3 MiB
            handle.write(Data("</big></r></root>\n".utf8))
        }
        let error = refuse(path)
        #expect(error?.rule == "xml.value-too-long")
        if case .valueTooLong(_, let line, let field, let limit) = error {
            #expect(field == "big")
            #expect(limit == 1_048_576)
            #expect(line == 4)
        } else {
            Issue.record("unexpected \(String(describing: error))")
        }
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func overlongAttributeAndConfiguredLimitAreRefused() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("attr.xml", "<root>\n<r id=\"12345678901\"><v>ok</v></r>\n</root>\n")
        let options = XMLReadOptions(maxValueBytes: 10)
        #expect(refuse(path, options: options) == .valueTooLong(path: path, line: 2, field: "@id", limit: 10))
        let text = try fixtures.write("text.xml", "<root>\n<r><v>12345<!-- split -->678901</v></r>\n</root>\n")
        #expect(refuse(text, options: options) == .valueTooLong(path: text, line: 2, field: "v", limit: 10))
        #expect(try readAll(text, record: "r", options: XMLReadOptions(maxValueBytes: 11)).first?.value("v") == "12345678901")
    }

    @Test func descriptionsNameTheFileLineAndRemedy() {
        let errors: [XMLReadError] = [
            .cannotOpen(path: "/in/a.xml", reason: "No such file or directory"),
            .malformed(path: "/in/a.xml", line: 3, column: 7, message: "Opening and ending tag mismatch"),
            .doctypeForbidden(path: "/in/a.xml", line: 2),
            .entityForbidden(path: "/in/a.xml", line: 4, name: "nbsp"),
            .tooDeep(path: "/in/a.xml", line: 5, limit: 256),
            .valueTooLong(path: "/in/a.xml", line: 6, field: "Notes", limit: 1_048_576),
        ]
        #expect(Set(errors.map(\.rule)).count == errors.count)
        for error in errors {
            #expect(error.description.contains("/in/a.xml"))
            if error.line > 0 { #expect(error.description.contains("line \(error.line)")) }
        }
    }
}
