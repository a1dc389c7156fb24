import CSPCore
import Foundation
import Testing
@testable import CSPStages

/// Each record's LSOA vintage is decided from its code through `geography.lsoa_vintages` (the ONS LSOA11 → LSOA21
/// lookup of `realdata/national/lookups`, Windows-1252), so files of both vintages are read in one run.
@Suite struct LSOAVintageTests {
    static func geocoder() throws -> Geocoder {
        let real = try StageTestSupport.requireRealData()
        let p = try PipelineLoader(overrides: ["realdata": real]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        let g = try Geography(pipeline: p, inputs: StageInputs(stage: .geocode, declared: try GeocodeStage().declaredInputs(for: p)))
        return Geocoder(geography: g, pipeline: p)
    }

    @Test func aCodeOfOneVintageDecidesItAndAnUnchangedCodeIsBoth() throws {
        let g = try Self.geocoder()
        // Central Bedfordshire 006C was split in 2021 (change type S) into 006E, 006F, 006G.
        #expect(g.vintage(ofCode: "E01017389")?.recorded == "2011")
        #expect(g.vintage(ofCode: "E01033808")?.recorded == "2021")
        // Central Bedfordshire 001A is unchanged (U): the same area in both.
        #expect(g.vintage(ofCode: "E01017354")?.recorded == "2011=2021")
        #expect(g.vintage(ofCode: "E01017354")?.lookup == "2021")
        #expect(g.vintage(ofCode: "E99999999") == nil)
    }

    @Test func bothVintagesArePlacedInTheirOwnLookup() throws {
        let g = try Self.geocoder()
        // The 2011 code is placed through the LSOA11 boundaries, the 2021 codes it became through the LSOA21 ones:
        // all in the same ward, since the split stays inside the old LSOA.
        let old = g.lsoa("E01017389", vintage: "auto")
        #expect(old.kind == .placed)
        let new = ["E01033808", "E01033809", "E01033810"].map { g.lsoa($0, vintage: "auto") }
        #expect(new.allSatisfy { $0.kind == .placed })
        #expect(g.lsoa("E01017389", vintage: "2021").kind == .miss, "a retired 2011 code is not a 2021 LSOA")
        // Outside the area: an Aylesbury Vale 2011 code of the 2018-10 file is out of area, not unknown.
        #expect(g.lsoa("E01017716", vintage: "auto").kind == .outside)
    }
}
