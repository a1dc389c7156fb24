import CSPTestSupport
import CSPCore
import Foundation
import Testing
import CSPPipeline

/// Stop and search by ethnicity on the real archive, against an independent reference: the Central Bedfordshire
/// pipeline runs on all 36 months, and `Tests/Reference/stop_search_disparity.py` reads the raw stop-and-search files,
/// the Census 2021 ethnicity file and the lookups itself (its own month, point-in-polygon, residents and statistics:
/// statsmodels' log-method rate-ratio interval and Wilson interval). Every published cell of
/// `tables/stop-search-disparity.csv` (Central Bedfordshire and Bedfordshire Police, both bases, every power and
/// section 60) equals the reference's; every small count (1 to 4) is withheld with everything computed from it.
@Suite(.serialized) struct StopSearchDisparityReferenceTests {
    /// The published table (by `area_kind|legislation_group|basis|ethnic_group`), the report, and the reference's JSON.
    struct Run: Sendable {
        let published: [String: [String: String]]
        let report: String
        let reference: [String: [String: String]]
        let period: [String: String]
        let totals: [String: Int]
    }

    /// The Central Bedfordshire pipeline's run.
    static let run = Result { try make("police-uk-central-bedfordshire", overrides: [:]) }
    /// The same partnership through the national pipeline (every council's wards; `--set csp=E22000353`).
    static let national = Result { try make("police-uk-national-stop-search", overrides: ["csp": "E22000353"]) }

    /// Runs `Pipelines/<name>.yaml` on the 36-month archive and the reference on the same files.
    static func make(_ name: String, overrides: [String: String]) throws -> Run {
        let real = try StageTestSupport.requireRealData()
        let archive = try StageTestSupport.requireRealData("police-uk-archive")
        let root = StageTestSupport.temporaryFolder("disparity")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": archive].merging(overrides) { _, b in b })
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/\(name).yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: StageTestSupport.logger).run(RunRequest(output: root + "/out"))
        let assess = RunLayout(output: root + "/out", pipeline: pipeline.name).stage(.assess, run: summary.runID)
        let rows = StageTestSupport.csvRows(assess + "/tables/stop-search-disparity.csv")
        var published: [String: [String: String]] = [:]
        if let header = rows.first {
            for r in rows.dropFirst() {
                let cells = Dictionary(zip(header, r), uniquingKeysWith: { a, _ in a })
                published[[cells["area_kind"], cells["legislation_group"], cells["basis"], cells["ethnic_group"]].map { $0 ?? "" }.joined(separator: "|")] = cells
            }
        }
        let report = try String(contentsOfFile: assess + "/report.html", encoding: .utf8)
        let json = try ReferenceScript.json("Tests/Reference/stop_search_disparity.py", [archive, "--realdata", real])
        return Run(published: published, report: report,
                   reference: (json["rows"] as? [String: [String: Any]] ?? [:]).mapValues { $0.mapValues { "\($0)" } },
                   period: (json["period"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
                   totals: json["totals"] as? [String: Int] ?? [:])
    }

    /// The columns compared, cell by cell.
    static let columns = ["searches", "residents", "rate_per_1000", "ratio_to_white", "ratio_ci_lower", "ratio_ci_upper",
                          "linked_outcome_rate", "linked_ci_lower", "linked_ci_upper", "rate_not_stated_shared", "ratio_not_stated_as_white"]

    @Test func everyPublishedCellEqualsTheReference() throws {
        try Self.check(try Self.run.get())
    }

    /// Any partnership through the national pipeline: Central Bedfordshire by its CSP code, its force's searches from the
    /// months folder, every cell again equal to the reference (searches placed in other councils are the force's).
    @Test func theNationalPipelineGivesThePartnershipTheSameFigures() throws {
        let national = try Self.national.get()
        try Self.check(national)
        #expect(national.published["partnership|all|self_defined|White"]?["area_code"] == "E22000353")
    }

    /// Every published cell of `run` equals the reference's; withheld cells are counted, not compared.
    static func check(_ run: Run) throws {
        #expect(run.reference.count == 2 * 2 * 2 * 7 && Set(run.published.keys) == Set(run.reference.keys), "rows: published \(run.published.count), reference \(run.reference.count)")
        var wrong: [String] = [], compared = 0, withheld = 0
        for (key, ref) in run.reference.sorted(by: { $0.key < $1.key }) {
            guard let row = run.published[key] else { continue }
            #expect(row["period_from"] == run.period["from"] && row["period_to"] == run.period["to"], "\(key): period")
            for c in Self.columns {
                let cell = row[c] ?? "<none>"
                if cell == "~" { withheld += 1; continue }
                compared += 1
                if cell != ref[c] { wrong.append("\(key).\(c): published \(cell), reference \(ref[c] ?? "<none>")") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) cells differ from the reference:\n\(wrong.joined(separator: "\n"))")
        // The large counts are published: the comparison is not empty.
        #expect(compared > 200, "only \(compared) cells published (\(withheld) withheld)")
        for key in ["partnership|all|self_defined|White", "force|all|self_defined|White", "force|all|officer_defined|Black"] {
            #expect(run.published[key]?["searches"] == run.reference[key]?["searches"], "\(key) is published")
        }
    }

    @Test func smallCountsAreWithheldWithEverythingComputedFromThem() throws {
        let run = try Self.run.get()
        var checked = 0
        for (key, ref) in run.reference {
            guard let n = Int(ref["searches"] ?? ""), let row = run.published[key] else { continue }
            let linked = Int(ref["linked"] ?? "") ?? 0
            if n > 0 && n < 5 {
                checked += 1
                #expect(row["searches"] == "~", "\(key): \(n) searches published")
                for c in Self.columns.dropFirst(2) where row[c] != "*" { #expect(row[c] == "~", "\(key).\(c) computed from a withheld count: \(row[c] ?? "")") }
            }
            if linked > 0 && linked < 5 {
                for c in ["linked_outcome_rate", "linked_ci_lower", "linked_ci_upper"] { #expect(row[c] == "~", "\(key).\(c): \(linked) linked searches published") }
            }
        }
        #expect(checked > 0, "the real archive's twelve months have small groups (section 60)")
    }

    @Test func theReportShowsTheChartAndTheNotStatedShare() throws {
        let run = try Self.run.get()
        #expect(run.report.contains("id=\"stop-and-search-ethnicity\""))
        #expect(run.report.contains("aria-label=\"Stop and search rates and ratios by ethnic group, Central Bedfordshire\""))
        let noLocation = run.totals["force_no_location"] ?? -1, force = run.totals["force"] ?? -1
        let share = String(format: "%.1f", 100 * Double(noLocation) / Double(force))
        #expect(run.report.contains("(\(share)%) without a location"), "the force's searches without a location: \(noLocation) of \(force)")
        #expect(!run.report.contains("by age range, sex or ethnicity are not given"))
    }
}
