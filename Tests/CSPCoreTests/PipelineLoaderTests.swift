import CSPTestSupport
import Foundation
import Testing
@testable import CSPCore

@Suite struct PipelineLoaderTests {
    static let valid = """
    name: test-pipeline
    area:
      name: Central Bedfordshire
      la_code: E06000056
      other_codes: [00KC, E22000353]
    variables:
      data: ../data
      key_file: keys/test.key
    periods:
      current: {from: 2009-01-01, to: 2009-06-30}
    sources:
      - id: crimes
        agency: police
        kind: crimes
        format: csv
        path: ${data}/crimes_*.csv
        encoding: windows-1252
        columns:
          crime_number: CrimeNo
          address: Address
        personal: [address]
      - id: asb
        agency: police
        kind: asb-incidents
        format: xml
        path:
          - ${data}/asb.xml
        record: Incident
        columns:
          number: IncidentNumber
    reference:
      codes: ref/codes.csv
    privacy:
      key_file: ${key_file}
    """

    func setUp() -> TempDir {
        let dir = TempDir("loader")
        dir.write("pipes/ref/codes.csv", "code\n1\n")
        return dir
    }

    @Test func loadsAndResolvesPathsAgainstThePipelineFolder() throws {
        let dir = setUp(); defer { dir.cleanup() }
        let file = dir.write("pipes/p.yaml", Self.valid)
        let p = try PipelineLoader(workingDirectory: "/").load(path: file)
        #expect(p.name == "test-pipeline")
        #expect(p.area.otherCodes == ["00KC", "E22000353"])
        #expect(p.sources.count == 2)
        #expect(p.sources[0].paths == [dir.path + "/data/crimes_*.csv"])
        #expect(p.sources[0].columns.map(\.name) == ["crime_number", "address"])
        #expect(p.sources[0].maxRejectShare == 0.05)
        #expect(p.sources[1].paths == [dir.path + "/data/asb.xml"])
        #expect(p.referencePath("codes") == dir.path + "/pipes/ref/codes.csv")
        #expect(p.privacy.keyFile == dir.path + "/pipes/keys/test.key")
        #expect(p.periods.first?.from == Day(year: 2009, month: 1, day: 1))
        #expect(p.configHash.count == 64)
    }

    @Test func commandLineVariablesOverrideAndResolveAgainstTheWorkingDirectory() throws {
        let dir = setUp(); defer { dir.cleanup() }
        let file = dir.write("pipes/p.yaml", Self.valid)
        let p = try PipelineLoader(overrides: ["data": "elsewhere/data"], workingDirectory: "/srv/work").load(path: file)
        #expect(p.sources[0].paths == ["/srv/work/elsewhere/data/crimes_*.csv"])
        let q = try PipelineLoader(workingDirectory: "/").load(path: file)
        #expect(p.configHash != q.configHash)
    }

    @Test(arguments: [
        ("name: x\narea: {name: a, la_code: b}\nsources: []\ncolour: red\n", "colour", "not a known setting"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: p, encodng: utf-8}\n", "sources[0].encodng", "not a known setting"),
        ("name: x\narea: {name: a}\nsources: []\n", "area.la_code", "required"),
        ("name: x\narea: {name: a, la_code: b}\nperiods:\n  current: {from: 2009-02-30, to: 2009-06-30}\nsources: []\n", "periods.current.from", "not a date"),
        ("name: x\narea: {name: a, la_code: b}\nperiods:\n  current: {from: 2009-07-01, to: 2009-06-30}\nsources: []\n", "periods.current", "after"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: json, path: p}\n", "sources[0].format", "not one of csv, xml"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimez, format: csv, path: p}\n", "sources[0].kind", "not a source kind csp knows"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: '${nope}/x.csv'}\n", "sources[0].path", "nope"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: xml, path: p, record: R}\n", "sources[0].columns", "columns"),
        ("name: x\narea: {name: a, la_code: b}\nsources: []\nreference:\n  codes: missing.csv\n", "reference.codes", "file not found"),
        ("name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: p, max_reject_share: 5}\n", "sources[0].max_reject_share", "between 0 and 1"),
        ("name: x\narea: [a, b]\nsources: []\n", "area", "mapping"),
        ("name: x\n  bad: : indentation\n", "", "YAML"),
    ])
    func errorsNameTheFileKeyAndProblem(yaml: String, key: String, phrase: String) throws {
        let dir = TempDir("loader"); defer { dir.cleanup() }
        let file = dir.write("bad.yaml", yaml)
        #expect {
            _ = try PipelineLoader(workingDirectory: "/").load(path: file)
        } throws: { error in
            guard let e = error as? PipelineError else { return false }
            let text = e.description
            return e.key == key && text.contains(file) && text.contains(phrase)
        }
    }

    @Test func missingFilesExitAsMissingInputAndBadSettingsAsConfiguration() throws {
        let dir = TempDir("loader"); defer { dir.cleanup() }
        do {
            _ = try PipelineLoader().load(path: dir.path + "/none.yaml")
            Issue.record("expected an error")
        } catch let e as PipelineError { #expect(e.exitCode == .noInput) }
        let file = dir.write("p.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\nbogus: 1\n")
        do {
            _ = try PipelineLoader().load(path: file)
            Issue.record("expected an error")
        } catch let e as PipelineError { #expect(e.exitCode == .config); #expect(e.line == 4) }
    }

    @Test func variableDefaultsUseEarlierVariablesAndFollowTheirOverride() throws {
        let dir = setUp(); defer { dir.cleanup() }
        let file = dir.write("pipes/v.yaml", """
        name: v
        area: {name: A, la_code: E1}
        variables:
          realdata: ../data
          police_uk: ${realdata}/archive
        sources:
          - {id: s, agency: a, kind: crimes, format: csv, path: "${police_uk}/*/*.csv"}
        """)
        let p = try PipelineLoader(workingDirectory: "/").load(path: file)
        #expect(p.sources[0].paths == [dir.path + "/data/archive/*/*.csv"])
        #expect(p.variables["police_uk"] == "../data/archive")
        // --set realdata moves police_uk too, resolved against the working directory like realdata itself.
        let q = try PipelineLoader(overrides: ["realdata": "x/rd"], workingDirectory: "/srv").load(path: file)
        #expect(q.sources[0].paths == ["/srv/x/rd/archive/*/*.csv"])
        let r = try PipelineLoader(overrides: ["police_uk": "/months"], workingDirectory: "/srv").load(path: file)
        #expect(r.sources[0].paths == ["/months/*/*.csv"])
    }

    @Test(arguments: [
        ("variables:\n  a: ${b}/x\n  b: y\n", "declared after it (line 6)"),
        ("variables:\n  a: ${a}/x\n", "refers to itself"),
        ("variables:\n  a: ${zz}/x\n", "is not declared"),
    ])
    func variableCyclesAndForwardReferencesAreErrorsAtTheirLine(vars: String, phrase: String) throws {
        let dir = TempDir("loader"); defer { dir.cleanup() }
        let file = dir.write("v.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\n" + vars)
        #expect {
            _ = try PipelineLoader(workingDirectory: "/").load(path: file)
        } throws: { error in
            guard let e = error as? PipelineError else { return false }
            return e.key == "variables.a" && e.line == 5 && e.description.contains(phrase) && e.description.contains(file)
        }
    }

    @Test func extendsSharesABaseFileKeyByKey() throws {
        let dir = setUp(); defer { dir.cleanup() }
        dir.write("pipes/base.yaml", Self.valid)
        let file = dir.write("pipes/child.yaml", """
        extends: base.yaml
        name: child
        area: {name: Luton, la_code: E06000032}
        variables:
          data: ../other
        """)
        let p = try PipelineLoader(workingDirectory: "/").load(path: file)
        #expect(p.name == "child")
        #expect(p.area.laCode == "E06000032")
        #expect(p.sources.count == 2)
        #expect(p.sources[0].paths == [dir.path + "/other/crimes_*.csv"])
        #expect(p.referencePath("codes") == dir.path + "/pipes/ref/codes.csv")
        #expect(p.file == file)
        // Keys are checked in the including file like anywhere else; a cycle is named.
        let bad = dir.write("pipes/bad.yaml", "extends: base.yaml\ncolour: red\n")
        #expect(throws: PipelineError.self) { try PipelineLoader().load(path: bad) }
        let loop = dir.write("pipes/loop.yaml", "extends: loop2.yaml\nname: l\n")
        dir.write("pipes/loop2.yaml", "extends: loop.yaml\n")
        #expect { try PipelineLoader().load(path: loop) } throws: { ($0 as? PipelineError)?.description.contains("cycle") == true }
    }

    @Test func qualityAndPeriodAnchorSettings() throws {
        let dir = TempDir("loader"); defer { dir.cleanup() }
        let file = dir.write("q.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\nvariables:\n  as_of: ''\nperiods:\n  as_of: ${as_of}\nquality:\n  require_complete_months: true\n")
        let p = try PipelineLoader().load(path: file)
        #expect(p.requireCompleteMonths)
        #expect(p.periodsAsOf == nil)
        let q = try PipelineLoader(overrides: ["as_of": "2023-06"]).load(path: file)
        #expect(q.periodsAsOf == Day(year: 2023, month: 6, day: 1))
        #expect(p.configHash != q.configHash)
        #expect(throws: PipelineError.self) { try PipelineLoader(overrides: ["as_of": "June"]).load(path: file) }
    }

    @Test func setOfAnUndeclaredVariableIsRefused() throws {
        let dir = setUp(); defer { dir.cleanup() }
        let file = dir.write("pipes/p.yaml", Self.valid)
        #expect(throws: PipelineError.self) { try PipelineLoader(overrides: ["dta": "x"]).load(path: file) }
    }
}

@Suite struct DayTests {
    @Test(arguments: [("2009-02-28", true), ("2009-02-29", false), ("2008-02-29", true), ("2009-13-01", false), ("2009-1-01", false), ("2000-02-29", true), ("1900-02-29", false)])
    func parsesStrictly(text: String, valid: Bool) {
        #expect((Day(iso: text) != nil) == valid)
        if valid { #expect(Day(iso: text)?.description == text) }
    }
}
