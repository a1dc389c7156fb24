import CSPTestSupport
import CSPCore
import CSPCSV
import CSPStorage
import Foundation
import Testing
@testable import CSPIngest

/// Issue 17: damaged copies of real data.police.uk month files, made at test time in a temporary folder (eleven real
/// months, 2023-06 to 2024-04, December 2023 copied and damaged), run through stage 1 of the real-data pipeline.
/// Each damage gives a rejection, a refusal, a warning or a failed run naming the file (and the line where there
/// is one), never a silent change in the counts.
@Suite struct DamagedMonthFileTests {
    static let first = "2023-06", last = "2024-04"
    static let december = "2023-12/2023-12-bedfordshire-street.csv"

    /// What one stage 1 run gave: its error (nil when it succeeded), manifest, warnings, rejects and calendar.
    struct Ingested {
        let error: StageError?
        let manifest: Manifest
        let warnings: [String]
        let rejects: [[String]]
        let calendar: CoverageCalendar
        let stageDir: String
        func rejects(rule: String) -> [[String]] { rejects.filter { $0.count > 1 && $0[1] == rule } }
    }

    /// Runs stage 1 of the real-data pipeline (or the pipeline `pipelineText`) on the archive's months.
    static func ingest(_ a: DamagedArchive, pipelineText: String? = nil, stages: [any PipelineStage] = [IngestStage()]) throws -> Ingested {
        let real = try RealData.require()
        var file = StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml"
        if let pipelineText {
            file = a.root + "/pipeline.yaml"
            try pipelineText.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": a.months]).load(path: file)
        var error: StageError?
        do { try PipelineRunner(pipeline: pipeline, stages: stages, logger: StageTestSupport.logger).run(RunRequest(output: a.output)) } catch let e as StageError { error = e }
        let layout = RunLayout(output: a.output, pipeline: pipeline.name)
        let run = try #require(layout.runIDs().last)
        let dir = layout.stage(.ingest, run: run)
        let manifest = try JSON.read(Manifest.self, from: dir + "/manifest.json")
        let warnings = try Ledger(path: layout.ledger).entries().filter { $0.event == "warning" && $0.runID == run }.compactMap(\.message)
        let calendar = try #require(try CoverageCalendar.read(path: dir + "/coverage.csv"))
        return Ingested(error: error, manifest: manifest, warnings: warnings, rejects: StageTestSupport.csvRows(dir + "/rejects.csv"), calendar: calendar, stageDir: dir)
    }

    /// Data rows of a real file (CRLF lines, no embedded line breaks in data.police.uk files), by parsing it.
    static func records(_ path: String) -> Int { CSV.parse(StageTestSupport.read(path)).records.count }

    static func status(_ r: Ingested, _ source: String, _ month: String) -> String? {
        r.calendar.rows.first { $0.source == source && $0.month == month }?.status
    }

    static func brokenMessages(_ r: Ingested) -> [String] {
        if case .brokenInput(_, let messages)? = r.error { return messages }
        return []
    }

    // MARK: - 1. Truncation

    /// Cut just after a line's final comma, 47% of the way through December: the last record parses with the right
    /// number of fields, but its line has no CRLF. Warning naming the file and line, `ingest.truncated-last-line`,
    /// counts balance, and the month is `short` with a warning naming its file.
    @Test func aFileCutAfterALinesFinalCommaIsWarnedRejectedAndShort() throws {
        let a = try DamagedArchive("damaged-cut-comma", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        let data = try a.bytes(Self.december)
        let breaks = DamagedArchive.lineBreaks(data)
        let k = breaks.count * 47 / 100
        let cut = data.prefix(breaks[k])  // up to the CR ending line k + 1: that line ends with its final comma
        #expect(cut.last == UInt8(ascii: ","), "a real street row ends with an empty Context field")
        try a.write(Self.december, Data(cut))
        let line = k + 1  // lines are 1-based; the header is line 1

        let r = try Self.ingest(a)
        #expect(r.error == nil, "one rejected record is under the 1% gate: \(String(describing: r.error))")
        let truncated = r.rejects(rule: "ingest.truncated-last-line")
        #expect(truncated.count == 1 && truncated.first?[2].hasSuffix(Self.december) == true && truncated.first?[3] == String(line), "\(truncated)")
        #expect(r.warnings.contains { $0.contains(Self.december) && $0.contains("truncated") && $0.contains("line \(line)") && $0.contains("CRLF") }, "\(r.warnings)")
        #expect(r.warnings.contains { $0.contains("2023-12 is short") && $0.contains(Self.december) }, "\(r.warnings)")
        #expect(Self.status(r, "street", "2023-12") == "short")
        let street = try #require(r.manifest.sources["street"])
        #expect(street.balances && r.manifest.counts.balances)
        #expect(street.rejected == 1)
    }

    /// Cut mid-field: the last record is ragged (`csv.ragged-row`, the first problem found, as before), and the
    /// warning still says the file was cut, naming the line.
    @Test func aFileCutMidLineKeepsItsRaggedRowAndIsWarned() throws {
        let a = try DamagedArchive("damaged-cut-mid", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        let data = try a.bytes(Self.december)
        let breaks = DamagedArchive.lineBreaks(data)
        let k = breaks.count / 2
        let cut = data.prefix(breaks[k - 1] + 2 + 30)  // 30 bytes into line k + 1
        try a.write(Self.december, Data(cut))
        let r = try Self.ingest(a)
        let line = k + 1
        #expect(r.rejects(rule: "csv.ragged-row").map { $0[3] } == [String(line)])
        #expect(r.rejects(rule: "ingest.truncated-last-line").isEmpty)
        #expect(r.warnings.contains { $0.contains(Self.december) && $0.contains("truncated") && $0.contains("line \(line)") }, "\(r.warnings)")
        #expect(r.manifest.counts.balances)
    }

    /// Cut between the CR and the LF of a line break: every record is whole, but the file is named.
    @Test func aFileCutInsideItsLastCRLFIsWarned() throws {
        let a = try DamagedArchive("damaged-cut-cr", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        let data = try a.bytes(Self.december)
        try a.write(Self.december, Data(data.prefix(DamagedArchive.lineBreaks(data).last! + 1)))
        let r = try Self.ingest(a)
        #expect(r.error == nil)
        #expect(r.rejects.count == 1, "no record rejected: \(r.rejects)")
        #expect(r.warnings.contains { $0.contains(Self.december) && $0.contains("ends with a CR") }, "\(r.warnings)")
    }

    // MARK: - 2. Months agree with their file and folder

    /// 100 rows of December's street file relabelled 2024-01: each is rejected naming both months, never counted
    /// in January, and the file is named in a warning. 100 of the eleven months' street rows is under the real
    /// pipeline's 1% gate, so the run goes on (a file of another month entirely fails it).
    @Test func recordsOfAnotherMonthAreRejectedNamingBothMonths() throws {
        let a = try DamagedArchive("damaged-month-rows", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        var lines = StageTestSupport.read(a.months + "/" + Self.december).components(separatedBy: "\r\n")
        for i in 1...100 { lines[i] = lines[i].replacingOccurrences(of: ",2023-12,", with: ",2024-01,") }
        try a.write(Self.december, Data(lines.joined(separator: "\r\n").utf8))
        let r = try Self.ingest(a)
        let mismatched = r.rejects(rule: "ingest.month-mismatch")
        #expect(mismatched.count == 100)
        #expect(mismatched.allSatisfy { $0[2].hasSuffix(Self.december) && $0[4] == "month" && $0[5] == "2024-01" && $0[6].contains("2024-01") && $0[6].contains("2023-12") })
        #expect(mismatched.first?[3] == "2")
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.warnings.contains { $0.contains(Self.december) && $0.contains("100 records of another month") && $0.contains("2024-01: 100") }, "\(r.warnings)")
        #expect(r.manifest.counts.balances && r.manifest.sources["street"]?.rejected == 100)
    }

    /// January's street file placed in December's folder, in place of December's: the copy is January's bytes, so it
    /// is not read (January is not doubled); the file in the wrong folder fails the run (65) naming it; December is
    /// missing, and named.
    @Test func aFileInAnotherMonthsFolderFailsTheRun() throws {
        let a = try DamagedArchive("damaged-wrong-folder", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        let dir = try a.copyMonth("2023-12")
        try FileManager.default.removeItem(atPath: dir + "/2023-12-bedfordshire-street.csv")
        try FileManager.default.copyItem(atPath: a.real("2024-01", "street"), toPath: dir + "/2024-01-bedfordshire-street.csv")
        let r = try Self.ingest(a)
        let wrong = "2023-12/2024-01-bedfordshire-street.csv"
        #expect(r.error?.exitCode == .dataError)
        #expect(Self.brokenMessages(r).contains { $0.contains(wrong) && $0.contains("folder of month 2023-12") && $0.contains("month 2024-01") }, "\(Self.brokenMessages(r))")
        #expect(r.warnings.contains { $0.contains(wrong) && $0.contains("not read") && $0.contains("read in its own month's folder") }, "\(r.warnings)")
        let street = StageTestSupport.read(r.stageDir + "/street.csv")
        #expect(!street.contains(wrong) && street.contains("2024-01/2024-01-bedfordshire-street.csv"), "January is read from its own folder, whatever the order of the paths")
        #expect(Self.status(r, "street", "2023-12") == "missing")
        #expect(Self.status(r, "street", "2024-01") == "duplicated")
        let jan = r.calendar.rows.first { $0.source == "street" && $0.month == "2024-01" }
        #expect(jan?.rows == Self.records(a.real("2024-01", "street")), "January's rows are counted once")
    }

    /// January's street bytes under December's name, in December's folder: every record is rejected as another
    /// month's (the gate fails the run, 65), and the genuine January file is still read, once.
    @Test func aMonthsBytesUnderAnotherMonthsNameAreRejectedAndTheGenuineFileRead() throws {
        let a = try DamagedArchive("damaged-renamed", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        try FileManager.default.removeItem(atPath: a.months + "/" + Self.december)
        try FileManager.default.copyItem(atPath: a.real("2024-01", "street"), toPath: a.months + "/" + Self.december)
        let r = try Self.ingest(a)
        let january = Self.records(a.real("2024-01", "street"))
        #expect(r.rejects(rule: "ingest.month-mismatch").count == january)
        if case .qualityGate(_, let failures)? = r.error { #expect(failures.map(\.source) == ["street"]) } else { Issue.record("expected the gate: \(String(describing: r.error))") }
        #expect(r.calendar.rows.first { $0.source == "street" && $0.month == "2024-01" }?.rows == january, "the genuine January file is read")
        #expect(!r.warnings.contains { $0.contains("2024-01-bedfordshire-street.csv is not read") }, "\(r.warnings)")
        #expect(r.manifest.counts.balances)
    }

    // MARK: - 3. Files are identified by content

    /// A copy of December's street file under a second name: not read, named, `duplicated`; December's ASB rows
    /// (no Crime ID, so never deduplicated) are published once.
    @Test func theSameBytesUnderASecondNameAreReadOnce() throws {
        let a = try DamagedArchive("damaged-same-bytes", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        let dir = try a.copyMonth("2023-12")
        try FileManager.default.copyItem(atPath: dir + "/2023-12-bedfordshire-street.csv", toPath: dir + "/2023-12-bedfordshire-v2-street.csv")
        let r = try Self.ingest(a)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.warnings.contains { $0.contains("2023-12-bedfordshire-v2-street.csv is not read") && $0.contains("bytes are those of") && $0.contains(Self.december) }, "\(r.warnings)")
        let dec = try #require(r.calendar.rows.first { $0.source == "street" && $0.month == "2023-12" })
        #expect(dec.status == "duplicated" && dec.files.count == 2 && dec.force == "bedfordshire")
        #expect(dec.rows == Self.records(a.real("2023-12", "street")))
        #expect(!r.calendar.rows.contains { $0.force == "bedfordshire-v2" }, "the copy counts for the month it repeats, not a force of its own")
        let expected = (Self.first...Self.last).months.reduce(0) { $0 + Self.records(a.real($1, "street")) }
        #expect(r.manifest.sources["street"]?.inCount == expected)
        #expect(r.manifest.inputs.contains { $0.path.hasSuffix("2023-12-bedfordshire-v2-street.csv") }, "the refused file is listed with its checksum")
    }

    /// A month folder linked under a second month's name (2024-01 → the real 2023-12): its files' real paths were
    /// read already, so nothing is read twice (outcomes and stop-and-search not doubled); the names in the wrong
    /// folder fail the run (65).
    @Test func aMonthFolderLinkedUnderAnotherMonthIsReadOnce() throws {
        let a = try DamagedArchive("damaged-linked-folder", first: Self.first, last: "2023-12")
        defer { a.cleanup() }
        try FileManager.default.createSymbolicLink(atPath: a.months + "/2024-01", withDestinationPath: a.archive + "/2023-12")
        let r = try Self.ingest(a)
        #expect(r.error?.exitCode == .dataError)
        for type in ["street", "outcomes", "stop-and-search"] {
            #expect(r.warnings.contains { $0.contains("2024-01/2023-12-bedfordshire-\(type).csv is not read") && $0.contains("real path") }, "\(type): \(r.warnings)")
            #expect(Self.brokenMessages(r).contains { $0.contains("2024-01/2023-12-bedfordshire-\(type).csv") && $0.contains("folder of month 2024-01") })
        }
        let outcomes = (Self.first..."2023-12").months.reduce(0) { $0 + Self.records(a.real($1, "outcomes")) }
        #expect(r.manifest.sources["outcomes"]?.inCount == outcomes)
        #expect(Self.status(r, "outcomes", "2023-12") == "duplicated")
        #expect(Self.status(r, "stop-search", "2024-01") == "missing")
    }

    /// Two different street files for December, the archive's and a re-download in a second folder the source reads
    /// (a month re-published when outcomes change; the re-download lost 50 rows): both are read and the run fails
    /// (65) naming both; with `quality.same_month: newer` only the newer is read and the older is named.
    @Test func twoDifferentFilesForOneMonthFailUnlessThePipelineSaysWhichWins() throws {
        let a = try DamagedArchive("damaged-same-month", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        var lines = StageTestSupport.read(a.real("2023-12", "street")).components(separatedBy: "\r\n")
        lines.removeSubrange(1...50)
        let again = "republished/2023-12-bedfordshire-street.csv"
        try a.write(again, Data(lines.joined(separator: "\r\n").utf8))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: a.months + "/" + again)
        func pipeline(_ policy: String) -> String {
            """
            name: damaged-same-month
            area: {name: Central Bedfordshire, la_code: E06000056}
            variables:
              realdata: x
              police_uk: x
            quality:
              same_month: \(policy)
            sources:
              - id: street
                agency: police
                kind: police-uk-street
                format: csv
                path: ["${police_uk}/[0-9][0-9][0-9][0-9]-[0-9][0-9]/*-street.csv", "${police_uk}/republished/*-street.csv"]
                columns: {crime_id: Crime ID, month: Month, longitude: Longitude, lsoa_code: LSOA code, crime_type: Crime type}

            """
        }
        let failed = try Self.ingest(a, pipelineText: pipeline("fail"))
        #expect(failed.error?.exitCode == .dataError)
        #expect(Self.brokenMessages(failed).contains { $0.contains("different files") && $0.contains(Self.december) && $0.contains(again) }, "\(Self.brokenMessages(failed))")
        #expect(Self.status(failed, "street", "2023-12") == "duplicated")

        let newer = try Self.ingest(a, pipelineText: pipeline("newer"))
        #expect(newer.error == nil, "\(String(describing: newer.error))")
        #expect(newer.warnings.contains { $0.contains(Self.december) && $0.contains("not read") && $0.contains("older") && $0.contains(again) }, "\(newer.warnings)")
        let dec = try #require(newer.calendar.rows.first { $0.source == "street" && $0.month == "2023-12" })
        #expect(dec.status == "duplicated" && dec.rows == Self.records(a.real("2023-12", "street")) - 50)
    }

    /// Loader: `quality.same_month` takes `fail` or `newer`; anything else names the file and line (78).
    @Test func theSameMonthKeyIsChecked() throws {
        let dir = TempDir("same-month-key")
        defer { dir.cleanup() }
        let base = "name: x\narea: {name: a, la_code: b}\nsources: []\nquality:\n  same_month: "
        #expect(try PipelineLoader().load(path: dir.write("a.yaml", base + "newer\n")).sameMonth == .newer)
        #expect(try PipelineLoader().load(path: dir.write("b.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\n")).sameMonth == .fail)
        do {
            _ = try PipelineLoader().load(path: dir.write("c.yaml", base + "latest\n"))
            Issue.record("`latest` is not a same_month policy")
        } catch {
            #expect("\(error)".contains("c.yaml") && "\(error)".contains("same_month") && "\(error)".contains("latest"), "\(error)")
            #expect((error as? ExitCodeProviding)?.exitCode == .config)
        }
    }

    // MARK: - 4. The checksum is of the bytes read

    /// A file rewritten between stage 1's fingerprint and its reading (a download still being written): the run
    /// fails (65) naming it with both checksums, and the manifest lists the checksum of the bytes read.
    @Test func aFileThatChangesWhileReadFailsTheRun() throws {
        let a = try DamagedArchive("damaged-changing", first: Self.first, last: Self.last)
        defer { a.cleanup() }
        try a.copyMonth("2023-12")
        let path = a.months + "/" + Self.december
        let r = try Self.ingest(a, stages: [GrowingIngest(path: path)])
        #expect(r.error?.exitCode == .dataError)
        #expect(Self.brokenMessages(r).contains { $0.contains(Self.december) && $0.contains("changed while it was read") }, "\(Self.brokenMessages(r))")
        let entry = try #require(r.manifest.inputs.first { $0.path.hasSuffix(Self.december) })
        let now = try FileDigest.sha256(path: path)
        #expect(entry.sha256 == now.hex && entry.bytes == now.bytes, "the manifest lists the bytes read")
        // Untouched files: the checksum of the bytes read is the file's.
        let nov = try #require(r.manifest.inputs.first { $0.path.hasSuffix("2023-11-bedfordshire-street.csv") })
        #expect(nov.sha256 == (try FileDigest.sha256(path: a.real("2023-11", "street"))).hex)
    }

    /// Stage 1, with December's street file growing by a line after the fingerprint hashed it and before it is read.
    struct GrowingIngest: PipelineStage {
        let id = StageID.ingest
        let path: String
        func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] { try IngestStage().declaredInputs(for: pipeline) }
        func run(_ context: StageContext) throws -> StageReport {
            let h = try #require(FileHandle(forWritingAtPath: path))
            h.seekToEndOfFile()
            h.write(Data("appended,2023-12,Bedfordshire Police,Bedfordshire Police,,,No location,,,Burglary,Under investigation,\r\n".utf8))
            h.closeFile()
            return try IngestStage().run(context)
        }
    }
}

extension ClosedRange where Bound == String {
    /// The `YYYY-MM` months of a range of months.
    var months: [String] {
        guard let a = CoverageCalendar.monthIndex(lowerBound), let b = CoverageCalendar.monthIndex(upperBound) else { return [] }
        return (a...b).map(CoverageCalendar.monthText)
    }
}
