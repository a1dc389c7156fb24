import CSPTestSupport
import Foundation
import Testing

/// The London Fire Brigade's real 2023 sample (10,000 incidents) through its source mapping
/// (`Pipelines/mappings/lfb-incidents.yaml`): counts balance, and the incidents csp places by their point fall in the
/// same May 2025 wards as an independent placement (`Tests/Reference/lfb_wards_reference.py`: its own CSV reading,
/// pyproj's BNG → WGS84 and shapely's point in polygon).
@Suite(.serialized) struct LFBMappingTests {
    /// Runs the LFB pipeline to stage 3 and returns its run folder.
    static func run(_ dir: TempDir) throws -> String {
        let data = try RealData.require("fire-lfb/lfb-incidents-2023-sample.csv")
        _ = data
        let r = try CLI.run(["run", "--pipeline", "Pipelines/lfb-london.yaml", "--set", "realdata=\(RealData.root)", "--until", "geocode", "--output", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The independent computation's JSON.
    static func reference() throws -> [String: Any] {
        try ReferenceScript.json("Tests/Reference/lfb_wards_reference.py",
                                 [try RealData.require("fire-lfb/lfb-incidents-2023-sample.csv"), try RealData.require("national/ward-wd25")])
    }

    @Test func everyIncidentAccountedForAndPlacedInTheWardsOfAnIndependentPointInPolygon() throws {
        let dir = TempDir("lfb")
        defer { dir.cleanup() }
        let run = try Self.run(dir)
        let truth = try Self.reference()
        // Counts balance, stage by stage: 10,000 in (the reference read them itself).
        let clean = StageTestSupport.csvRows(run + "/02-clean/fire_incidents.csv")
        let cleanRejects = StageTestSupport.csvRows(run + "/02-clean/rejects.csv").count - 1
        let geocoded = StageTestSupport.csvRows(run + "/03-geocode/fire_incidents.csv")
        let excluded = StageTestSupport.csvRows(run + "/03-geocode/excluded.csv").count - 1
        let records = truth["records"] as! Int
        #expect(records == 10_000)
        #expect(clean.count - 1 + max(cleanRejects, 0) == records, "stage 2: \(clean.count - 1) out + \(cleanRejects) rejected of \(records)")
        #expect(geocoded.count - 1 + max(excluded, 0) == clean.count - 1, "stage 3: \(geocoded.count - 1) out + \(excluded) excluded of \(clean.count - 1)")
        // Exact points where the LFB gives them, rounded ones otherwise, as the reference chose.
        let header = clean[0]
        let precision = header.firstIndex(of: "location_precision_m")!
        #expect(clean.dropFirst().filter { $0[precision] == "1" }.count == truth["exact"] as! Int)
        #expect(clean.dropFirst().filter { $0[precision] == "50" }.count == truth["rounded"] as! Int)
        // Per ward: the records csp placed by their point, against the reference's.
        let g = geocoded[0]
        let ward = g.firstIndex(of: "ward_code")!, method = g.firstIndex(of: "geocode_method")!
        var csp: [String: Int] = [:]
        for r in geocoded.dropFirst() where r[method] == "point" { csp[r[ward], default: 0] += 1 }
        let reference = truth["wards"] as! [String: Int]
        let differing = Set(csp.keys).union(reference.keys).map { abs((csp[$0] ?? 0) - (reference[$0] ?? 0)) }.reduce(0, +)
        let placed = reference.values.reduce(0, +)
        print("LFB: \(placed) placed by the reference, \(csp.values.reduce(0, +)) by csp's point method; per-ward differences sum to \(differing); no ward: \(truth["no_ward"]!)")
        #expect(placed > 9_900)
        #expect(Double(differing) <= 0.005 * Double(placed), "per-ward counts differ by \(differing) of \(placed)")
        // Points in no ward (the Thames) are placed by the LFB's own ward code, named as such.
        #expect(geocoded.dropFirst().filter { $0[method] == "ward_name" }.count == truth["no_ward"] as! Int)
    }
}
