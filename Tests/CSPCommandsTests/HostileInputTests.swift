import CSPTestSupport
import Foundation
import Testing

/// The hostile corpus in `Fixtures/hostile/`, through `csp inspect` and through a pipeline, in real processes
/// whose peak memory and time are measured (`wait4`).
@Suite(.serialized) struct HostileInputTests {
    static let corpus = CLI.repositoryRoot + "/Fixtures/hostile"

    /// The committed corpus plus the generated giants: a 50 MB single field and 100,000-deep nesting.
    func corpusWithGiants() throws -> TempDir {
        let dir = TempDir("hostile")
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: Self.corpus, toPath: dir.path)
        FileManager.default.createFile(atPath: dir.path + "/csv/giant-field.csv", contents: nil)
        let h = FileHandle(forWritingAtPath: dir.path + "/csv/giant-field.csv")!
        h.write(Data("id,ward,notes\n1,Sandy,\"".utf8))
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<50 { h.write(block) }
        h.write(Data("\"\n2,Linslade,after the giant\n".utf8))
        h.closeFile()
        var deep = Data("<?xml version=\"1.0\"?>\n<root><r>".utf8)
        deep.append(Data(String(repeating: "<a>", count: 100_000).utf8))
        deep.append(Data(String(repeating: "</a>", count: 100_000).utf8))
        deep.append(Data("</r></root>\n".utf8))
        try deep.write(to: URL(fileURLWithPath: dir.path + "/xml/deep-nesting.xml"))
        return dir
    }

    @Test(arguments: [
        ("csv/ragged-rows.csv", 65, "2 fields where the header has 3"),
        ("csv/unterminated-quote.csv", 65, "never closed"),
        ("csv/nul-bytes.csv", 65, "NUL byte"),
        ("csv/invalid-utf8.csv --encoding utf-8", 65, "not valid UTF-8"),
        ("csv/bom-in-middle.csv", 65, "byte-order mark"),
        ("csv/empty.csv", 65, "empty"),
        ("csv/header-only.csv", 0, ""),
        ("csv/formula-cells.csv", 0, ""),
        ("csv/giant-field.csv", 65, "longer than"),
        ("xml/billion-laughs.xml --record r", 65, "document type declaration"),
        ("xml/quadratic-blowup.xml --record r", 65, "document type declaration"),
        ("xml/external-entity.xml --record r", 65, "document type declaration"),
        ("xml/external-dtd.xml --record r", 65, "document type declaration"),
        ("xml/wrong-encoding.xml --record r", 65, "not proper UTF-8"),
        ("xml/truncated.xml --record r", 65, "line 4, column 11"),
        ("xml/empty.xml --record r", 65, "no root element"),
        ("xml/deep-nesting.xml --record r", 65, "levels deep"),
    ])
    func inspectNamesTheProblemWithinBounds(args: String, status: Int32, phrase: String) throws {
        let dir = try corpusWithGiants(); defer { dir.cleanup() }
        let parts = args.split(separator: " ").map(String.init)
        let r = try Measured.run("csp", ["inspect"] + parts, in: dir.path)
        #expect(r.status == status, "\(args): \(r.stderr)")
        #expect(phrase.isEmpty || r.stdout.contains(phrase), "\(args): \(r.stdout.prefix(600))")
        #expect(r.peakRSSKilobytes < 64 * 1024, "\(args): peak RSS \(r.peakRSSKilobytes) kB")
        #expect(r.seconds < 10, "\(args): \(r.seconds) s")
        let secret = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.split(separator: "\n").first.map(String.init) ?? "root:x:0:0"
        #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret))
    }

    @Test func thePipelineRejectsEachNamingFileLineAndFieldAndLosesNothingElse() throws {
        let dir = try corpusWithGiants(); defer { dir.cleanup() }
        let r = try Measured.run("csp", ["run", "--pipeline", "pipeline.yaml", "--output", dir.path + "/out", "--until", "ingest", "--log-format", "json"], in: dir.path)
        #expect(r.status == 65, "broken inputs fail the run after everything is written")
        #expect(r.peakRSSKilobytes < 64 * 1024, "peak RSS \(r.peakRSSKilobytes) kB")
        #expect(r.seconds < 30)
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/out/hostile/runs")
        let stage = dir.path + "/out/hostile/runs/\(runs[0])/01-ingest"
        let rejects = try String(contentsOfFile: stage + "/rejects.csv", encoding: .utf8)
        for expected in [
            "csv.ragged-row,csv/ragged-rows.csv,3,", "csv.ragged-row,csv/ragged-rows.csv,4,", "csv.unterminated-quote,csv/unterminated-quote.csv,3,",
            "csv.nul-byte,csv/nul-bytes.csv,2,ward,", "csv.invalid-utf8,csv/invalid-utf8.csv,2,notes,", "csv.bom-inside,csv/bom-in-middle.csv,3,",
            "csv.field-too-long,csv/giant-field.csv,2,notes,", "ingest.schema-drift,csv/schema-renamed.csv,2,",
            "xml.doctype,xml/billion-laughs.xml,2,", "xml.doctype,xml/quadratic-blowup.xml,2,", "xml.doctype,xml/external-entity.xml,2,",
            "xml.doctype,xml/external-dtd.xml,2,", "xml.malformed,xml/wrong-encoding.xml,3,", "xml.malformed,xml/truncated.xml,4,",
            "xml.malformed,xml/empty.xml,1,", "xml.too-deep,xml/deep-nesting.xml,",
        ] {
            #expect(rejects.contains(expected), "no reject row `\(expected)`")
        }
        // The good export, the good rows of broken files, a reordered export and the row after the giant field all came through.
        #expect(try String(contentsOfFile: stage + "/good.csv", encoding: .utf8).split(separator: "\n").count == 4)
        let exports = try String(contentsOfFile: stage + "/exports.csv", encoding: .utf8)
        #expect(exports.contains("1,Sandy,ok,csv/schema-reordered.csv,2"))
        #expect(exports.contains("2,Linslade,after the giant,csv/giant-field.csv,3"))
        #expect(exports.contains("3,@SUM(A1),=cmd|' /C calc'!A0,csv/formula-cells.csv,4"), "formula cells are data at stage 1 (neutralised when published)")
        // The failure names every broken file.
        for name in ["csv/empty.csv", "csv/schema-renamed.csv", "xml/billion-laughs.xml", "xml/deep-nesting.xml"] { #expect(r.stderr.contains(name)) }
        #expect(!rejects.contains(String(repeating: "x", count: 300)), "a giant value is cut in the rejects")
    }
}
