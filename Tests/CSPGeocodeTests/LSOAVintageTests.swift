import CSPTestSupport
import CSPPipeline
import CSPCore
import CSPCSV
import Foundation
import Testing
@testable import CSPGeocode

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

/// Files of both LSOA vintages in one run: a months folder of links holding `police-uk/2018-10` (2011 codes, LF line
/// endings) beside two archive months (2021 codes), through stages 1–3 of the real-data pipeline.
@Suite struct MixedVintageRunTests {
    @Test func bothVintagesInOneRunAreDecidedPerRecordAndRecorded() throws {
        let real = try StageTestSupport.requireRealData()
        let dir = StageTestSupport.temporaryFolder("mixed-vintages"); defer { try? FileManager.default.removeItem(atPath: dir) }
        let months = dir + "/months"
        try FileManager.default.createDirectory(atPath: months, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: months + "/2018-10", withDestinationPath: real + "/police-uk/2018-10")
        for m in ["2023-11", "2023-12"] {
            try FileManager.default.createSymbolicLink(atPath: months + "/" + m, withDestinationPath: real + "/police-uk-archive/" + m)
        }
        let pipeline = try PipelineLoader(overrides: ["realdata": real, "police_uk": months])
            .load(path: StageTestSupport.repositoryRoot + "/Pipelines/police-uk-central-bedfordshire.yaml")
        _ = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.geocode), logger: StageTestSupport.logger)
            .run(RunRequest(output: dir + "/out"))
        let crimes = dir + "/out/\(pipeline.name)/latest/03-geocode/crimes.csv"
        let reader = try CSVReader(path: crimes)
        let month = try #require(reader.header.firstIndex(of: "month")), vintage = try #require(reader.header.firstIndex(of: "lsoa_vintage"))
        var byMonth: [String: [String: Int]] = [:]
        while let r = reader.next() { byMonth[r.fields[month], default: [:]][r.fields[vintage], default: 0] += 1 }
        // The placed crimes of each month by vintage, as `Tests/Reference/lsoa_vintage_reference.py` counts them from the
        // raw files (shapely point in polygon, the ONS lookup read in Python): October 2018 carries 2011 codes, some
        // only 2011 (split or merged in 2021), the rest unchanged, never a 2021-only code; the archive months carry
        // 2021 codes, some only 2021, never a retired 2011 code; every record has a vintage (none is blank).
        //   python3 Tests/Reference/lsoa_vintage_reference.py ../shared/realdata ../shared/realdata/police-uk/2018-10/*street.csv \
        //     ../shared/realdata/police-uk-archive/2023-1[12]/*street.csv
        #expect(byMonth == ["2018-10": ["2011": 253, "2011=2021": 1549], "2023-11": ["2011=2021": 1183, "2021": 166],
                            "2023-12": ["2011=2021": 1050, "2021": 153]])
    }
}
