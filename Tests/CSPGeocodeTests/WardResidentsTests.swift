import CSPTestSupport
import CSPCore
import CSPCSV
import Foundation
import Testing
@testable import CSPGeocode

/// Residents of every ward when the population unit is an LSOA placed through its lookup (the national pipeline):
/// whole LSOAs to their best-fit ward, 0 with its reason for a ward that is no LSOA's best fit, no figure for a ward
/// one of whose LSOAs has no population row (`PopulationByLookup`).
@Suite struct WardResidentsTests {
    /// Two wards (W1 of council A25, W2 of council B) and a pipeline placing LSOA21 through `lookup` with the
    /// residents `residents`.
    static func geography(_ dir: String, lookup: String, residents: String) throws -> (Geography, PopulationSource, PartnershipAssignment) {
        try NationalGeographyTests.councilFiles(dir)
        try NationalGeographyTests.write(dir, "lookup.csv", lookup)
        try NationalGeographyTests.write(dir, "residents.csv", residents)
        let extra = """
              lsoa:
                "2021": {table: \(dir)/lookup.csv, code: LSOA21CD, layers: {ward: WD25CD}, la_code: LAD25CD}
              population: {table: \(dir)/residents.csv, code: LSOA21CD, value: usual_residents, unit: "lsoa:2021"}
            """ + "\n" + (try NationalGeographyTests.csp(dir))
        let text = NationalGeographyTests.pipeline(dir, layer: "{id: ward, code: WD25CD, name: WD25NM, path: \"\(dir)/*.geojson\", la_code_property: LAD25CD}", extra: extra)
        let p = try PipelineLoader().parse(text: text, file: dir + "/p.yaml")
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        let g = try Geography(pipeline: p, inputs: inputs)
        let csp = try PartnershipAssignment(try #require(p.geography?.csp), councils: g.layers[0].laCodes, inputs: inputs)
        return (g, try #require(p.geography?.population), csp)
    }

    /// `PopulationByLookup`'s rows for `g` and the table of `source`, as `layer,code,population,method,note` lines.
    static func rows(_ source: PopulationSource, _ g: Geography, _ csp: PartnershipAssignment) throws -> [String] {
        let t = try Geography.csv(source.table, columns: [source.codeColumn, source.valueColumn])
        return try PopulationByLookup(g, source: source, rows: t.rows, partnerships: csp).rows.map {
            "\($0.layer),\($0.code),\($0.population.map(String.init) ?? ""),\($0.method.rawValue),\($0.note)"
        }
    }

    @Test func aWardThatIsNoLSOAsBestFitHasZeroResidentsWithItsReason() throws {
        let dir = StageTestSupport.temporaryFolder("residents-best-fit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Both LSOAs of council B's ward W2 … none of A25's W1.
        let (g, source, csp) = try Self.geography(dir, lookup: "LSOA21CD,WD25CD,LAD25CD\nN1,W2,B\nN2,W2,B\n", residents: "LSOA21CD,usual_residents\nN1,1200\nN2,800\nN9,5\n")
        #expect(try Self.rows(source, g, csp) == [
            "ward,W1,0,best-fit-none,\(PopulationRow.bestFitNoneNote)",
            "ward,W2,2000,best-fit,",
            "la,A25,0,wards,",
            "la,B,2000,wards,",
            // N1 in Xtown (CSP X), N2 in Ytown (CSP Y): each LSOA whole to the partnership a record in it would get.
            "csp,X,1200,best-fit,", "csp,Y,800,best-fit,",
            "pfa,P2,2000,best-fit,",
        ])
    }

    @Test func aWardWithAnLSOAWithoutResidentsHasNoFigureAndNeitherHaveItsCouncilAndPartnership() throws {
        let dir = StageTestSupport.temporaryFolder("residents-incomplete")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (g, source, csp) = try Self.geography(dir, lookup: "LSOA21CD,WD25CD,LAD25CD\nN3,W1,A25\nN1,W2,B\nN2,W2,B\n", residents: "LSOA21CD,usual_residents\nN1,1200\nN3,300\n")
        let rows = try Self.rows(source, g, csp)
        #expect(rows == [
            "ward,W1,300,best-fit,",
            "ward,W2,,best-fit-incomplete,no figure: LSOA N2 of its 2 not in \(source.table)",
            "la,A25,300,wards,",
            "la,B,,best-fit-incomplete,no figure: a ward of the council has none",
            "csp,CA,300,best-fit,", "csp,X,1200,best-fit,",
            "csp,Y,,best-fit-incomplete,no figure: an LSOA of the partnership has none",
            "pfa,P1,300,best-fit,", "pfa,P2,,best-fit-incomplete,no figure: an LSOA of the force area has none",
        ])
    }

    /// The national pipeline's geography, partnerships and population rows, loaded once for the tests below.
    static let national: Result<(rows: [PopulationRow], councils: [String: String]), any Error> = Result(catching: {
        let p = try PipelineLoader().load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-england-wales.yaml")
        let inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: p))
        let g = try Geography(pipeline: p, inputs: inputs)
        guard let def = p.geography?.csp, let source = p.geography?.population else { throw StageError.configuration("the national pipeline has no csp or population") }
        let csp = try PartnershipAssignment(def, councils: g.layers[0].laCodes, inputs: inputs)
        let t = try Geography.csv(try inputs.path(source.table), columns: [source.codeColumn, source.valueColumn])
        var councils: [String: String] = [:]
        for (i, f) in g.layers[0].areas.features.enumerated() { councils[f.code] = g.layers[0].laCodes[i] }
        return (try PopulationByLookup(g, source: source, rows: t.rows, partnerships: csp).rows, councils)
    })

    @Test func everyNationalWardHasResidentsOrItsReasonAndTheTotalsAreTheLSOAs() throws {
        try RealData.require("national")
        let (rows, councils) = try Self.national.get()
        let wards = rows.filter { $0.layer == "ward" }
        // Every ward code of the 318 files: 7,589 features, 7,588 codes.
        #expect(wards.count == 7588 && Set(wards.map(\.code)).count == 7588)
        // The wards left without residents, with their reason, as the independent script lists them.
        let without = wards.filter { ($0.population ?? 0) == 0 }.map { "\($0.code) \(councils[$0.code] ?? "") \($0.method.rawValue)" }.sorted()
        #expect(without == WardResidentsReference.withoutResidents.map { "\($0.code) \($0.council) \($0.method)" })
        #expect(wards.filter { $0.method == .bestFitNone }.allSatisfy { $0.population == 0 && $0.note == PopulationRow.bestFitNoneNote })
        #expect(wards.filter { $0.method != .bestFitNone }.allSatisfy { $0.method == .bestFit && ($0.population ?? 0) > 0 && $0.note.isEmpty })
        // Totals: the residents file's, by ward, by council, by partnership and by force.
        for layer in ["ward", "la", "csp", "pfa"] {
            #expect(rows.filter { $0.layer == layer }.reduce(0) { $0 + ($1.population ?? 0) } == WardResidentsReference.total, "\(layer)")
        }
        var byCouncil: [String: Int] = [:]
        for r in rows where r.layer == "la" { byCouncil[r.code] = r.population }
        #expect(byCouncil == WardResidentsReference.councils)
    }

    @Test func theCityOfLondonsResidentsAreItsLSOAs() throws {
        try RealData.require("national")
        let (rows, councils) = try Self.national.get()
        let city = rows.filter { $0.layer == "ward" && councils[$0.code] == "E09000001" }
        #expect(city.count == 25)
        #expect(city.filter { $0.method == .bestFitNone }.count == 20)
        #expect(city.reduce(0) { $0 + ($1.population ?? 0) } == WardResidentsReference.cityOfLondon)
        #expect(rows.first { $0.layer == "la" && $0.code == "E09000001" }?.population == WardResidentsReference.cityOfLondon)
        #expect(rows.first { $0.layer == "csp" && $0.code == "E22000180" }?.population == WardResidentsReference.cityOfLondon)
    }
}
