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

    /// The generator (`PatternModel.violenceSpots`, `townCentre`) weights Dunstable Central (09UEGG) highest for violence
    /// and puts most town-centre violence in Dunstable's: both are the first hotspot of their layer.
    @Test func woundingHotspotIsDunstable() throws {
        let r = try run
        let wards08 = r.cell("wounding", "ward08_hotspots").components(separatedBy: "; ")
        let places = r.cell("wounding", "place_hotspots").components(separatedBy: "; ")
        #expect(wards08.first == "Dunstable Central")
        #expect(places.first == "Dunstable town centre")
        let hot = StageTestSupport.csvRows(r.folder + "/tables/hotspots.csv")
        #expect(hot.contains { $0[0] == "wounding" && $0[2] == "ward08" && $0[3] == "09UEGG" && $0[12] == "yes" })
    }

    /// The generator's seasonal profiles (`PatternModel.summer`, `.autumnWinter`) averaged by season: violence is 1.27
    /// in summer and below 1 elsewhere; dwelling burglary 1.17 in autumn and 1.25 in winter (adjacent: one peak),
    /// below 0.85 in spring and summer. Peaks are seasons above 1.1.
    @Test func seasonalityOfWoundingAndBurglary() throws {
        let r = try run
        #expect(r.cell("wounding", "seasonality") == "Summer peaks")
        #expect(r.cell("domestic_burglary", "seasonality") == "Autumn/winter peaks")
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
        // Weighted shares and unweighted bases from the raw survey file, by `Tests/Reference/survey_reference.py`.
        for (name, value, base) in [("NI17", 17.0, 1275), ("NI41", 27.6, 1714), ("NI42", 27.2, 1709)] {
            let v = ind[name]!["value"] as! Double
            #expect(abs(v - value) < 0.05, "\(name) = \(v)")
            #expect(ind[name]!["base"] as? Int == base, "\(name)")
        }
        // One entry per theme of the themes file.
        let themesFile = StageTestSupport.read(StageTestSupport.repositoryRoot + "/Pipelines/reference/themes.yaml")
        #expect((json["themes"] as! [[String: Any]]).count == themesFile.split(separator: "\n").filter { $0.hasPrefix("  - id: ") }.count)
    }

    @Test func violenceOffenders() throws {
        let r = try run
        #expect(r.cell("violence_against_the_person", "offenders").hasPrefix("White European males"))
    }

    @Test func reportIsSelfContained() throws {
        let r = try run
        let html = StageTestSupport.read(r.folder + "/report.html")
        // One section per theme of the themes file, each with its monthly chart except the survey's theme (public
        // confidence: answers, not monthly records).
        let ids = StageTestSupport.read(StageTestSupport.repositoryRoot + "/Pipelines/reference/themes.yaml").split(separator: "\n")
            .filter { $0.hasPrefix("  - id: ") }.map { $0.dropFirst("  - id: ".count).trimmingCharacters(in: .whitespaces) }
        #expect(ids.count == 25)
        for id in ids {
            let section = html.components(separatedBy: "<section class=\"theme\" id=\"\(id)\">")
            #expect(section.count == 2, "\(id) has one section")
            #expect(section.last?.components(separatedBy: "</section>")[0].contains("<svg") == (id != "public_confidence"), "\(id)'s chart")
        }
        #expect(html.contains("Priority scanning") && html.contains("Threat/risk matrix"))
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
