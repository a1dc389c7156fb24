import CSPTestSupport
import CSPCore
import CSPPipeline
import Foundation
import Testing

/// Issue 17: a run that fails a gate still writes every stage, so that the failure can be examined; its report and
/// audit page must say at the top that it failed, and why.
@Suite struct FailedRunBannerTests {
    /// Real months 2023-06 to 2024-04 with January's street file in December's folder in place of December's (a
    /// damaged copy made at test time): stage 1 fails the run (65) naming the file; stages 2-5 still run, and
    /// `report.html` and `audit.html` open with a banner naming the failure.
    @Test func aFailedRunsReportAndAuditPageSaySoAtTheTop() throws {
        let real = try RealData.require()
        let a = try DamagedArchive("failed-banner", first: "2023-06", last: "2024-04")
        defer { a.cleanup() }
        let dir = try a.copyMonth("2023-12")
        try FileManager.default.removeItem(atPath: dir + "/2023-12-bedfordshire-street.csv")
        try FileManager.default.copyItem(atPath: a.real("2024-01", "street"), toPath: dir + "/2024-01-bedfordshire-street.csv")
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": a.months])
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        do {
            try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: a.output))
            Issue.record("a file in another month's folder must fail the run")
        } catch let e as StageError {
            #expect(e.exitCode == .dataError)
        }
        let layout = RunLayout(output: a.output, pipeline: pipeline.name)
        let run = try #require(layout.runIDs().last)
        #expect(layout.latestRunID() == nil, "a failed run never becomes latest")
        let report = StageTestSupport.read(layout.stage(.assess, run: run) + "/report.html")
        let audit = StageTestSupport.read(layout.run(run) + "/audit.html")
        for (name, page) in [("report.html", report), ("audit.html", audit)] {
            let banner = try #require(page.range(of: FailureBanner.cssClass), "\(name) has no failure banner")
            let h2 = page.range(of: "<h2")
            #expect(h2 == nil || banner.lowerBound < h2!.lowerBound, "\(name): the banner is at the top")
            #expect(page.contains("This run failed") && page.contains("2023-12/2024-01-bedfordshire-street.csv") && page.contains("folder of month 2023-12"), "\(name)")
        }
    }

    @Test func aGoodRunHasNoBanner() {
        #expect(FailureBanner.html([]) == "")
        #expect(FailureBanner.html(["stage ingest: <b>"]).contains("&lt;b&gt;"), "messages are escaped")
    }
}
