import CSPTestSupport
import CSPPipeline
import CSPCore
import CSPCSV
import Foundation
import Testing
@testable import CSPGeocode

/// The committed fixtures (and, when present, the real data.police.uk files) run through stages 1–3 once.
final class GeocodeRun: @unchecked Sendable {
    static let fixtures = Result { try GeocodeRun(pipeline: "/Pipelines/central-bedfordshire-2009.yaml", key: true) }
    static let real = Result { try GeocodeRun(pipeline: "/Pipelines/police-uk-central-bedfordshire.yaml", key: false) }

    let layout: RunLayout
    let runID: String
    let expected: [String: Int]
    private let tables = FixtureTableCache()

    init(pipeline path: String, key: Bool) throws {
        let out = StageTestSupport.temporaryFolder("geocode-run")
        var overrides: [String: String] = [:]
        if key {
            overrides["key_file"] = out + "/fixture.key"
            _ = try KeyFile.create(path: out + "/fixture.key")
        } else {
            // The six months of realdata/police-uk/ (2023-11 to 2024-04, the files the shapely check reads), as a
            // folder of month folders: the pipeline reads every month under police_uk (2018-10 there is another vintage).
            let real = try StageTestSupport.requireRealData()
            overrides["realdata"] = real
            overrides["police_uk"] = out + "/months"
            try FileManager.default.createDirectory(atPath: out + "/months", withIntermediateDirectories: true)
            for m in ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"] {
                try FileManager.default.createSymbolicLink(atPath: out + "/months/" + m, withDestinationPath: try StageTestSupport.requireRealData("police-uk/" + m))
            }
        }
        let pipeline = try PipelineLoader(overrides: overrides).load(path: StageTestSupport.repositoryRoot + path)
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.geocode), logger: StageTestSupport.logger).run(RunRequest(output: out))
        layout = RunLayout(output: out, pipeline: pipeline.name)
        runID = summary.runID
        expected = key ? try FixtureTable.plantedQuirks() : [:]
    }

    func table(_ stage: StageID, _ name: String) -> FixtureTable { tables.table(layout.stage(stage, run: runID) + "/" + name) }

    func manifest(_ stage: StageID) throws -> Manifest { try JSON.read(Manifest.self, from: layout.stage(stage, run: runID) + "/manifest.json") }

    /// Excluded rows of stage 3 by lineage → rule.
    var excludedRules: [String: String] {
        let t = table(.geocode, "excluded.csv")
        return Dictionary(t.rows.map { ("\($0[t.col("source_file")])|\($0[t.col("source_record")])", $0[t.col("rule")]) }, uniquingKeysWith: { a, _ in a })
    }
}

@Suite(.serialized) struct GeocodeFixtureTests {
    var run: GeocodeRun { get throws { try GeocodeRun.fixtures.get() } }
    static let outside = ["09UD", "00KB", "00KA"]
    static func isOutside(_ s: String) -> Bool { outside.contains { s.uppercased().trimmingCharacters(in: .whitespaces).hasPrefix($0) } }
    static func lineage(_ t: FixtureTable, _ row: [String]) -> String { "\(row[t.col("source_file")])|\(row[t.col("source_record")])" }

    /// Each entity's counts against the files themselves: `in` is the records of stage 2's file, `out` those of stage
    /// 3's, `excluded` its rows of excluded.csv (by lineage); stage 3 rejects and dedupes nothing.
    @Test func countsAreTheFilesRecordsForEveryEntity() throws {
        let r = try run
        let m = try r.manifest(.geocode)
        #expect(m.counts.rejected == 0 && m.counts.duplicates == 0)
        let excluded = r.table(.geocode, "excluded.csv")
        let entities = try FileManager.default.contentsOfDirectory(atPath: r.layout.stage(.clean, run: r.runID))
            .filter { $0.hasSuffix(".csv") && !["rejects.csv", "duplicates.csv", "coverage.csv"].contains($0) }
        #expect(Set(m.sources.keys) == Set(entities.map { String($0.dropLast(4)) }))
        var total = 0
        for file in entities {
            let entity = String(file.dropLast(4)), c = try #require(m.sources[entity])
            let before = r.table(.clean, file).rows.count, after = r.table(.geocode, file).rows.count
            let lineages = Set(r.table(.clean, file).rows.map { Self.lineage(r.table(.clean, file), $0) })
            let out = excluded.rows.filter { lineages.contains(Self.lineage(excluded, $0)) }.count
            #expect((c.inCount, c.out, c.excluded) == (before, after, out), "\(entity)")
            #expect(before == after + out, "\(entity): every record of stage 2 is placed or excluded")
            total += before
        }
        #expect(m.counts.inCount == total)
    }

    /// (quirk, stage 1 file, stage 2 entity, lineage prefix): the out-of-area quirks are rows whose ward or district is Bedford's or Luton's.
    @Test(arguments: [
        ("crimes.out_of_area", "police-crimes.csv", "crimes.csv", "police/crimes/"),
        ("asb.out_of_area", "police-asb.csv", "asb_incidents.csv", "police/asb/"),
        ("fire_legacy.out_of_area", "fire-legacy.csv", "fire_incidents.csv", "fire/legacy_"),
        ("fire_irs.out_of_area", "fire-irs.csv", "fire_incidents.csv", "fire/irs_"),
    ])
    func everyOutOfAreaQuirkIsExcludedOutOfArea(quirk: String, ingest: String, entity: String, prefix: String) throws {
        let r = try run
        let raw = r.table(.ingest, ingest)
        let districtCol = raw.has("district") ? raw.col("district") : nil
        let planted = raw.rows.filter { row in Self.isOutside(row[raw.col("ward")]) || (districtCol.map { Self.isOutside(row[$0]) } ?? false) }
        #expect(planted.count == r.expected[quirk], "stage 1 holds the planted rows")
        let clean = r.table(.clean, entity)
        let dcol = clean.header.firstIndex(of: "district_code")
        let kept = clean.rows.filter { row in Self.lineage(clean, row).contains(prefix) && (Self.isOutside(row[clean.col("ward_text")]) || Self.isOutside(row[clean.col("ward_reported_code")]) || (dcol.map { Self.isOutside(row[$0]) } ?? false)) }
        // Stage 2 keeps every planted row except duplicates and rejects (computed, not assumed).
        let dropped = planted.count - kept.count
        let issues = r.table(.clean, "rejects.csv").rows.count + ((try? r.table(.clean, "duplicates.csv").rows.count) ?? 0)
        #expect(dropped >= 0 && dropped <= issues)
        let excluded = r.excludedRules
        // With a location (point or ward): out of area. Without any (also a crimes.no_location row): no location.
        var outOfArea = 0, noLocation = 0
        for row in kept {
            let rule = excluded[Self.lineage(clean, row)]
            let hasLocation = !row[clean.col("easting")].isEmpty || !row[clean.col("ward_text")].isEmpty
            #expect(rule == (hasLocation ? "geocode.out-of-area" : "geocode.no-location"), "\(Self.lineage(clean, row))")
            if hasLocation { outOfArea += 1 } else { noLocation += 1 }
        }
        let expectedCounts: [String: (Int, Int)] = ["crimes.out_of_area": (527, 2), "asb.out_of_area": (311, 0), "fire_legacy.out_of_area": (93, 0), "fire_irs.out_of_area": (11, 0)]
        #expect((outOfArea, noLocation) == expectedCounts[quirk]!, "\(quirk): \(outOfArea) out of area, \(noLocation) no location")
    }

    @Test func inAreaRowsExcludedOutOfAreaAreExactlyThosePointedIntoLutonOrBedford() throws {
        let r = try run
        let excluded = r.table(.geocode, "excluded.csv")
        var byEntity: [String: Int] = [:]
        for row in excluded.rows where row[excluded.col("rule")] == "geocode.out-of-area" {
            let m = row[excluded.col("message")]
            if m.contains("by method point") { #expect(m.contains("Luton E06000032") || m.contains("Bedford E06000055"), "\(m)") }
            let f = row[excluded.col("source_file")]
            byEntity[f.contains("police/crimes/") ? "crimes" : f.contains("police/asb/") ? "asb" : "fire", default: 0] += 1
        }
        // Out of area: the planted rows with a location (527 + 311 + 93 + 11) plus in-area rows whose point lies
        // in a Luton or Bedford cell of the synthetic boundaries (Caddington's scatter reaches Dallow): 31 crimes, 26 ASB, 19 fires.
        #expect(byEntity == ["crimes": 558, "asb": 337, "fire": 123])
        let m = try r.manifest(.geocode)
        #expect(m.sources["crimes"]?.excluded == 527 + 31 + 177)
        #expect(m.sources["asb_incidents"]?.excluded == 311 + 26 + 254)
        #expect(m.sources["fire_incidents"]?.excluded == 104 + 19)
    }

    @Test(arguments: [
        ("crimes.no_location", "crimes.csv", "police/crimes/", 177),
        ("asb.no_location", "asb_incidents.csv", "police/asb/", 254),
    ])
    func noLocationQuirksAreExcludedNoLocation(quirk: String, entity: String, prefix: String, count: Int) throws {
        let r = try run
        let clean = r.table(.clean, entity)
        let blank = clean.rows.filter { Self.lineage(clean, $0).contains(prefix) && $0[clean.col("easting")].isEmpty && $0[clean.col("northing")].isEmpty && $0[clean.col("ward_text")].isEmpty }
        #expect(blank.count == count && count == r.expected[quirk], "every planted row reaches stage 2")
        let excluded = r.excludedRules
        #expect(blank.allSatisfy { excluded[Self.lineage(clean, $0)] == "geocode.no-location" })
        #expect(excluded.values.filter { $0 == "geocode.no-location" }.count >= count)
        // Rows without coordinates but with a ward (crimes.no_coordinates, asb.no_coordinates) are placed by their ward.
        let wardOnly = clean.rows.filter { Self.lineage(clean, $0).contains(prefix) && $0[clean.col("easting")].isEmpty && !$0[clean.col("ward_reported_code")].isEmpty && !Self.isOutside($0[clean.col("ward_reported_code")]) }
        #expect(!wardOnly.isEmpty)
        #expect(wardOnly.allSatisfy { excluded[Self.lineage(clean, $0)] == nil })
        let out = r.table(.geocode, entity)
        let methods = Dictionary(grouping: out.rows.filter { $0[out.col("easting")].isEmpty }, by: { $0[out.col("geocode_method")] }).mapValues(\.count)
        #expect(methods.keys.allSatisfy { $0 == "old_ward" || $0 == "ward_name" })
        #expect(methods.values.reduce(0, +) == wardOnly.count)
    }

    @Test func dunstableTownCentreViolenceLandsInTheTownCentrePlace() throws {
        let r = try run
        let t = r.table(.geocode, "crimes.csv")
        let inCentre = t.rows.filter {
            guard let e = Int($0[t.col("easting")]), let n = Int($0[t.col("northing")]) else { return false }
            return abs(e - 502000) <= 250 && abs(n - 222000) <= 250
        }
        let violence = inCentre.filter { ["wounding", "common_assault"].contains($0[t.col("offence_group")]) }
        #expect(violence.count > 300)
        #expect(inCentre.allSatisfy { $0[t.col("place_code")] == "PL01" && $0[t.col("place_name")] == "Dunstable town centre" && $0[t.col("geocode_method")] == "point" })
        #expect(inCentre.allSatisfy { $0[t.col("town_name")] == "Dunstable" && $0[t.col("la_code")] == "E06000056" })
    }

    @Test func victimsAndOffendersFollowTheirCrime() throws {
        let r = try run
        let crimes = r.table(.geocode, "crimes.csv")
        let kept = Dictionary(crimes.rows.map { ($0[crimes.col("crime_ref")], $0[crimes.col("ward_code")]) }, uniquingKeysWith: { a, _ in a })
        let excluded = r.excludedRules
        for entity in ["victims", "offenders"] {
            let clean = r.table(.clean, entity + ".csv"), out = r.table(.geocode, entity + ".csv")
            #expect(out.rows.allSatisfy { kept[$0[out.col("crime_ref")]] == $0[out.col("ward_code")] })
            let dropped = clean.rows.filter { kept[$0[clean.col("crime_ref")]] == nil }
            #expect(dropped.allSatisfy { excluded[Self.lineage(clean, $0)] == "geocode.crime-out-of-scope" })
            #expect(out.rows.count + dropped.count == clean.rows.count)
        }
    }

    @Test func referenceOutputsCoverEveryLayerAndThePopulation() throws {
        let r = try run
        let areas = r.table(.geocode, "areas.csv"), pop = r.table(.geocode, "population.csv")
        let layers = Set(areas.rows.map { $0[0] })
        #expect(layers == ["ward", "ward08", "snt", "town", "place", "la"])
        let wardTotal = pop.rows.filter { $0[0] == "ward" }.compactMap { Int($0[2]) }.reduce(0, +)
        #expect(wardTotal == r.expected["reference.population"] ?? 254849)
        #expect(pop.rows.contains { $0[0] == "la" && $0[1] == "E06000056" && Int($0[2]) == wardTotal })
        // Each SNT area's population as `Tests/Reference/snt_population_reference.py` shares the wards' populations by
        // exact area (shapely): every 2009 ward lies wholly in one SNT area or none, so the figures are whole people.
        let snt = Dictionary(pop.rows.filter { $0[0] == "snt" }.map { ($0[1], Int($0[2]) ?? -1) }, uniquingKeysWith: { a, _ in a })
        #expect(snt == ["SNT01": 14892, "SNT02": 23186, "SNT03": 23172, "SNT04": 14582, "SNT05": 16088, "SNT06": 6481, "SNT07": 8753,
                        "SNT08": 15596, "SNT09": 4859, "SNT10": 8514, "SNT11": 8279, "SNT12": 9898, "SNT13": 8055, "SNT14": 8281,
                        "SNT15": 8423, "SNT16": 9731, "SNT17": 6739, "SNT18": 8113, "SNT19": 8183, "SNT20": 8050, "SNT21": 11783,
                        "SNT22": 6983, "SNT23": 11299])
    }
}

@Suite(.serialized)
struct GeocodeRealDataTests {
    @Test func streetFilesThroughStagesOneToThree() throws {
        let r = try GeocodeRun.real.get()
        let m = try r.manifest(.geocode)
        #expect(m.counts.balances)
        for (entity, c) in m.sources { #expect(c.balances, "\(entity)") }
        let crimes = try #require(m.sources["crimes"])
        // Most Bedfordshire Police rows are in Bedford or Luton.
        let excluded = r.table(.geocode, "excluded.csv")
        let streetOut = excluded.rows.filter { $0[excluded.col("source_file")].hasSuffix("-street.csv") && $0[excluded.col("rule")] == "geocode.out-of-area" }
        let luton = streetOut.filter { $0[excluded.col("message")].contains("Luton") }.count
        let bedford = streetOut.filter { $0[excluded.col("message")].contains("Bedford E06000055") }.count
        #expect(Double(streetOut.count) / Double(crimes.inCount + (m.sources["asb_incidents"]?.inCount ?? 0)) > 0.6)
        #expect(luton > 10_000 && bedford > 8_000)
        // Points agree with their published LSOA's ward (the ward holding most of the LSOA) in over 92% of rows.
        let t = r.table(.geocode, "crimes.csv")
        let withLSOA = t.rows.filter { !$0[t.col("lsoa_code")].isEmpty && $0[t.col("geocode_method")] == "point" }
        let disagree = withLSOA.filter { $0[t.col("geocode_disagreement")] == "lsoa" }.count
        let agreement = 1 - Double(disagree) / Double(withLSOA.count)
        #expect(agreement > 0.92, "agreement \(agreement)")
        #expect(t.rows.allSatisfy { $0[t.col("la_code")] == "E06000056" })
    }
}
