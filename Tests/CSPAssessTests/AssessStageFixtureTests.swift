import CSPTestSupport
import CSPCore
import CSPCSV
import Foundation
import Testing
import CSPPipeline
@testable import CSPAssess

/// The committed fixture pipeline through all five stages; the patterns planted in the fixtures are recovered by stage 5.
@Suite(.serialized) struct AssessStageFixtureTests {
    final class Run: @unchecked Sendable {
        static let shared = Result { try Run() }
        let output: String
        let folder: String
        init() throws {
            output = StageTestSupport.temporaryFolder("assess-fixture-run")
            let key = output + "/fixture.key"
            _ = try KeyFile.create(path: key)
            let pipeline = try PipelineLoader(overrides: ["key_file": key]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/central-bedfordshire-2009.yaml")
            let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: output))
            folder = RunLayout(output: output, pipeline: pipeline.name).stage(.assess, run: summary.runID)
        }
        func profiles() -> (header: [String], rows: [[String]]) {
            let rows = StageTestSupport.csvRows(folder + "/tables/theme-profiles.csv")
            return (rows[0], Array(rows.dropFirst()))
        }
        func cell(_ theme: String, _ column: String) -> String {
            let p = profiles()
            return p.rows.first { $0[0] == theme }![p.header.firstIndex(of: column)!]
        }
    }

    var run: Run { get throws { try Run.shared.get() } }

    @Test func woundingHotspotIsDunstable() throws {
        let r = try run
        let wards08 = r.cell("wounding", "ward08_hotspots").components(separatedBy: "; ")
        let places = r.cell("wounding", "place_hotspots").components(separatedBy: "; ")
        #expect(wards08.first == "Dunstable Central" || places.first == "Dunstable town centre")
        let hot = StageTestSupport.csvRows(r.folder + "/tables/hotspots.csv")
        #expect(hot.contains { $0[0] == "wounding" && $0[2] == "ward08" && $0[3] == "09UEGG" && $0[12] == "yes" })
    }

    @Test func seasonalityOfWoundingAndBurglary() throws {
        let r = try run
        #expect(r.cell("wounding", "seasonality").contains("Summer"))
        let b = r.cell("domestic_burglary", "seasonality").lowercased()
        #expect(b.contains("autumn") || b.contains("winter"))
    }

    @Test func asbVolumeIsIncreasing() throws {
        let r = try run
        #expect(r.cell("anti_social_behaviour", "performance_12m") == "Increasing volume")
        #expect(r.cell("anti_social_behaviour", "trend") == "Increasing")
    }

    @Test func placeSurveyIndicators() throws {
        let r = try run
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: r.folder + "/assessment.json"))) as! [String: Any]
        let ind = json["indicators"] as! [String: [String: Any]]
        for (name, target) in [("NI17", 17.0), ("NI41", 28.0), ("NI42", 27.0)] {
            let v = ind[name]!["value"] as! Double
            #expect(abs(v - target) <= 2, "\(name) = \(v)")
            #expect((ind[name]!["base"] as! Int) > 1000)
        }
        #expect((json["themes"] as! [[String: Any]]).count >= 20)
    }

    @Test func violenceOffenders() throws {
        let r = try run
        #expect(r.cell("violence_against_the_person", "offenders").hasPrefix("White European males"))
    }

    @Test func reportIsSelfContained() throws {
        let r = try run
        let html = StageTestSupport.read(r.folder + "/report.html")
        #expect(html.contains("<svg") && html.contains("Priority scanning") && html.contains("Threat/risk matrix"))
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
        // The fixtures have every source: nothing is listed as unanswerable.
        #expect(!html.contains("What this data cannot answer"))
    }

    @Test func theReportHasAWardMapShadedByRateWithHotspotsOutlined() throws {
        let r = try run
        let html = StageTestSupport.read(r.folder + "/report.html")
        // The 28 wards of 2009 are drawn once and used by every theme's map.
        let outlines = html.components(separatedBy: "<path id=\"ward-").count - 1
        #expect(outlines == 28)
        let wounding = try #require(html.components(separatedBy: "id=\"wounding\"").last?.components(separatedBy: "</section>").first)
        #expect(wounding.contains("<svg class=\"map\""))
        #expect(wounding.components(separatedBy: "<use href=\"#ward-").count - 1 == 28)
        #expect(wounding.contains("Dunstable Downs") && wounding.contains("(hotspot)"), "the Dunstable hotspot is outlined")
        #expect(wounding.contains("#08519c"), "the highest quintile is shaded")
    }
}
