import CSPTestSupport
import Foundation
import Testing

@Suite struct InspectCommandTests {
    struct Report: Decodable {
        struct Problem: Decodable { let line: Int; let message: String }
        let format: String
        let encoding: String
        let records: Int
        let columns: [String]
        let errors: [Problem]
        let counts: [String: Int]?
    }

    func inspect(_ args: [String]) throws -> (Int32, Report?, String) {
        let r = try CLI.run(["inspect"] + args)
        return (r.status, try? JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8)), r.stderr)
    }

    @Test func cleanCSVExitsZeroWithItsShape() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.write("a.csv", "Crime ID,Ward,Month\r\n1,Sandy,2009-01\r\n2,\"Sandy\",2009-02\r\n3,Linslade,2009-02\r\n")
        let (status, report, _) = try inspect([f, "--count-by", "Ward"])
        #expect(status == 0)
        let r = try #require(report)
        #expect(r.format == "csv" && r.encoding == "utf-8" && r.records == 3)
        #expect(r.columns == ["Crime ID", "Ward", "Month"])
        #expect(r.errors.isEmpty)
        #expect(r.counts == ["Sandy": 2, "Linslade": 1])
    }

    @Test func windows1252IsDetected() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.path + "/w.csv"
        FileManager.default.createFile(atPath: f, contents: Data([0x4E, 0x61, 0x6D, 0x65, 0x0D, 0x0A, 0x5A, 0x6F, 0xEB, 0x0D, 0x0A]))  // "Name\r\nZoë\r\n" in Windows-1252
        let (status, report, _) = try inspect([f])
        #expect(status == 0)
        #expect(report?.encoding == "windows-1252")
    }

    @Test func malformedCSVExits65WithLines() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.write("bad.csv", "a,b,c\n1,2,3\n4,5\n6,\"open\n7,8,9\n")
        let (status, report, _) = try inspect([f])
        #expect(status == 65)
        let r = try #require(report)
        #expect(r.errors.map(\.line) == [3, 4])
        #expect(r.errors[0].message.contains("2 fields"))
    }

    @Test func missingFileExits66() throws {
        let r = try CLI.run(["inspect", "/nonexistent/file.csv"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("/nonexistent/file.csv"))
    }

    @Test func xmlRecordsAndPaths() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.write("a.xml", "<?xml version=\"1.0\"?>\n<Root>\n<Incident id=\"1\"><Ward>Sandy</Ward></Incident>\n<Incident id=\"2\"><Ward>Linslade</Ward><Beat>B1</Beat></Incident>\n</Root>\n")
        let (status, report, _) = try inspect([f])
        #expect(status == 0)
        let r = try #require(report)
        #expect(r.format == "xml" && r.records == 2)
        #expect(r.columns == ["@id", "Ward", "Beat"])
    }

    @Test(arguments: [
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<r><i>&c;</i></r>\n",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r><i>&x;</i></r>\n",
        "<?xml version=\"1.0\"?>\n<r><i>unclosed</r>\n",
    ])
    func hostileOrMalformedXMLExits65(text: String) throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.write("h.xml", text)
        let r = try CLI.run(["inspect", f, "--record", "i"])
        #expect(r.status == 65)
        #expect(!r.stdout.contains("root:"), "no content of /etc/passwd may appear")
        #expect(!r.stderr.contains("root:"))
    }
}
