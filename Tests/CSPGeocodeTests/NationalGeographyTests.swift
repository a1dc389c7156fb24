import CSPTestSupport
import CSPCore
import Foundation
import Testing
@testable import CSPGeocode

/// The national pipeline's geography (issue 15): one ward layer from a pattern of council files, the council code
/// remap table, and CSPs split by old district.
@Suite struct NationalGeographyTests {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/geocode"

    /// Writes `text` to `dir/name`, returning the path.
    @discardableResult
    static func write(_ dir: String, _ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Two council files (one ward each) matched by one pattern.
    static func councilFiles(_ dir: String) throws {
        func ward(_ code: String, _ la: String, _ x0: Double) -> String {
            """
            {"type": "Feature", "properties": {"WD25CD": "\(code)", "WD25NM": "Ward \(code)", "LAD25CD": "\(la)", "LAD25NM": "Council \(la)"},
             "geometry": {"type": "Polygon", "coordinates": [[[\(x0), 52.0], [\(x0 + 0.1), 52.0], [\(x0 + 0.1), 52.1], [\(x0), 52.1], [\(x0), 52.0]]]}}
            """
        }
        try write(dir, "A25.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\(ward("W1", "A25", -0.5))]}")
        try write(dir, "B.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\(ward("W2", "B", -0.3))]}")
    }

    static func pipeline(_ dir: String, layer: String, extra: String = "") -> String {
        """
        name: n
        area: {name: England and Wales, la_code: K04000001, every_ward: true}
        sources:
          - {id: s, agency: police, kind: police-uk-street, format: csv, path: x.csv}
        geography:
          methods: [point]
          layers:
            - \(layer)
        \(extra)
        """
    }

    /// The two council files in `dir`, and a pipeline whose ward layer is their pattern with the layer keys `keys`.
    static func patternPipeline(_ dir: String, keys: String) throws -> PipelineDefinition {
        try councilFiles(dir)
        let text = pipeline(dir, layer: "{id: ward, code: WD25CD, name: WD25NM, path: \"\(dir)/*.geojson\", \(keys)}")
        return try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
    }

    @Test func aPatternOfCouncilFilesIsOneLayerWithEachAreasCouncil() throws {
        let dir = StageTestSupport.temporaryFolder("national-layer")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Self.patternPipeline(dir, keys: "la_code_property: LAD25CD, la_name_property: LAD25NM")
        let layer = try #require(p.geography?.layers.first)
        #expect(layer.files.map(\.path) == [dir + "/A25.geojson", dir + "/B.geojson"])
        #expect(layer.laCodeProperty == "LAD25CD")
        #expect(p.area.everyWard == true)
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        let g = try Geography(pipeline: p, inputs: inputs)
        #expect(g.layers[0].laCodes == ["A25", "B"])
        #expect(g.layers[0].laNames == ["Council A25", "Council B"])
        #expect(g.wardInArea == [true, true])
    }

    @Test(arguments: [
        ("{id: ward, code: WD25CD, path: \"DIR/*.geojson\"}", "geography.layers[0].path", "la_code_property"),
        ("{id: ward, code: WD25CD, path: \"DIR/*.geojson\", la_code: E06000056, la_code_property: LAD25CD}", "geography.layers[0].la_code", "la_code_property"),
        ("{id: ward, code: WD25CD, path: \"DIR/none-*.geojson\", la_code_property: LAD25CD}", "geography.layers[0].path", "file not found"),
    ])
    func layerPatternErrorsNameTheKey(layer: String, key: String, problem: String) throws {
        let dir = StageTestSupport.temporaryFolder("national-layer-errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.councilFiles(dir)
        do {
            _ = try PipelineLoader().parse(text: Self.pipeline(dir, layer: layer.replacingOccurrences(of: "DIR", with: dir)), file: dir + "/p.yaml")
            Issue.record("expected an error for \(key)")
        } catch let e as PipelineError {
            #expect(e.key == key, "\(e.description)")
            #expect(e.description.contains(problem), "\(e.description)")
        }
    }

    @Test func aCodeGivenToTwoFeaturesIsOneAreaWithBothPolygons() throws {
        let dir = StageTestSupport.temporaryFolder("national-layer-repeated")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.councilFiles(dir)
        let b = try String(contentsOfFile: dir + "/B.geojson", encoding: .utf8)
        // B's ward W2 again, as a second feature further east (as North Yorkshire's E05014284 is in the real files).
        let second = b.replacingOccurrences(of: "-0.3", with: "-0.1").replacingOccurrences(of: "-0.2", with: "0.0")
            .replacingOccurrences(of: "{\"type\": \"FeatureCollection\", \"features\": [", with: "").dropLast(2)
        try Self.write(dir, "B.geojson", String(b.dropLast(2)) + ", " + second + "]}")
        let text = Self.pipeline(dir, layer: "{id: ward, code: WD25CD, name: WD25NM, path: \"\(dir)/*.geojson\", la_code_property: LAD25CD}")
        let p = try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
        let g = try Geography(pipeline: p, inputs: StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p)))
        #expect(g.layers[0].areas.features.map(\.code) == ["W1", "W2"])
        #expect(g.layers[0].areas.features[1].polygons.count == 2)
        #expect(g.layers[0].laCodes == ["A25", "B"])
    }

    @Test func aFeatureWithoutItsCouncilPropertyIsAnErrorNamingTheFileAndFeature() throws {
        let dir = StageTestSupport.temporaryFolder("national-layer-noprop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try Self.patternPipeline(dir, keys: "la_code_property: LADCD")
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        #expect {
            _ = try Geography(pipeline: p, inputs: inputs)
        } throws: { e in "\(e)".contains("A25.geojson, feature 1 (W1) has no `LADCD` property") }
    }

    /// A hand-made lookup: council `A` (LAD24; its wards carry LAD25 `A25`) has one CSP; council `B` has two, `X` and
    /// `Y`, on the lines of its old districts Xtown and Ytown.
    static func csp(_ dir: String) throws -> String {
        try write(dir, "csp.csv", "LAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM\nA,Council A,CA,Partnership A,P1,Force One\nB,Council B,X,Partnership X,P2,Force Two\nB,Council B,Y,Partnership Y,P2,Force Two\nC,Council C,Z,Partnership Z,P2,Force Two\n")
        try write(dir, "remap.csv", "LAD25CD,LAD24CD\nA25,A\n")
        try write(dir, "lsoa.csv", "LSOA11CD,LSOA11NM,LSOA21CD\nL1,Xtown 001A,N1\nL2,Ytown 002B,N2\nL3,Ztown 001A,N3\nL4a,Xtown 003A,N4\nL4b,Xtown 003B,N4\nL4c,Ytown 004A,N4\nL5,Nowhere 001A,N5\n")
        try write(dir, "districts.csv", "LAD17CD,LAD17NM,CSP17CD\nD1,Xtown,X\nD2,Ytown,Y\nD3,Ztown,Z\n")
        return """
          csp:
            table: \(dir)/csp.csv
            la_code: LAD24CD
            csp_code: CSP24CD
            csp_name: CSP24NM
            pfa_code: PFA24CD
            pfa_name: PFA24NM
            la_remap: {table: \(dir)/remap.csv, from: LAD25CD, to: LAD24CD}
            old_districts:
              lsoa: {table: \(dir)/lsoa.csv, code: LSOA21CD, name: LSOA11NM}
              districts: {table: \(dir)/districts.csv, name: LAD17NM, csp_code: CSP17CD}
        """
    }

    func assignment(_ dir: String, councils: [String]) throws -> PartnershipAssignment {
        try Self.councilFiles(dir)
        let text = Self.pipeline(dir, layer: "{id: ward, code: WD25CD, path: \"\(dir)/*.geojson\", la_code_property: LAD25CD}", extra: try Self.csp(dir))
        let p = try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
        let def = try #require(p.geography?.csp)
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        #expect(inputs.files(role: "reference:csp_la_remap").count == 1)
        return try PartnershipAssignment(def, councils: councils, inputs: inputs)
    }

    @Test func theRemapTableGivesARecodedCouncilItsPartnership() throws {
        let dir = StageTestSupport.temporaryFolder("national-remap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try assignment(dir, councils: ["A25", "A", "Q"])
        for ward in [0, 1] {
            let d = a.decide(ward: ward) { "" }
            #expect(d.method == "council")
            #expect(a.partnerships[Int(d.partnership)].code == "CA")
            #expect(a.partnerships[Int(d.force)].pfaCode == "P1")
        }
        // Not in the lookup, and not remapped: no partnership, no force.
        let q = a.decide(ward: 2) { "N1" }
        #expect(q.method == "unknown-council" && q.partnership < 0 && q.force < 0)
    }

    @Test func aCouncilOfSeveralPartnershipsIsSplitByTheOldDistrict() throws {
        let dir = StageTestSupport.temporaryFolder("national-old-district")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try assignment(dir, councils: ["B"])
        func decide(_ lsoa: String) -> (String, String, String) {
            let d = a.decide(ward: 0) { lsoa }
            return (d.method, d.partnership >= 0 ? a.partnerships[Int(d.partnership)].code : "", PartnershipAssignment.outcomes[d.outcome].reason)
        }
        #expect(decide("N1").0 == "old-district" && decide("N1").1 == "X")
        #expect(decide("N2").0 == "old-district" && decide("N2").1 == "Y")
        // Three older LSOAs, two in Xtown: the majority, and said so.
        #expect(decide("N4") == ("old-district", "X", "LSOA spans old districts (majority)"))
        // Ztown's CSP is not one of council B's: point and LSOA disagree.
        #expect(decide("N3") == ("unassigned", "", "LSOA's district CSP is not one of the council's (point and LSOA disagree)"))
        #expect(decide("N5") == ("unassigned", "", "LSOA's district not in the district lookup"))
        #expect(decide("N9") == ("unassigned", "", "LSOA not in the LSOA lookup"))
        #expect(decide("") == ("unassigned", "", "no LSOA code"))
        // Unassigned, but both of council B's CSPs are in Force Two: the force is kept.
        let d = a.decide(ward: 0) { "" }
        #expect(d.force >= 0 && a.partnerships[Int(d.force)].pfaCode == "P2")
    }

    @Test func aRemapToACouncilTheLookupDoesNotKnowIsAnError() throws {
        let dir = StageTestSupport.temporaryFolder("national-remap-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.councilFiles(dir)
        _ = try Self.csp(dir)
        try Self.write(dir, "remap.csv", "LAD25CD,LAD24CD\nA25,E99\n")
        let text = Self.pipeline(dir, layer: "{id: ward, code: WD25CD, path: \"\(dir)/*.geojson\", la_code_property: LAD25CD}", extra: try Self.csp(dir).replacingOccurrences(of: "remap.csv", with: "remap2.csv"))
        try Self.write(dir, "remap2.csv", "LAD25CD,LAD24CD\nA25,E99\n")
        let p = try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        #expect {
            _ = try PartnershipAssignment(try #require(p.geography?.csp), councils: ["A25"], inputs: inputs)
        } throws: { e in "\(e)".contains("remap2.csv line 2") && "\(e)".contains("E99 is not a council of the CSP lookup") }
    }

    @Test func theNationalPipelineLoadsOnRealData() throws {
        try RealData.require("national")
        let p = try PipelineLoader().load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-england-wales.yaml")
        let g = try #require(p.geography)
        #expect(g.layers[0].files.count == 318)
        let csp = try #require(g.csp)
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        // Barnsley and Sheffield through the remap table; BCP (E06000058) split by old district.
        let a = try PartnershipAssignment(csp, councils: ["E08000038", "E08000039", "E06000058"], inputs: inputs)
        #expect(a.partnerships[Int(a.wardPartnership[0])].name == "Barnsley")
        #expect(a.partnerships[Int(a.wardPartnership[1])].name == "Sheffield")
        #expect(a.wardPartnership[2] == PartnershipAssignment.split)
        #expect(Set(a.wardCandidates[2].map { a.partnerships[Int($0)].name }) == ["Bournemouth", "Poole", "Dorset"])
    }
}
