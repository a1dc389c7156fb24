import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPClean

/// The Crime ID collisions csp flags in the shared archives equal an independent count. The literals are printed by
/// `python3 Tests/Reference/crime_id_collisions_reference.py`, which reads the raw street CSVs with Python's csv
/// module: a Crime ID collides when its rows (of any month of the run) differ in longitude, latitude, location, LSOA
/// code, crime type or last outcome; its distinct records are the rows kept and flagged; rows equal in all six are
/// duplicates. (No Crime ID of these archives appears in two months, so csp's month rule counts the same.)
@Suite(.serialized) struct CleanCollisionCountTests {
    /// (archive under realdata, street rows, colliding Crime IDs, flagged records, pairs, duplicates), from the script.
    static let expected: [(String, Int, Int, Int, Int, Int)] = [
        ("police-uk-archive", 182113, 54, 108, 54, 130),
        ("police-uk-city-of-london", 10118, 0, 0, 0, 0),
        ("national/police-uk", 316440, 759, 1555, 836, 87),
    ]

    @Test(arguments: expected)
    func flaggedCollisionsEqualTheIndependentCount(archive: (String, Int, Int, Int, Int, Int)) throws {
        let (folder, rows, ids, records, pairs, duplicates) = archive
        let data = try StageTestSupport.requireRealData(folder)
        let dir = StageTestSupport.temporaryFolder("collision-count"); defer { try? FileManager.default.removeItem(atPath: dir) }
        try CleanCollisionTests.cleanStreetFiles(name: "collision-count", area: "{name: England and Wales, la_code: K04000001}",
                                                 path: "\(data)/[0-9][0-9][0-9][0-9]-[0-9][0-9]/*-street.csv", in: dir)
        let clean = dir + "/out/collision-count/latest/02-clean"
        let m = try JSON.read(Manifest.self, from: clean + "/manifest.json")
        let ingest = try JSON.read(Manifest.self, from: dir + "/out/collision-count/latest/01-ingest/manifest.json")
        #expect(ingest.counts.inCount == rows && ingest.counts.rejected == 0)
        #expect(m.counts.duplicates == duplicates)
        #expect(m.counts.rejected == 0, "a collision is never a reject")
        let listed = StageTestSupport.csvRows(clean + "/collisions.csv").dropFirst()
        #expect(listed.count == records)
        var perKey: [String: Int] = [:]
        for r in listed { perKey[r[2]] = Int(r[8]) }
        #expect(perKey.count == ids)
        #expect(perKey.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 } == pairs)
        let crimes = StageTestSupport.csvRows(clean + "/crimes.csv")
        let flag = try #require(crimes[0].firstIndex(of: "crime_ref_collision"))
        #expect(crimes.dropFirst().filter { $0[flag] == "true" }.count == records)
    }
}
