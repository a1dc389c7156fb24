import CSPTestSupport
import CSPCore
import CSPCSV
import Foundation
import GRDB
import Testing
@testable import CSPAssess

/// Builds a base run whose `04-normalised` holds a warehouse made from `Fixtures/tests/assess/warehouse.sql`, and runs
/// stage 5 on it through `PipelineRunner`.
enum AssessTestSupport {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/assess"

    static func run(root: String = root) throws -> (output: String, folder: String) {
        let out = StageTestSupport.temporaryFolder("assess")
        let p = try PipelineLoader().load(path: root + "/pipeline.yaml")
        let layout = RunLayout(output: out, pipeline: p.name)
        let id = RunID.make(at: Date(timeIntervalSince1970: 1_246_413_600))
        for stage in [StageID.ingest, .clean, .geocode, .normalise] {
            let dir = layout.stage(stage, run: id)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let m = Manifest(stage: stage, runID: id, status: "succeeded", started: "2009-07-01T02:00:00.000Z", finished: "2009-07-01T02:00:00.000Z",
                             toolVersion: "hand-made", configHash: "hand-made", inputs: [], outputs: [], counts: StageCounts(), sources: [:])
            try JSON.pretty(m).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        }
        let db = try DatabaseQueue(path: layout.stage(.normalise, run: id) + "/warehouse.sqlite")
        try db.write { try $0.execute(sql: StageTestSupport.read(root + "/warehouse.sql")) }
        try db.close()
        try layout.moveLatest(to: id)
        let summary = try PipelineRunner(pipeline: p, stages: [AssessStage()], logger: StageTestSupport.logger).run(RunRequest(output: out, from: .assess))
        return (out, layout.stage(.assess, run: summary.runID))
    }

    static let goldenFiles = ["tables/theme-profiles.csv", "tables/indicators.csv", "tables/hotspots.csv", "tables/priority-scanning.csv",
                              "tables/threat-risk-matrix.csv", "assessment.json"]
}

@Suite(.serialized) struct AssessStageTests {
    /// The tables and assessment.json equal the committed expectations (set CSP_UPDATE_GOLDEN=1 to rewrite them).
    @Test func goldenTables() throws {
        let r = try AssessTestSupport.run()
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        let update = ProcessInfo.processInfo.environment["CSP_UPDATE_GOLDEN"] == "1"
        for f in AssessTestSupport.goldenFiles {
            let got = StageTestSupport.read(r.folder + "/" + f)
            let expectedPath = AssessTestSupport.root + "/expected/" + f
            if update {
                try FileManager.default.createDirectory(atPath: (expectedPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try got.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            }
            #expect(got == StageTestSupport.read(expectedPath), "\(f) differs from the golden file")
        }
        let report = StageTestSupport.read(r.folder + "/report.html")
        #expect(report.hasPrefix("<!DOCTYPE html>") && report.contains("<svg") && report.contains("Method. Let n₁"))
        #expect(!report.contains("<script") && !report.contains("http://") && !report.contains("https://"))
    }

    /// The planted patterns of the hand-made warehouse are what the tables say.
    @Test func handMadePatterns() throws {
        let r = try AssessTestSupport.run()
        defer { try? FileManager.default.removeItem(atPath: r.output) }
        let rows = StageTestSupport.csvRows(r.folder + "/tables/theme-profiles.csv")
        let h = rows[0]
        func cell(_ theme: String, _ col: String) -> String { rows.first { $0[0] == theme }![h.firstIndex(of: col)!] }
        #expect(cell("wounding", "seasonality") == "Summer peaks")
        #expect(cell("wounding", "trend") == "Increasing")
        #expect(cell("wounding", "ward_hotspots") == "Northtown")
        #expect(cell("wounding", "offenders").hasPrefix("White European males"))
        #expect(cell("domestic_burglary", "seasonality").contains("inter"))
        #expect(cell("domestic_burglary", "victims") == "White European females aged 80 years and over")
        #expect(cell("domestic_burglary", "snt_areas") == "2")
        #expect(cell("domestic_abuse", "msg_performance") == "*")
        // Out-of-area ward X1 is not assessed; counts below 5 are withheld.
        let hot = StageTestSupport.read(r.folder + "/tables/hotspots.csv")
        #expect(!hot.contains("Elsewhere"))
    }

    /// The generated methods text is the Methods' type documentation, verbatim.
    @Test func methodsTextMatchesTheDocumentation() throws {
        #expect(AssessMethodsText.all.contains { $0.name == "DisclosurePolicy" }, "the report states the disclosure rule")
        for m in AssessMethodsText.all {
            let folder = m.name == "DisclosurePolicy" ? "Disclosure" : "Methods"
            let src = StageTestSupport.read(StageTestSupport.repositoryRoot + "/Sources/CSPAssess/\(folder)/\(m.name).swift")
            var block: [String] = []
            for line in src.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("///") {
                    block.append(line == "///" ? "" : String(line.dropFirst(line.hasPrefix("/// ") ? 4 : 3)))
                } else if line.hasPrefix("public struct \(m.name)") || line.hasPrefix("public enum \(m.name)") || line.hasPrefix("struct \(m.name):") {
                    break
                } else {
                    block = []
                }
            }
            #expect(block.joined(separator: "\n") == m.text, "\(m.name): regenerate AssessMethodsText.swift")
        }
    }

    @Test func themesParseWithBooleansListsAndMarkers() throws {
        let themes = try ThemeDefinition.load(path: StageTestSupport.repositoryRoot + "/Pipelines/reference/themes.yaml")
        #expect(themes.count >= 20)
        let d = themes.first { $0.id == "distraction_burglary" }!
        #expect(d.conditions.map(\.column) == ["distraction", "offence_group"])
        #expect(d.conditions[0].values == [.int(1)])
        // Judgements are the partnership's own file's, checked against its columns and the themes.
        let root = StageTestSupport.repositoryRoot + "/Pipelines/reference/"
        let columns = try JudgementColumns.load(path: root + "judgement-columns-2009.yaml")
        #expect(columns.scanning.map(\.name) == ["High Volume", "MSG performance", "Increasing trend", "LAA Priority", "Individual agency priority",
                                                 "Partnership priority", "Community/SNT Priority", "PSA", "National indicator"])
        #expect(columns.matrix.filter(\.judged).map(\.id) == ["harm", "current_activity"])
        let judged = try JudgementsFile.load(path: root + "judgements-central-bedfordshire-2009.yaml", columns: columns, themes: Set(themes.map(\.id)))
        #expect(judged.values["public_confidence"]?["harm"] == "*")
        #expect(judged.values["domestic_burglary"]?["laa"] == "true" && judged.values["bicycle_theft"]?["psa"] == "false")
        #expect(throws: (any Error).self) { try ThemeDefinition.parse("themes: [{id: a, name: A, dataset: crimes}, {id: a, name: B, dataset: crimes}]") }
    }
}

@Suite struct IndicatorSuppressionTests {
    static func respondents(_ ward: String, _ n: Int) -> [(ward: String, wardName: String, respondent: SurveyIndicators.Respondent)] {
        (0..<n).map { (i: Int) -> (ward: String, wardName: String, respondent: SurveyIndicators.Respondent) in
            let drunk: Int = i % 2 == 0 ? 3 : 0
            let weight: Double = 1 + Double(i % 3) / 10
            let r = SurveyIndicators.Respondent(weight: weight, strands: [3, 3, 3, 3, 3, drunk, 3], dealWithConcerns: .tendToAgree, understandConcerns: .tendToAgree)
            return (ward, "Ward " + ward, r)
        }
    }

    @Test func aWardBaseBelowTheThresholdIsWithheldWithTheWardThatWouldGiveItBack() {
        // The whole area's base is published, so W1's 3 alone would be 25 - 10 - 12: W2 (the smallest other) goes too.
        let r = Self.respondents("W1", 3) + Self.respondents("W2", 10) + Self.respondents("W3", 12)
        let t = AssessIndicatorTable(names: ["NI41"], code: "A", area: "Area", respondents: r, policy: DisclosurePolicy(threshold: 5))
        #expect(t.rows[1][4] == "25")
        #expect(t.rows[2] == ["NI41", "W1", "Ward W1", "~", "~", "~", "~", "~", "~"])
        #expect(t.rows[3][3...] == ["~", "~", "~", "~", "~", "~"])
        #expect(t.rows[4][4] == "12")
        #expect(DisclosureCheck.protectionFaults(t.tables, t.pattern).isEmpty)
        let shown = AssessIndicatorTable(names: ["NI41"], code: "A", area: "Area", respondents: r, policy: DisclosurePolicy(threshold: 3))
        #expect(shown.rows[2][3] != "~" && shown.rows[2][4] == "3")
    }
}
