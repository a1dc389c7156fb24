import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPIngest

@Suite struct IngestStageTests {
    /// Golden files: two Windows-1252 CRLF CSV exports with ragged rows, a stray quote in a personal column,
    /// an embedded newline and a truncated last line; two XML exports, the second malformed part-way.
    @Test func goldenFixtureMatchesExpectedOutputs() throws {
        let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/ingest"
        let out = StageTestSupport.temporaryFolder("ingest-golden")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let pipeline = try PipelineLoader().load(path: root + "/pipeline.yaml")
        let runner = PipelineRunner(pipeline: pipeline, stages: [IngestStage()], logger: StageTestSupport.logger)
        do {
            try runner.run(RunRequest(output: out))
            Issue.record("the malformed XML file must fail the run")
        } catch let e as StageError {
            guard case .brokenInput(let stage, let messages) = e else { Issue.record("wrong error: \(e)"); return }
            #expect(stage == .ingest)
            #expect(messages.count == 1 && messages[0].contains("raw/asb_2009-02.xml") && messages[0].contains("line 12, column 29"))
        }
        let layout = RunLayout(output: out, pipeline: "ingest-golden")
        let run = try #require(layout.runIDs().first)
        let stageDir = layout.stage(.ingest, run: run)
        for name in ["crimes.csv", "asb.csv", "rejects.csv"] {
            #expect(StageTestSupport.read(stageDir + "/" + name) == StageTestSupport.read(root + "/expected/" + name), "\(name) differs from the golden file")
        }
        let m = try JSON.read(Manifest.self, from: stageDir + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: 9, out: 5, rejected: 4))
        #expect(m.sources["asb"] == StageCounts(inCount: 4, out: 3, rejected: 1))
        #expect(m.inputs.filter { $0.role == "source:crimes" }.map(\.path) == ["raw/crimes_2009-01.csv", "raw/crimes_2009-02.csv"])
        // The personal value in the rejected row is masked: the street name never appears.
        #expect(!StageTestSupport.read(stageDir + "/rejects.csv").contains("Bad\"Quote"))
        #expect(!StageTestSupport.read(stageDir + "/rejects.csv").contains("Quote Lane"))
    }

    @Test func theRealDataPoliceUKFilesIngestAndCleanWithBalancedCounts() throws {
        let real = try StageTestSupport.requireRealData()
        try StageTestSupport.requireRealData("police-uk-archive")
        let out = StageTestSupport.temporaryFolder("real")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let pipeline = try PipelineLoader(overrides: ["realdata": real]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: out))
        let layout = RunLayout(output: out, pipeline: pipeline.name)
        let ingest = try JSON.read(Manifest.self, from: layout.stage(.ingest, run: summary.runID) + "/manifest.json")
        // Row counts from PROVENANCE.md §1c: the 36-month archive, every month folder read.
        #expect(ingest.sources["street"]?.inCount == 182_113)
        #expect(ingest.sources["outcomes"]?.inCount == 150_417)
        #expect(ingest.sources["stop-search"]?.inCount == 11_810)
        // The coverage calendar: 36 months × 3 sources, every one present; carried unchanged by stage 2.
        let calendar = try #require(try CoverageCalendar.read(path: layout.stage(.ingest, run: summary.runID) + "/coverage.csv"))
        #expect(calendar.rows.count == 3 * 36)
        #expect(calendar.rows.allSatisfy { $0.force == "bedfordshire" })
        #expect(calendar.gaps.isEmpty, "\(calendar.gaps.map(CoverageCalendar.describe))")
        #expect(Set(calendar.rows.map(\.month)).count == 36 && calendar.rows.map(\.month).min() == "2021-05" && calendar.rows.map(\.month).max() == "2024-04")
        #expect(StageTestSupport.read(layout.stage(.clean, run: summary.runID) + "/coverage.csv") == StageTestSupport.read(layout.stage(.ingest, run: summary.runID) + "/coverage.csv"))
        #expect(ingest.counts.balances && ingest.counts.rejected == 0)
        let clean = try JSON.read(Manifest.self, from: layout.stage(.clean, run: summary.runID) + "/manifest.json")
        #expect(clean.counts.inCount == ingest.counts.out)
        #expect(clean.counts.balances)
        for (_, c) in clean.sources { #expect(c.balances) }
        let crimes = try #require(clean.outputs.first { $0.path == "crimes.csv" })
        let asb = try #require(clean.outputs.first { $0.path == "asb_incidents.csv" })
        #expect((crimes.rows ?? 0) + (asb.rows ?? 0) + (clean.sources["street"]?.rejected ?? 0) + (clean.sources["street"]?.duplicates ?? 0) == ingest.sources["street"]?.out)
        #expect((asb.rows ?? 0) > 1000, "ASB rows (no Crime ID) are routed to asb_incidents")
    }
}
