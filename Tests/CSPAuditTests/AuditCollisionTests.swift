import CSPTestSupport
import CSPCore
import Foundation
import Testing
@testable import CSPAudit

/// `csp audit` checks stage 2's `collisions.csv` against the flagged rows of the entity files.
@Suite struct AuditCollisionTests {
    func findings(crimes: String, collisions: String) throws -> [AuditFinding] {
        let dir = StageTestSupport.temporaryFolder("audit-collisions"); defer { try? FileManager.default.removeItem(atPath: dir) }
        try crimes.write(toFile: dir + "/crimes.csv", atomically: true, encoding: .utf8)
        try collisions.write(toFile: dir + "/collisions.csv", atomically: true, encoding: .utf8)
        let outputs = [Manifest.FileEntry(path: "crimes.csv", sha256: "", bytes: 0, rows: nil, role: "dataset"),
                       Manifest.FileEntry(path: "collisions.csv", sha256: "", bytes: 0, rows: nil, role: "collisions")]
        let m = Manifest(stage: .clean, runID: "r", status: "succeeded", started: "", finished: "", toolVersion: "", configHash: "",
                         inputs: [], outputs: outputs, counts: StageCounts(), sources: [:])
        let pipeline = try PipelineLoader().load(path: StageTestSupport.repositoryRoot + "/Fixtures/tests/clean/pipeline.yaml")
        var found: [AuditFinding] = []
        RunAuditor(pipeline: pipeline, layout: RunLayout(output: dir, pipeline: "p")).checkCollisions(m, in: dir) { ok, kind, location, message in
            if !ok { found.append(AuditFinding(check: kind, location: location, message: message())) }
        }
        return found
    }

    static let crimes = "crime_ref,month,crime_ref_collision,source_file,source_record\nA,2024-01,true,f.csv,2\nA,2024-01,true,f.csv,3\nB,2024-01,false,f.csv,4\n"
    static let header = "entity,key_column,key,source_file,source_record,other_source_file,other_source_record,differing_fields,records_with_key\n"

    @Test func listedAndFlaggedAgree() throws {
        let list = Self.header + "crimes,crime_ref,A,f.csv,2,f.csv,3,last_outcome,2\ncrimes,crime_ref,A,f.csv,3,f.csv,2,last_outcome,2\n"
        #expect(try findings(crimes: Self.crimes, collisions: list).isEmpty)
    }

    @Test(arguments: [
        "crimes,crime_ref,A,f.csv,2,f.csv,3,last_outcome,2\n",                                                   // a flagged row not listed
        "crimes,crime_ref,A,f.csv,2,f.csv,3,last_outcome,2\ncrimes,crime_ref,A,f.csv,4,f.csv,2,last_outcome,2\n", // an unflagged row listed
        "",                                                                                                       // none listed
    ])
    func aMismatchIsAFinding(rows: String) throws {
        let f = try findings(crimes: Self.crimes, collisions: Self.header + rows)
        #expect(f.count == 1 && f.first?.check == "collisions" && f.first?.location == "02-clean/crimes.csv", "\(f)")
    }
}
