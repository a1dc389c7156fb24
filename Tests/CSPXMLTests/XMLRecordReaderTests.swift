import CSPTestSupport
import Foundation
import Testing
@testable import CSPXML

@Suite("XMLRecordReader: records and values")
struct XMLRecordReaderTests {
    static let incidents = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Export generated="2024-01-01">
          <Header><Source>Force A</Source></Header>
          <Incident id="INC-1" status="open">
            <IncidentNumber>  2009/0001  </IncidentNumber>
            <Opened>2009-01-01T10:00:00</Opened>
            <Category>Burglary</Category>
            <Location>
              <Beat>B1</Beat>
              <Ward code="E05000001">Abbey</Ward>
              <Easting>530000</Easting>
              <Northing>180000</Northing>
            </Location>
            <Officer>PC 1</Officer>
            <Officer>PC 2</Officer>
            <RepeatCaller>Y</RepeatCaller>
            <Notes/>
          </Incident>
          <Incident
              id="INC-2"><IncidentNumber>2009/0002</IncidentNumber><Category>Theft</Category></Incident>
        </Export>
        """

    @Test func readsRecordsWithAttributesChildrenAndRepeats() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("incidents.xml", Self.incidents)
        let records = try readAll(path, record: "Incident")
        #expect(records.count == 2)
        let first = try #require(records.first)
        #expect(first.index == 1)
        #expect(first.line == 4)
        #expect(first.fields == [
            XMLField(path: "@id", value: "INC-1"),
            XMLField(path: "@status", value: "open"),
            XMLField(path: "IncidentNumber", value: "2009/0001"),
            XMLField(path: "Opened", value: "2009-01-01T10:00:00"),
            XMLField(path: "Category", value: "Burglary"),
            XMLField(path: "Location/Beat", value: "B1"),
            XMLField(path: "Location/Ward/@code", value: "E05000001"),
            XMLField(path: "Location/Ward", value: "Abbey"),
            XMLField(path: "Location/Easting", value: "530000"),
            XMLField(path: "Location/Northing", value: "180000"),
            XMLField(path: "Officer", value: "PC 1"),
            XMLField(path: "Officer", value: "PC 2"),
            XMLField(path: "RepeatCaller", value: "Y"),
            XMLField(path: "Notes", value: ""),
        ])
        #expect(first.value("Officer") == "PC 1")
        #expect(first.values("Officer") == ["PC 1", "PC 2"])
        #expect(first.value("Missing") == nil)
        #expect(first.paths.count == 13)
        #expect(first.paths.first == "@id")

        let second = records[1]
        #expect(second.index == 2)
        #expect(second.line == 19, "the line where the start tag begins, not where it ends")
        #expect(second.value("@id") == "INC-2")
        #expect(second.value("Category") == "Theft")
    }

    @Test func countsRecordsRead() throws {
        let fixtures = try XMLFixtures()
        let reader = try XMLRecordReader(path: try fixtures.write("i.xml", Self.incidents), recordElement: "Incident")
        #expect(reader.recordsRead == 0)
        _ = try reader.next()
        #expect(reader.recordsRead == 1)
        _ = try reader.next()
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
        #expect(reader.recordsRead == 2)
        #expect(reader.path.hasSuffix("i.xml"))
    }

    @Test func recordsAtAnyDepthAndNestedRecordsStayInside() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("nested.xml", """
            <root>
              <batch n="1">
                <Item><Name>a</Name><Item><Name>inner</Name></Item></Item>
              </batch>
              <batch n="2"><deeper><Item><Name>b</Name></Item></deeper></batch>
              <Item>text only</Item>
              <Item/>
            </root>
            """)
        let records = try readAll(path, record: "Item")
        #expect(records.map(\.index) == [1, 2, 3, 4])
        #expect(records.map(\.line) == [3, 5, 6, 7])
        #expect(records[0].fields == [
            XMLField(path: "Name", value: "a"),
            XMLField(path: "Item/Name", value: "inner"),
        ])
        #expect(records[1].fields == [XMLField(path: "Name", value: "b")])
        #expect(records[2].fields == [XMLField(path: ".", value: "text only")])
        #expect(records[3].fields == [])
    }

    @Test func mixedContentKeepsTheElementsOwnText() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("mixed.xml", "<r><rec><a>x <b>y</b> z</a><c> <d>1</d> </c></rec></r>")
        let record = try #require(try readAll(path, record: "rec").first)
        #expect(record.fields == [
            XMLField(path: "a/b", value: "y"),
            XMLField(path: "a", value: "x  z"),
            XMLField(path: "c/d", value: "1"),
        ])
    }

    @Test func namespacesMatchByQualifiedOrLocalName() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("ns.xml", """
            <s:Submission xmlns:s="urn:s" xmlns:nc="urn:nc" xmlns="urn:default">
              <s:Report nc:version="2"><nc:Date>2016-02-19</nc:Date><Plain>p</Plain></s:Report>
              <Report><nc:Date>2016-02-20</nc:Date></Report>
              <other:Report xmlns:other="urn:other"><Plain>o</Plain></other:Report>
            </s:Submission>
            """)
        let byLocal = try readAll(path, record: "Report")
        #expect(byLocal.count == 3)
        #expect(byLocal[0].fields == [
            XMLField(path: "@nc:version", value: "2"),
            XMLField(path: "nc:Date", value: "2016-02-19"),
            XMLField(path: "Plain", value: "p"),
        ])
        #expect(byLocal[1].value("nc:Date") == "2016-02-20")
        let byQualified = try readAll(path, record: "s:Report")
        #expect(byQualified.map(\.line) == [2])
        #expect(try readAll(path, record: "other:Report").map(\.line) == [4])
    }

    @Test func cdataCharacterReferencesAndPredefinedEntitiesAreDecoded() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("text.xml", """
            <r><rec note="Fish &amp; Chips &#38; &lt;peas&gt; &quot;&apos; caf&#233;">
              <Name>Fish &amp; Chips</Name>
              <Place>Caf&#233; &#x2603; &lt;br&gt;</Place>
              <Raw><![CDATA[ <b>bold</b> & more ]]></Raw>
              <Both>a<![CDATA[<b>]]>c</Both>
              <Spaces>
                 padded value\t
              </Spaces>
              <Inner>  keep   inner   spaces  </Inner>
            </rec></r>
            """)
        let record = try #require(try readAll(path, record: "rec").first)
        #expect(record.value("@note") == "Fish & Chips & <peas> \"' café")
        #expect(record.value("Name") == "Fish & Chips")
        #expect(record.value("Place") == "Café ☃ <br>")
        #expect(record.value("Raw") == "<b>bold</b> & more")
        #expect(record.value("Both") == "a<b>c")
        #expect(record.value("Spaces") == "padded value")
        #expect(record.value("Inner") == "keep   inner   spaces")
    }

    @Test func commentsAndProcessingInstructionsAreIgnored() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.write("c.xml", "<?xml version=\"1.0\"?>\n<!-- c --><r><?pi x?><rec><!-- in --><a>1<!-- mid -->2</a></rec></r>")
        let record = try #require(try readAll(path, record: "rec").first)
        #expect(record.fields == [XMLField(path: "a", value: "12")])
        #expect(record.line == 2)
    }

    @Test func isoLatin1FileIsDecodedToUTF8() throws {
        let fixtures = try XMLFixtures()
        var bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<r><rec a=\"".utf8)
        bytes += [0xE9, 0xE8]  // éè
        bytes += Array("\"><Name>Caf".utf8) + [0xE9] + Array("</Name><Town>Z".utf8) + [0xFC] + Array("rich</Town></rec></r>\n".utf8)
        let path = try fixtures.write("latin1.xml", bytes: bytes)
        let record = try #require(try readAll(path, record: "rec").first)
        #expect(record.value("@a") == "éè")
        #expect(record.value("Name") == "Café")
        #expect(record.value("Town") == "Zürich")
    }

    @Test func utf16FileWithByteOrderMarkIsDecoded() throws {
        let fixtures = try XMLFixtures()
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r>\n<rec><Name>Café ☃</Name></rec></r>"
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let path = try fixtures.write("utf16.xml", bytes: bytes)
        let records = try readAll(path, record: "rec")
        #expect(records.map(\.line) == [3])
        #expect(records.first?.value("Name") == "Café ☃")
    }

    @Test func linesAreExactBeyondLine65535AndAcrossChunks() throws {
        let fixtures = try XMLFixtures()
        let path = try fixtures.stream("long.xml") { handle in
            var text = "<root>\n"
            for index in 1...70_000 {
                text += "<rec n=\"\(index)\">\n  <v>\(index)</v>\n</rec>\n"
                if text.utf8.count > 60_000 {
                    handle.write(Data(text.utf8))
                    text = ""
                }
            }
            text += "</root>\n"
            handle.write(Data(text.utf8))
        }
        let reader = try XMLRecordReader(path: path, recordElement: "rec")
        var count = 0
        while let record = try reader.next() {
            count += 1
            #expect(record.index == count)
            if record.line != 2 + 3 * (count - 1) || record.value("v") != String(count) {
                Issue.record("record \(count): line \(record.line), v \(record.value("v") ?? "nil")")
                break
            }
        }
        #expect(count == 70_000)
    }

    @Test func nibrsSampleReadsReportsByLocalAndQualifiedName() throws {
        let sample = try RealData.require("xml-nibrs/nibrs_GroupAIncident_Sample.xml")
        let byLocal = try readAll(sample, record: "Report")
        let byQualified = try readAll(sample, record: "nibrs:Report")
        #expect(byLocal == byQualified)
        let report = try #require(byLocal.first)
        #expect(report.value("nibrs:ReportHeader/nibrs:NIBRSReportCategoryCode") == "GROUP A INCIDENT REPORT")
        #expect(report.value("nc:Incident/nc:ActivityIdentification/nc:IdentificationID") == "000054236732")
        #expect(report.value("nc:Incident/nc:ActivityDate/nc:DateTime") == "2016-02-19T10:00:00")
        #expect(report.paths.allSatisfy { !$0.contains("#") })
        #expect(try XMLRecordReader.guessRecordElement(path: sample) == "nibrs:Report")
    }

    @Test func guessesTheMostFrequentChildOfTheRoot() throws {
        let fixtures = try XMLFixtures()
        #expect(try XMLRecordReader.guessRecordElement(path: try fixtures.write("i.xml", Self.incidents)) == "Incident")
        let prefixed = try fixtures.write("p.xml", "<a:r xmlns:a=\"urn:a\"><a:h/><a:x><a:y/><a:y/><a:y/></a:x><a:x/></a:r>")
        #expect(try XMLRecordReader.guessRecordElement(path: prefixed) == "a:x")
        #expect(try XMLRecordReader.guessRecordElement(path: try fixtures.write("e.xml", "<r/>")) == nil)
        #expect(try XMLRecordReader.guessRecordElement(path: try fixtures.write("z.xml", "")) == nil)
        #expect(throws: XMLReadError.self) {
            try XMLRecordReader.guessRecordElement(path: try fixtures.write("bad.xml", "<r><x></r>"))
        }
    }

    @Test func missingFileCannotBeOpened() throws {
        let fixtures = try XMLFixtures()
        let missing = fixtures.directory.appendingPathComponent("missing.xml").path
        #expect(throws: XMLReadError.cannotOpen(path: missing, reason: "No such file or directory")) {
            try XMLRecordReader(path: missing, recordElement: "r")
        }
        let directory = fixtures.directory.path
        do {
            _ = try XMLRecordReader(path: directory, recordElement: "r")
            Issue.record("a directory was opened")
        } catch let error as XMLReadError {
            #expect(error.rule == "xml.cannot-open")
            #expect(error.line == 0)
        }
    }
}

@Suite struct XMLLocalNameMatchingTests {
    @Test func unprefixedPathsMatchPrefixedFieldsAndExactMatchesWin() {
        let r = XMLRecord(index: 1, line: 1, fields: [
            XMLField(path: "irs:CallDateTime", value: "01/06/2009 10:00"),
            XMLField(path: "irs:Location/irs:Ward", value: "Sandy"),
            XMLField(path: "irs:Casualties/@irs:fatal", value: "0"),
            XMLField(path: "Ward", value: "exact"),
        ])
        #expect(r.value("CallDateTime") == "01/06/2009 10:00")
        #expect(r.value("Location/Ward") == "Sandy")
        #expect(r.value("Casualties/@fatal") == "0")
        #expect(r.value("Ward") == "exact")
        #expect(r.value("irs:Ward") == nil)
        #expect(r.values("Location/Ward") == ["Sandy"])
    }
}
