import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline
import CSPAudit
@testable import CSPIngest
@testable import CSPClean
@testable import CSPGeocode
@testable import CSPNormalise
@testable import CSPAssess
@testable import CSPStageSupport

/// Another council is a small file: Luton and Bedford extend the Central Bedfordshire real-data pipeline and run
/// through all five stages; where an input is lacking (population) the assessment says so instead of failing.
@Suite struct OtherCouncilsTests {
    @Test(arguments: [("police-uk-luton", "Luton", "E06000032"), ("police-uk-bedford", "Bedford", "E06000055")])
    func councilPipelinesRunThroughAllFiveStages(name: String, council: String, code: String) throws {
        let real = try StageTestSupport.requireRealData()
        let archive = try StageTestSupport.requireRealData("police-uk-archive")
        let root = StageTestSupport.temporaryFolder(name)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/months", withIntermediateDirectories: true)
        for m in try fm.contentsOfDirectory(atPath: archive).sorted() where m >= "2023-05" {
            try fm.createSymbolicLink(atPath: root + "/months/" + m, withDestinationPath: archive + "/" + m)
        }
        let file = StageTestSupport.repositoryRoot + "/Pipelines/\(name).yaml"
        #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.count <= 12)
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": root + "/months"]).load(path: file)
        #expect(pipeline.name == name && pipeline.area.name == council && pipeline.area.laCode == code)
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: root + "/out"))
        #expect(summary.stages.map(\.status) == ["succeeded", "succeeded", "succeeded", "succeeded", "succeeded"])
        let layout = RunLayout(output: root + "/out", pipeline: name)
        // Every WD25 ward of the council's ONS boundary file (Luton 20, Bedford 28) is an area of the run, by its code.
        let wardFile = try #require(try fm.contentsOfDirectory(atPath: real + "/ons-boundaries").first { $0.hasPrefix("ward_WD25_\(code)_") })
        let boundary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: real + "/ons-boundaries/" + wardFile))) as? [String: Any])
        let onsCodes = Set((boundary["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["WD25CD"] as? String })
        #expect(onsCodes.count == (code == "E06000032" ? 20 : 28))
        let areas = StageTestSupport.csvRows(layout.stage(.normalise, run: summary.runID) + "/areas.csv")
        let header = try #require(areas.first)
        let layer = try #require(header.firstIndex(of: "layer")), areaCode = try #require(header.firstIndex(of: "code")), la = try #require(header.firstIndex(of: "la_code"))
        #expect(Set(areas.dropFirst().filter { $0[layer] == "ward" && $0[la] == code }.map { $0[areaCode] }) == onsCodes)
        let report = StageTestSupport.read(layout.stage(.assess, run: summary.runID) + "/report.html")
        #expect(report.contains("\(council) Community Safety Partnership"))
        #expect(report.contains("No population is at hand"))
        let audit = try RunAuditor(pipeline: pipeline, layout: layout).audit(runID: summary.runID)
        #expect(audit.findings.isEmpty, "\(audit.findings.prefix(3))")
    }
}
