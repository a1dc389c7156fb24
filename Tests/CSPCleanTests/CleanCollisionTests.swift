import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPClean

/// Rows sharing a Crime ID with a different crime type or place are ID collisions, rejected with their own rule
/// and a warning; only the same crime published again (same type and place, a later month) is a duplicate.
/// On a damaged copy of the real December 2023 street file.
@Suite struct CleanCollisionTests {
    @Test func differentCrimesSharingAnIDAreCollisionsNotDuplicates() throws {
        let real = try StageTestSupport.requireRealData("police-uk/2023-12/2023-12-bedfordshire-street.csv")
        let dir = StageTestSupport.temporaryFolder("collision"); defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/2023-12", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/2024-01", withIntermediateDirectories: true)
        var lines = try String(contentsOfFile: real, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        func cells(_ l: String) -> [String] { l.components(separatedBy: ",") }
        // Rows with a Crime ID and no quoted field (so a split on commas is exact).
        let plain = lines.indices.dropFirst().filter { !lines[$0].contains("\"") && !cells(lines[$0])[0].isEmpty }
        let victim = cells(lines[plain[0]])[0]
        // Three other crimes (other types and places) given the first row's ID.
        var changed = 0
        for i in plain.dropFirst() where changed < 3 {
            var c = cells(lines[i])
            guard c[9] != cells(lines[plain[0]])[9] else { continue }
            c[0] = victim
            lines[i] = c.joined(separator: ",")
            changed += 1
        }
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: dir + "/2023-12/2023-12-bedfordshire-street.csv", atomically: true, encoding: .utf8)
        // The same crime re-published in January with a later outcome: a duplicate.
        var again = cells(lines[plain[1]])
        let republished = again[0]
        again[1] = "2024-01"; again[10] = "Investigation complete; no suspect identified"
        try (lines[0] + "\r\n" + again.joined(separator: ",") + "\r\n").write(toFile: dir + "/2024-01/2024-01-bedfordshire-street.csv", atomically: true, encoding: .utf8)

        let yaml = """
        name: collisions
        area: {name: Central Bedfordshire, la_code: E06000056}
        sources:
          - id: street
            agency: police
            kind: police-uk-street
            format: csv
            path: \(dir)/*/*-street.csv
            max_reject_share: 0.5
            columns: {crime_id: Crime ID, month: Month, reported_by: Reported by, falls_within: Falls within, longitude: Longitude, latitude: Latitude, location: Location, lsoa_code: LSOA code, lsoa_name: LSOA name, crime_type: Crime type, last_outcome: Last outcome category, context: Context}
        reference:
          police_uk_categories: \(StageTestSupport.repositoryRoot)/Pipelines/reference/police-uk-categories.csv
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let pipeline = try PipelineLoader().load(path: dir + "/p.yaml")
        _ = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: dir + "/out"))
        let clean = dir + "/out/collisions/latest/02-clean"
        let rejects = StageTestSupport.read(clean + "/rejects.csv")
        let collided = rejects.components(separatedBy: "\n").filter { $0.contains("clean.id-collision.crime_ref") }
        #expect(collided.count == 3, "\(collided)")
        #expect(collided.allSatisfy { $0.contains(victim) })
        let duplicates = StageTestSupport.read(clean + "/duplicates.csv")
        #expect(duplicates.contains(republished), "the re-published crime is a duplicate")
        #expect(!duplicates.contains(victim), "a collision is never filed as a duplicate")
        let m = try JSON.read(Manifest.self, from: clean + "/manifest.json")
        #expect(m.counts.rejected == 3 + (m.counts.rejected - 3) && m.counts.balances)
    }
}
