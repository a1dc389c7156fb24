import CSPTestSupport
import CSPCore
import Foundation
import GRDB
import Testing
@testable import CSPNormalise

/// `crimes` is `UNIQUE(crime_ref) WHERE NOT crime_ref_collision`: rows that stage 2 flagged because the source gave
/// their Crime ID to several different records are all published; any other repeated crime_ref is still a duplicate.
@Suite struct NormaliseCollisionKeyTests {
    @Test func flaggedRowsShareACrimeRefOthersStayUnique() throws {
        let dir = StageTestSupport.temporaryFolder("normalise-collision"); defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: NormaliseTestSupport.root + "/03-geocode", toPath: dir + "/03-geocode")
        // The fixture's crimes with the flag column: C0002 given to another record (lines 2 and 3 flagged), and
        // C0001 repeated unflagged (the fixture's duplicate) as before.
        var rows = NormaliseTestSupport.rows(dir + "/03-geocode/crimes.csv")
        let at = rows[0].firstIndex(of: "extracted_date")! + 1
        for i in rows.indices { rows[i].insert(i == 0 ? "crime_ref_collision" : "false", at: at) }
        var second = rows[2]
        second[rows[0].firstIndex(of: "source_record")!] = "99"
        second[rows[0].firstIndex(of: "offence_description")!] = "Criminal damage to a vehicle"
        rows[2][at] = "true"; second[at] = "true"
        rows.insert(second, at: 3)
        let text = rows.map { $0.map { c in c.contains(where: { ",\"\n".contains($0) }) ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(toFile: dir + "/03-geocode/crimes.csv", atomically: true, encoding: .utf8)

        let r = try NormaliseTestSupport.run(geocode: dir + "/03-geocode")
        defer { r.cleanup() }
        let m = try JSON.read(Manifest.self, from: r.folder + "/manifest.json")
        // One row more than the fixture's (9 in, 5 out, 3 rejected, 1 duplicate): the flagged pair is published whole.
        #expect(m.sources["crimes"] == StageCounts(inCount: 10, out: 6, rejected: 3, duplicates: 1))
        let db = try NormaliseTestSupport.open(r.warehouse)
        try db.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM crimes WHERE crime_ref = 'C0002'") == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM crimes WHERE crime_ref = 'C0001'") == 1)
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'uq_crimes_crime_ref'") ?? ""
            #expect(sql.contains("UNIQUE") && sql.contains("WHERE") && sql.contains("crime_ref_collision"), "\(sql)")
        }
        let dictionary = StageTestSupport.read(r.folder + "/DICTIONARY.md")
        #expect(dictionary.contains("Keys: `id` INTEGER PRIMARY KEY, UNIQUE(`crime_ref`) WHERE NOT `crime_ref_collision`, UNIQUE(`source_file`, `source_record`)."))
        #expect(StageTestSupport.read(r.folder + "/duplicates.csv").contains("C0001"))
    }
}
