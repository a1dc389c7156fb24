import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline
@testable import CSPAssess

/// The attack of ``PublishedOutputAttack`` on whole runs: the fixture run and the real data.police.uk run.
@Suite(.serialized) struct DisclosureAttackTests {
    /// Runs `pipeline` through all five stages into a temporary folder; returns the run's `05-assess` and warehouse.
    static func run(_ pipeline: PipelineDefinition) throws -> (assess: String, warehouse: String) {
        let output = StageTestSupport.temporaryFolder("disclosure-attack")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: output))
        let layout = RunLayout(output: output, pipeline: pipeline.name)
        return (layout.stage(.assess, run: summary.runID), layout.stage(.normalise, run: summary.runID) + "/warehouse.sqlite")
    }

    static func check(_ attack: PublishedOutputAttack, _ what: String) {
        for c in attack.counts {
            print("\(what): \(c.table): \(c.withheld) of \(c.cells) withheld (\(c.small) small, \(c.withheld - c.small) extra)")
        }
        print("\(what): hotspots.csv: \(attack.adjustedWithheld) published areas with the adjusted p-value alone withheld")
        #expect(attack.leaks.isEmpty, "\(what): \(attack.leaks.prefix(5))")
        #expect(attack.unsound.isEmpty, "\(what): true counts outside the attack's intervals: \(attack.unsound.prefix(5))")
        #expect(attack.recovered.isEmpty, "\(what): \(attack.recovered.count) of \(attack.attacked) withheld counts come back: \(attack.recovered.prefix(5))")
        print("\(what): Gi* attack: \(attack.giStarTried) configurations tried, \(attack.giStarRecovered.count) withheld LSOA counts narrowed")
        #expect(attack.giStarWrong.isEmpty, "\(what): published Gi* figures the true counts do not give: \(attack.giStarWrong.prefix(5))")
        #expect(attack.giStarRecovered.isEmpty, "\(what): \(attack.giStarRecovered.prefix(5))")
    }

    /// The real data folder, or a failure that says where it was looked for.
    static func realData() throws -> String {
        let path = (StageTestSupport.sharedRealData as NSString).standardizingPath
        guard FileManager.default.fileExists(atPath: path + "/police-uk") else {
            Issue.record("the real data folder \(path) (../shared/realdata beside the repository) is missing: the real-data disclosure attack needs it")
            throw CocoaError(.fileNoSuchFile)
        }
        return path
    }

    @Test func noWithheldCountOfTheFixtureRunComesBack() throws {
        let r = try AssessStageFixtureTests.Run.shared.get()
        let pipeline = try PipelineLoader(overrides: ["key_file": r.output + "/fixture.key"])
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/central-bedfordshire-2009.yaml")
        let warehouse = (r.folder as NSString).deletingLastPathComponent + "/04-normalised/warehouse.sqlite"
        let attack = try PublishedOutputAttack(folder: r.folder, warehouse: warehouse, pipeline: pipeline)
        #expect(attack.attacked > 300, "the fixture run withholds counts in every layer")
        Self.check(attack, "fixture run")
        // The attack has teeth: with the small counts alone withheld it gives many back (differencing layers, old wards
        // inside wards, themes inside themes).
        let naive = try PublishedOutputAttack(folder: r.folder, warehouse: warehouse, pipeline: pipeline, smallOnly: true)
        print("fixture run, small counts alone withheld: \(naive.recovered.count) of \(naive.attacked) come back")
        #expect(naive.recovered.count > 20, "the issue found 38 from hotspots.csv alone")
    }

    @Test func theReportStatesTheDisclosureRuleAndWithholdsOnTheMap() throws {
        let r = try AssessStageFixtureTests.Run.shared.get()
        let html = StageTestSupport.read(r.folder + "/report.html")
        #expect(html.contains("<h3>DisclosurePolicy</h3>") && html.contains("complementary cell suppression"))
        #expect(html.contains("threshold 5") && html.contains("<h3>Disclosure in this run</h3>"))
        let hot = StageTestSupport.csvRows(r.folder + "/tables/hotspots.csv")
        let withheld = try #require(hot.first { $0[0] == "distraction_burglary" && $0[2] == "ward" && $0[5] == "~" })
        #expect(withheld[7...] == ["~", "~", "population", "~", "~", "~", "*", "*", "*", "*"], "rate, expected, p-values and flag withheld with the count; no Gi* on wards")
        let section = try #require(html.components(separatedBy: "id=\"distraction_burglary\"").last?.components(separatedBy: "</section>").first)
        #expect(section.contains("<title>\(withheld[4]): ~ per 1,000</title>"), "the map shows no rate for a withheld ward")
    }

    @Test func noWithheldCountOfTheRealDataRunComesBack() throws {
        let data = try Self.realData()
        let pipeline = try PipelineLoader(overrides: ["realdata": data]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let r = try Self.run(pipeline)
        Self.check(try PublishedOutputAttack(folder: r.assess, warehouse: r.warehouse, pipeline: pipeline), "real-data run")
    }

    /// The real-data pipeline has no `twelve_months` period, so it publishes no area table; with one over the months
    /// it reads, its 2025 wards are published and attacked too.
    @Test func noWithheldCountOfTheRealDataWardTablesComesBack() throws {
        let data = try Self.realData()
        var pipeline = try PipelineLoader(overrides: ["realdata": data]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        pipeline.periods.append(try JSONDecoder().decode(PeriodDefinition.self, from: Data(#"{"name": "twelve_months", "from": "2023-05-01", "to": "2024-04-30"}"#.utf8)))
        let r = try Self.run(pipeline)
        let attack = try PublishedOutputAttack(folder: r.assess, warehouse: r.warehouse, pipeline: pipeline)
        #expect(attack.attacked > 0, "the ward tables withhold some counts")
        Self.check(attack, "real-data run with twelve_months")
    }
}
