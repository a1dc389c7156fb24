import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPGeocode

@Suite struct GeocodeStageTests {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/geocode"

    /// Runs stages 1–3 of the geocode golden pipeline with the fixed test key copied to a private file.
    func runGolden() throws -> (out: String, runID: String) {
        let out = StageTestSupport.temporaryFolder("geocode-golden")
        let key = out + "/test.key"
        try FileManager.default.copyItem(atPath: StageTestSupport.repositoryRoot + "/Fixtures/tests/clean/keys/test.key", toPath: key)
        chmod(key, 0o600)
        let pipeline = try PipelineLoader(overrides: ["key_file": key]).load(path: Self.root + "/pipeline.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.geocode), logger: StageTestSupport.logger).run(RunRequest(output: out))
        return (out, summary.runID)
    }

    @Test func goldenFilesForEveryMethod() throws {
        let (out, runID) = try runGolden()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let dir = RunLayout(output: out, pipeline: "geocode-golden").stage(.geocode, run: runID)
        let expected = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/expected").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(expected == ["areas.csv", "crimes.csv", "disagreements.csv", "excluded.csv", "offenders.csv", "population.csv", "rejects.csv", "victims.csv", "yos_cases.csv"])
        for name in expected {
            #expect(StageTestSupport.read(dir + "/" + name) == StageTestSupport.read(Self.root + "/expected/" + name), "\(name) differs from the golden file")
        }
        let m = try JSON.read(Manifest.self, from: dir + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: 13, out: 9, excluded: 4))
        #expect(m.sources["victims"] == StageCounts(inCount: 2, out: 1, excluded: 1))
        #expect(m.sources["offenders"] == StageCounts(inCount: 2, out: 1, excluded: 1))
        #expect(m.sources["yos_cases"] == StageCounts(inCount: 2, out: 1, excluded: 1))
        #expect(m.counts == StageCounts(inCount: 19, out: 12, excluded: 7))
        #expect(m.outputs.first { $0.path == "areas.csv" }?.rows == 153)
        #expect(m.inputs.contains { $0.role == "boundary:place" })
    }

    static let minimal = """
    name: g
    area: {name: Central Bedfordshire, la_code: E06000056}
    sources:
      - {id: s, agency: police, kind: crimes, format: csv, path: x.csv}
    geography:

    """

    @Test(arguments: [
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson, la_code: E06000056}]\n  colour: red\n", "geography.colour", "not a known setting"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/nowhere.geojson, la_code: E06000056}]\n", "geography.layers[0].path", "file not found"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson, la_code: E06000056}]\n  methods: [point, postcode]\n", "geography.methods[1]", "not a geocoding method"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson}]\n", "geography.layers[0].files[0].la_code", "local authority"),
        ("  layers: [{id: snt, code: code, path: ../../boundaries/snt-areas.geojson}]\n", "geography.layers[0].id", "must be `ward`"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson, la_code: E06000056}]\n  methods: [old_ward]\n", "geography.methods", "old_wards"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson, la_code: E06000056}]\n  sources: {nope: {methods: [point]}}\n", "geography.sources.nope", "not one of the pipeline's sources"),
        ("  layers: [{id: ward, code: code, path: ../../boundaries/wards-2009.geojson, la_code: E06000056}]\n  lsoa: {\"2011\": {code: LSOA11CD}}\n", "geography.lsoa.2011", "table"),
    ])
    func loaderErrorsNameTheKey(section: String, key: String, problem: String) {
        do {
            _ = try PipelineLoader().parse(text: Self.minimal + section, file: Self.root + "/test.yaml")
            Issue.record("expected an error for \(key)")
        } catch let e as PipelineError {
            #expect(e.key == key, "\(e.description)")
            #expect(e.description.contains(problem), "\(e.description)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func geographyIsOptionalAndLoadsWhenValid() throws {
        let p = try PipelineLoader().load(path: Self.root + "/pipeline.yaml")
        let g = try #require(p.geography)
        #expect(g.layers.map(\.id) == ["ward", "ward08", "snt", "town", "place"])
        #expect(g.methods == [.point, .lsoa, .oldWard, .wardName])
        #expect(g.source("street")?.methods == [.point, .lsoa])
        #expect(g.layers[3].format == "kml")
    }
}

@Suite("Geocode: numbers read from bytes")
struct GeocodeNumberTests {
    /// The byte-level readers must give what Double(String)/Int(String) give, including nil.
    @Test(arguments: ["-0.521", "52.062263", "0", "-0", "+5", "1.", ".5", "", " 1.5", "1.5 ", "1e3", "nan", "inf", "0x1p3",
                      "1.2.3", "-", ".", "12345678901234567890.123456789", "0.1000000000000000055511151231257827", "--1", "1,5"])
    func doubleMatchesFoundation(_ text: String) {
        let got = Array(text.utf8).withUnsafeBufferPointer { EntityGeocoding.double($0) }
        let want = Double(text)
        if let want, want.isNaN { #expect(got?.isNaN == true) } else { #expect(got == want, "\(text)") }
    }

    @Test(arguments: ["12", " 12 ", "-7", "+3", "", "1a", "1234567890123"])
    func intReadsPlainWholeNumbers(_ text: String) {
        let got = Array(text.utf8).withUnsafeBufferPointer { EntityGeocoding.int($0) }
        let t = text.trimmingCharacters(in: .init(charactersIn: " "))
        #expect(got == (t.count <= 12 || t.hasPrefix("-") || t.hasPrefix("+") ? Int(t) : nil), "\(text)")
    }
}
