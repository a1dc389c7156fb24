import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline
@testable import CSPIngest
@testable import CSPClean
@testable import CSPGeocode
@testable import CSPNormalise
@testable import CSPAssess
@testable import CSPStageSupport

@Suite struct CoverageCalendarTests {
    static let streetHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"

    @Test(arguments: [
        ("/a/2024-01/2024-01-bedfordshire-street.csv", "2024-01", "bedfordshire"),
        ("/a/2024-01/2024-01-metropolitan-stop-and-search.csv", "2024-01", "metropolitan"),
        ("/a/2024-01/2024-01-city-of-london-outcomes.csv", "2024-01", "city-of-london"),
        ("/a/2024-01/export.csv", "2024-01", ""),
    ])
    func monthAndForceComeFromTheFileNameOrItsFolder(path: String, month: String, force: String) {
        let r = CoverageCalendar.monthAndForce(of: path)
        #expect(r?.month == month && r?.force == force)
        #expect(CoverageCalendar.monthAndForce(of: "/a/raw/crimes_2009-01.csv") == nil)
    }

    @Test func statusesFollowTheDocumentedRules() {
        func f(_ month: String, _ rows: Int, folder: String? = nil) -> CoverageCalendar.FileFigures {
            var x = CoverageCalendar.FileFigures(source: "street", file: "\(folder ?? month)/\(month)", path: "/d/\(folder ?? month)/\(month)-force-street.csv")
            x.rows = rows
            return x
        }
        // 2024-03 has no file; 2024-05 is short (100 < half the median 1000); 2024-06 has two files; 2024-08 is an empty folder.
        let files = [f("2024-01", 1000), f("2024-02", 1010), f("2024-04", 990), f("2024-05", 100), f("2024-06", 5), f("2024-06", 5, folder: "2024-06-again"), f("2024-07", 1000)]
        let c = CoverageCalendar(sources: ["street"], files: files, monthFolders: ["2024-08"])
        let status = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.month, $0.status) })
        #expect(status == ["2024-01": "present", "2024-02": "present", "2024-03": "missing", "2024-04": "present", "2024-05": "short",
                           "2024-06": "duplicated", "2024-07": "present", "2024-08": "missing"])
        #expect(c.rows.allSatisfy { $0.force == "force" })
        #expect(c.gaps.map(\.month) == ["2024-03", "2024-05", "2024-06", "2024-08"])
    }

    /// Bad input in a folder of months: a file of the wrong type name, an empty month folder, the same month twice,
    /// a header that changed. Each gets its rule and a line naming the file; the calendar says what it found.
    @Test func badMonthFoldersAreNamedNeverSkippedSilently() throws {
        let root = StageTestSupport.temporaryFolder("months-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        func write(_ rel: String, _ text: String) throws {
            try fm.createDirectory(atPath: (root + "/months/" + rel as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + "/months/" + rel, atomically: true, encoding: .utf8)
        }
        func rows(_ month: String, _ n: Int) -> String {
            Self.streetHeader + "\n" + (0..<n).map { "id\(month)\($0),\(month),Force,Force,-0.4,51.9,On or near X,E01000001,X 001A,Burglary,Under investigation," }.joined(separator: "\n") + "\n"
        }
        try write("2024-01/2024-01-force-street.csv", rows("2024-01", 4))
        try fm.createDirectory(atPath: root + "/months/2024-02", withIntermediateDirectories: true)           // empty month folder
        try write("2024-03/2024-03-force-street.csv", rows("2024-03", 4))
        try write("2024-03/2024-03-force-streets.csv", rows("2024-03", 4))                                   // wrong type name
        try write("2024-04/2024-04-force-street.csv", rows("2024-04", 4))
        try write("2024-05/2024-04-force-street.csv", rows("2024-04", 4))                                   // 2024-04 twice; 2024-05 has none
        try write("2024-06/2024-06-force-street.csv", rows("2024-06", 4).replacingOccurrences(of: "Crime type", with: "Crime category"))  // schema drift
        try """
        name: months-bad
        area: {name: A, la_code: E1}
        variables:
          months: months
        quality:
          require_complete_months: true
        sources:
          - id: street
            agency: police
            kind: police-uk-street
            format: csv
            path: "${months}/[0-9][0-9][0-9][0-9]-[0-9][0-9]/*-street.csv"
            columns: {crime_id: Crime ID, month: Month, longitude: Longitude, lsoa_code: LSOA code, crime_type: Crime type}
        """.write(toFile: root + "/p.yaml", atomically: true, encoding: .utf8)
        let pipeline = try PipelineLoader().load(path: root + "/p.yaml")
        do {
            try PipelineRunner(pipeline: pipeline, stages: [IngestStage()], logger: StageTestSupport.logger).run(RunRequest(output: root + "/out"))
            Issue.record("schema drift and gaps under require_complete_months must fail the run")
        } catch let e as StageError {
            guard case .brokenInput(_, let messages) = e else { Issue.record("wrong error: \(e)"); return }
            #expect(e.exitCode == .dataError)
            #expect(messages.contains { $0.contains("2024-06-force-street.csv") && $0.contains("Crime type") })
            #expect(messages.contains { $0.contains("require_complete_months") && $0.contains("2024-02") })
        }
        let layout = RunLayout(output: root + "/out", pipeline: "months-bad")
        let run = try #require(layout.runIDs().last)
        let calendar = try #require(try CoverageCalendar.read(path: layout.stage(.ingest, run: run) + "/coverage.csv"))
        let status = Dictionary(uniqueKeysWithValues: calendar.rows.map { ($0.month, $0.status) })
        #expect(status == ["2024-01": "present", "2024-02": "missing", "2024-03": "present", "2024-04": "duplicated", "2024-05": "missing", "2024-06": "present"])
        let m = try JSON.read(Manifest.self, from: layout.stage(.ingest, run: run) + "/manifest.json")
        #expect(m.sources["street"]?.rejected == 4, "the drifted file's records are rejected, counted")
        let warnings = try Ledger(path: layout.ledger).entries().filter { $0.event == "warning" }.compactMap(\.message)
        #expect(warnings.contains { $0.contains("2024-03-force-streets.csv") && $0.contains("not read") })
        #expect(warnings.contains { $0.contains("months/2024-02") && $0.contains("empty") })
        #expect(warnings.contains { $0.contains("2024-04") && $0.contains("2 files") })
        #expect(warnings.contains { $0.contains("2024-05 is missing") })
        let audit = StageTestSupport.read(layout.run(run) + "/audit.html")
        #expect(audit.contains("Coverage calendar") && audit.contains("gap-missing") && audit.contains("gap-duplicated"))
    }

    /// A copy of the archive with a month removed (a folder of symlinks in a temporary folder): the month is
    /// `missing` in coverage.csv, a warning in the log and ledger, a highlighted cell in audit.html and a gap in the
    /// report; trends leave it out (null in the series, not a zero); the periods follow the data.
    @Test func aMonthRemovedFromTheArchiveIsMissingEverywhere() throws {
        let real = try StageTestSupport.requireRealData()
        let archive = try StageTestSupport.requireRealData("police-uk-archive")
        let root = StageTestSupport.temporaryFolder("months-gap")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/months", withIntermediateDirectories: true)
        // Fourteen months, 2023-03 to 2024-04, without 2023-08.
        for m in try fm.contentsOfDirectory(atPath: archive).sorted() where m >= "2023-03" && m != "2023-08" {
            try fm.createSymbolicLink(atPath: root + "/months/" + m, withDestinationPath: archive + "/" + m)
        }
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": root + "/months"])
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: root + "/out"))
        let layout = RunLayout(output: root + "/out", pipeline: pipeline.name)
        let calendar = try #require(try CoverageCalendar.read(path: layout.stage(.ingest, run: summary.runID) + "/coverage.csv"))
        #expect(calendar.gaps.map { "\($0.source) \($0.month) \($0.status)" } == ["street 2023-08 missing", "outcomes 2023-08 missing", "stop-search 2023-08 missing"])
        let warnings = try Ledger(path: layout.ledger).entries().filter { $0.event == "warning" }.compactMap(\.message)
        #expect(warnings.filter { $0.contains("2023-08 is missing") }.count == 3)
        #expect(StageTestSupport.read(layout.run(summary.runID) + "/audit.html").contains("gap-missing"))
        let report = StageTestSupport.read(layout.stage(.assess, run: summary.runID) + "/report.html")
        #expect(report.contains("Data coverage") && report.contains("gap-missing") && report.contains("left out of trend"))
        // Every `*` of the real data is explained by the input it lacks; places come from the records' locations, so
        // the missing place layer is no longer a `*`.
        for missing in ["no msg_comparators reference file", "no Place Survey source", "no snt_priorities reference file",
                        "no ward08 layer", "data.police.uk publishes none"] {
            #expect(report.contains(missing), "the report does not say: \(missing)")
        }
        #expect(!report.contains("no place layer") && report.contains("On or near"), "named places from the records")
        // Stage 4 publishes the calendar; stage 5 reads it from there.
        #expect(StageTestSupport.read(layout.stage(.normalise, run: summary.runID) + "/coverage.csv").contains("2023-08,missing"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layout.stage(.assess, run: summary.runID) + "/assessment.json"))) as? [String: Any])
        let periods = try #require(json["periods"] as? [String: [String: String]])
        #expect(periods["current"] == ["from": "2023-11-01", "to": "2024-04-30"])
        #expect(periods["previous_six_months"] == ["from": "2023-05-01", "to": "2023-10-31"])
        #expect(periods["previous_year"] == ["from": "2022-11-01", "to": "2023-04-30"])
        #expect(periods["twelve_months"] == ["from": "2023-05-01", "to": "2024-04-30"])
        #expect(periods["previous_twelve_months"] == ["from": "2022-05-01", "to": "2023-04-30"])
        let themes = try #require(json["themes"] as? [[String: Any]])
        let series = try #require(themes.first { ($0["dataset"] as? String) == "crimes" }?["series"] as? [String: Any])
        let first = try #require(series["first_month"] as? String)
        let counts = try #require(series["counts"] as? [Any])
        let gap = (CoverageCalendar.monthIndex("2023-08")! - CoverageCalendar.monthIndex(first)!)
        #expect(counts.indices.contains(gap) && counts[gap] is NSNull, "the missing month is null in the series, not 0")
        // --set as_of moves the anchor.
        let earlier = try PipelineLoader(overrides: ["realdata": real, "police_uk": root + "/months", "as_of": "2024-01"])
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let resolved = AssessPeriods(fixed: earlier.periods, asOf: earlier.periodsAsOf, coverage: calendar, monthsWithData: [])
        #expect(resolved.periods.first { $0.name == "current" }.map { "\($0.from)..\($0.to)" } == "2023-08-01..2024-01-31")
    }
}
