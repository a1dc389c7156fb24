import CSPTestSupport
import CSPCore
import Foundation
import Testing

/// `coverage.expected_forces`: a force the pipeline expects and the folder lacks is `missing`, named.
@Suite struct ExpectedForcesTests {
    func figures(_ force: String) -> CoverageCalendar.FileFigures {
        var f = CoverageCalendar.FileFigures(source: "street", file: "2024-01/2024-01-\(force)-street.csv", path: "/d/2024-01/2024-01-\(force)-street.csv")
        f.rows = 100
        return f
    }

    @Test func anExpectedForceWithNoFileIsMissing() {
        let c = CoverageCalendar(sources: ["street"], files: [figures("kent"), figures("btp")], monthFolders: ["2024-01"],
                                 expectedForces: ["street": ["kent", "btp", "metropolitan", "greater-manchester"]])
        let status = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.force, $0.status) })
        #expect(status == ["kent": "present", "btp": "present", "metropolitan": "missing", "greater-manchester": "missing"])
        #expect(c.gaps.map(CoverageCalendar.describe) == ["source `street` (greater-manchester): month 2024-01 is missing (no file)",
                                                          "source `street` (metropolitan): month 2024-01 is missing (no file)"])
        // Without the setting, the absent forces are simply not there: what the setting is for.
        #expect(CoverageCalendar(sources: ["street"], files: [figures("kent")], monthFolders: ["2024-01"]).rows.map(\.force) == ["kent"])
    }

    func settings(_ dir: String, extra: [String]) -> ExpectedForces {
        ExpectedForces(sources: ["street"], table: dir + "/lookup.csv", column: "PFA24NM", encoding: "utf-8", extra: extra,
                       slugTable: dir + "/slugs.csv", slugNameColumn: "force_name", slugColumn: "slug")
    }

    @Test func forceNamesBecomeSlugsThroughTheReferenceTable() throws {
        let dir = StageTestSupport.temporaryFolder("expected-forces")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "LAD24CD,PFA24NM\nE1,Kent\nE2,Kent\nE3,\"London, City of\"\n".write(toFile: dir + "/lookup.csv", atomically: true, encoding: .utf8)
        try "force_name,slug\nKent,kent\n\"London, City of\",city-of-london\nBritish Transport Police,btp\n".write(toFile: dir + "/slugs.csv", atomically: true, encoding: .utf8)
        let s = try settings(dir, extra: ["British Transport Police"]).slugsBySource { $0 }
        #expect(s == ["street": ["kent", "city-of-london", "btp"]])
        #expect {
            _ = try settings(dir, extra: ["Police Scotland"]).slugsBySource { $0 }
        } throws: { e in "\(e)".contains("force `Police Scotland`") && "\(e)".contains("slugs.csv") }
    }

    @Test(arguments: [
        ("coverage: {expected_forces: {sources: [nope], table: t.csv, column: C, slugs: {table: t.csv, name: n, slug: s}}}", "coverage.expected_forces.sources[0]", "not one of the pipeline's sources"),
        ("coverage: {expected_forces: {sources: [s], table: t.csv, column: C}}", "coverage.expected_forces.slugs", "missing"),
        ("coverage: {expected_forces: {sources: [s], table: t.csv, column: C, slugs: {table: t.csv, name: n, slug: s}, colour: red}}", "coverage.expected_forces.colour", "not a known setting"),
        ("coverage: {}\narea: {name: A, la_code: E1, every_ward: perhaps}", "area.every_ward", "true or false"),
    ])
    func coverageAndAreaKeysAreChecked(yaml: String, key: String, problem: String) throws {
        let dir = StageTestSupport.temporaryFolder("expected-forces-keys")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "C\nx\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        let text = "name: n\n" + (yaml.contains("area:") ? "" : "area: {name: A, la_code: E1}\n")
            + "sources:\n  - {id: s, agency: police, kind: police-uk-street, format: csv, path: x.csv}\n" + yaml + "\n"
        do {
            _ = try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
            Issue.record("expected an error for \(key)")
        } catch let e as PipelineError {
            #expect(e.key == key, "\(e.description)")
            #expect(e.description.contains(problem), "\(e.description)")
        }
    }

    @Test func theNationalPipelineExpectsTheFourAbsentForces() throws {
        try RealData.require("national")
        let p = try PipelineLoader().load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-england-wales.yaml")
        let e = try #require(p.coverage?.expectedForces)
        let slugs = try #require(try e.slugsBySource { $0 }["street"])
        #expect(slugs.count == 44)
        let present = try FileManager.default.contentsOfDirectory(atPath: try RealData.require("national/police-uk/2024-01"))
            .compactMap { CoverageCalendar.monthAndForce(of: $0)?.force }
        #expect(Set(slugs).subtracting(present) == ["metropolitan", "west-midlands", "west-yorkshire", "greater-manchester"])
    }
}
