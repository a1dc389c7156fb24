import CSPTestSupport
import CSPCore
import CSPCSV
import Foundation
import Testing
@testable import CSPGeocode

/// Checks of stage 3 against independent sources: the real ONS 2001 LSOA → 2008/2009 ward lookups (tests 1, 2) and
/// a shapely point-in-polygon count of the real data.police.uk street points (test 3, `Tests/Geocode/ward_counts.py`).
/// Each fails, naming the folder, when `../shared/realdata` (next to the repository) is absent (`RealData`); the
/// shapely check records an issue naming `pip install shapely` when python3 cannot import it (`make test` installs it).
@Suite(.serialized) struct GeocodeChecksTests {
    static var realData: String { StageTestSupport.sharedRealData }
    static var lookups: String { realData + "/ons-lookups" }

    /// The committed 2009 pipeline's geography (synthetic boundaries carrying the real WD09 codes; its LSOA 2001
    /// and old ward tables are `Fixtures/reference/lsoa01-wards.csv`) and a geocoder on it.
    static func geocoder() throws -> (Geography, Geocoder) {
        let dir = StageTestSupport.temporaryFolder("geocode-checks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try KeyFile.create(path: dir + "/fixture.key")
        let p = try PipelineLoader(overrides: ["key_file": dir + "/fixture.key"]).load(path: StageTestSupport.repositoryRoot + "/Pipelines/central-bedfordshire-2009.yaml")
        let g = try Geography(pipeline: p, inputs: StageInputs(stage: .geocode, declared: try GeocodeStage().declaredInputs(for: p)))
        return (g, Geocoder(geography: g, pipeline: p))
    }

    /// `LSOA01CD → (ward code, ward name)` of an ONS lookup, for the rows whose ward code has one of `prefixes`.
    static func onsLookup(_ file: String, ward: String, prefixes: [String]) throws -> [String: (String, String)] {
        let t = try Geography.csv(lookups + "/" + file, columns: ["LSOA01CD", ward + "CD", ward + "NM"])
        var m: [String: (String, String)] = [:]
        for r in t.rows where prefixes.contains(where: { r[1].hasPrefix($0) }) { m[r[0]] = (r[1], r[2]) }
        return m
    }


    // 1 ------------------------------------------------------------------------------------------------

    @Test
    func lsoaMethodReproducesTheONS2009WardOfAll154LSOAs() throws {
        let ons = try Self.onsLookup("LSOA01_to_WD09_lookup_EW.csv", ward: "WD09", prefixes: ["00KC"])
        #expect(ons.count == 154)
        let (g, geocoder) = try Self.geocoder()
        let wards = g.layers[0].areas.features
        var right = 0
        for (lsoa, (wd09, name)) in ons.sorted(by: { $0.key < $1.key }) {
            let h = geocoder.lsoa(lsoa, vintage: "2001")
            guard h.kind == .placed, h.method == .lsoa else { Issue.record("\(lsoa) (\(name)) was not placed by the lsoa method"); continue }
            let got = wards[h.ward]
            #expect(got.code == wd09, "\(lsoa): \(got.code) \(got.name), ONS says \(wd09) \(name)")
            #expect(!h.approximate, "\(lsoa): an LSOA named in the table is an exact placement")
            if got.code == wd09 { right += 1 }
        }
        #expect(right == 154, "\(right)/154 LSOAs in their ONS 2009 ward")
    }

    // 2 ------------------------------------------------------------------------------------------------

    @Test
    func oldWardOnlyRecordsLandInTheBestFitWardAndTheFiveSplitWardsAreFlagged() throws {
        // The expectation, from the two ONS lookups alone: old ward → 2009 ward → number of LSOAs.
        let wd08 = try Self.onsLookup("LSOA01_to_WD08_lookup_EW.csv", ward: "WD08", prefixes: ["09UC", "09UE"])
        let wd09 = try Self.onsLookup("LSOA01_to_WD09_lookup_EW.csv", ward: "WD09", prefixes: ["00KC"])
        var counts: [String: [String: Int]] = [:], names: [String: String] = [:]
        for (lsoa, (old, name)) in wd08 {
            let new = try #require(wd09[lsoa], "\(lsoa) of \(old) has no 2009 Central Bedfordshire ward")
            counts[old, default: [:]][new.0, default: 0] += 1
            names[old] = name
        }
        #expect(counts.count == 49)
        var best: [String: String] = [:]
        for (old, c) in counts {
            let top = c.values.max()!
            let leaders = c.filter { $0.value == top }.keys
            #expect(leaders.count == 1, "\(old): a tie for the best-fit ward (\(leaders.sorted()))")
            best[old] = leaders.min()!
        }
        let split = Set(counts.filter { $0.value.count > 1 }.keys)
        #expect(split.count == 5)
        #expect(Set(split.map { names[$0]! }) == ["Clifton and Meppershall", "Sandy Ivel", "Sandy Pinnacle", "Kensworth and Totternhoe",
                                                 "Houghton, Haynes, Southill and Old Warden"])

        // A made-up record carrying only the old ward code goes through the old_ward method.
        let (g, geocoder) = try Self.geocoder()
        let wards = g.layers[0].areas.features
        var flagged: Set<String> = [], right = 0
        for old in counts.keys.sorted() {
            let h = geocoder.oldWard(old)
            guard h.kind == .placed, h.method == .oldWard else { Issue.record("\(old) \(names[old]!) was not placed by the old_ward method"); continue }
            #expect(wards[h.ward].code == best[old], "\(old) \(names[old]!): \(wards[h.ward].code), best fit \(best[old]!)")
            #expect(Set(h.candidates.map { wards[$0].code }) == Set(counts[old]!.keys), "\(old): candidate wards")
            if wards[h.ward].code == best[old] { right += 1 }
            if h.approximate { flagged.insert(old) }
        }
        #expect(right == 49)
        #expect(flagged == split, "flagged \(flagged.sorted().map { "\($0) \(names[$0]!)" }), split \(split.sorted())")
    }

    // 3 ------------------------------------------------------------------------------------------------

    /// The street files the real-data pipeline reads (its globs: 2023-11, 2023-12, 2024-01 … 2024-04).
    static func streetFiles() throws -> [String] {
        let root = realData + "/police-uk"
        let months = ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
        return try months.flatMap { m -> [String] in
            let dir = root + "/" + m
            guard FileManager.default.fileExists(atPath: dir) else { return [] }
            return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("-street.csv") }.sorted().map { dir + "/" + $0 }
        }
    }

    /// Metres from a ward boundary within which a point may legitimately land in a different ward here and in
    /// shapely: the pipeline projects both the ward vertices and the point to the British National Grid
    /// (Helmert + Transverse Mercator) and tests straight edges there, while shapely tests straight edges in
    /// degrees; the two edge lines part by well under a metre, plus a point exactly on an edge.
    static let boundaryTolerance = 5.0

    @Test
    func realDataPerWardCountsEqualAShapelyComputation() throws {
        let wardsFile = Self.realData + "/ons-boundaries/ward_WD25_E06000056_central_bedfordshire.geojson"
        let files = try Self.streetFiles()
        #expect(files.count == 6)
        let script = StageTestSupport.repositoryRoot + "/Tests/Geocode/ward_counts.py"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, wardsFile] + files + ["--near", String(Self.boundaryTolerance)]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        do { try p.run() } catch { Issue.record("skipped: python3 cannot be run (\(error))"); return }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 3 || errText.contains("No module named 'shapely'") {
            Issue.record("skipped: shapely is not importable by python3 — `pip install shapely` (make test tries): \(errText)")
            return
        }
        try #require(p.terminationStatus == 0, "ward_counts.py failed: \(errText)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pyWards = (json["wards"] as? [String: Int] ?? [:]).filter { $0.value > 0 }
        let pyRecords = json["records"] as? [String: String] ?? [:]
        let near = json["near"] as? [String: Double] ?? [:]

        // Stage 3: every street row placed by the point method, by ward (street rows become crimes and ASB incidents).
        let r = try GeocodeRun.real.get()
        var swiftRecords: [String: String] = [:]
        for entity in ["crimes.csv", "asb_incidents.csv"] {
            let t = r.table(.geocode, entity)
            for row in t.rows where row[t.col("source_file")].hasSuffix("-street.csv") && row[t.col("geocode_method")] == "point" {
                let key = (row[t.col("source_file")] as NSString).lastPathComponent + "|" + row[t.col("source_record")]
                swiftRecords[key] = row[t.col("ward_code")]
            }
        }
        #expect(swiftRecords.count > 9_000, "\(swiftRecords.count) street rows placed by point")
        var swiftWards: [String: Int] = [:]
        for w in swiftRecords.values { swiftWards[w, default: 0] += 1 }

        // Record by record (file and line): the ones placed differently, or placed by only one side.
        let keys = Set(swiftRecords.keys).union(pyRecords.keys)
        let differing = keys.filter { swiftRecords[$0] != pyRecords[$0] }.sorted()
        let far = differing.filter { near[$0] == nil }
        #expect(far.isEmpty, "placed differently more than \(Self.boundaryTolerance) m from a ward boundary: \(far.prefix(20).map { "\($0): csp \(swiftRecords[$0] ?? "-"), shapely \(pyRecords[$0] ?? "-")" })")
        if !differing.isEmpty {
            // Documented tolerance: only near-boundary points may differ; report them.
            print("geocode check: \(differing.count) of \(keys.count) street points placed differently, all within \(Self.boundaryTolerance) m of a boundary: \(differing.prefix(20).map { "\($0) \(near[$0] ?? -1) m" })")
        }
        // Per ward: equal, up to the near-boundary points that moved in or out of that ward.
        var slack: [String: Int] = [:]
        for k in differing where near[k] != nil {
            if let w = swiftRecords[k] { slack[w, default: 0] += 1 }
            if let w = pyRecords[k] { slack[w, default: 0] += 1 }
        }
        for w in Set(swiftWards.keys).union(pyWards.keys).sorted() {
            let a = swiftWards[w] ?? 0, b = pyWards[w] ?? 0
            #expect(abs(a - b) <= slack[w] ?? 0, "\(w): csp \(a), shapely \(b)")
        }
        #expect(swiftWards.values.reduce(0, +) == swiftRecords.count)
        // On the current data nothing differs: 9,382 points (79 of them within 5 m of a boundary), equal per ward and per record.
        print("geocode check: \(swiftRecords.count) street points by point, \(swiftWards.count) wards, \(differing.count) differ from shapely (\(near.count) within \(Self.boundaryTolerance) m of a boundary)")
    }
}
