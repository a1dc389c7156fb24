import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPClean

/// Rows sharing a Crime ID that differ in crime type, place or (within a month) last outcome are ID collisions:
/// every one is kept and counted once, flagged `crime_ref_collision` and listed in `collisions.csv` with the other
/// line and the fields that differ; never rejected, never a duplicate. Only the same crime published again (same
/// type and place, a later month) is a duplicate. On a damaged copy of the real December 2023 street file.
@Suite struct CleanCollisionTests {
    /// Writes a pipeline of one data.police.uk street source (`path`, plus `extra` source keys) into `dir` and runs
    /// stages 1-2 on it into `dir/out`.
    static func cleanStreetFiles(name: String, area: String, path: String, extra: String = "", in dir: String) throws {
        let yaml = """
        name: \(name)
        area: \(area)
        sources:
          - id: street
            agency: police
            kind: police-uk-street
            format: csv
            path: "\(path)"
            \(extra)
            columns: {crime_id: Crime ID, month: Month, reported_by: Reported by, falls_within: Falls within, longitude: Longitude, latitude: Latitude, location: Location, lsoa_code: LSOA code, lsoa_name: LSOA name, crime_type: Crime type, last_outcome: Last outcome category, context: Context}
        reference:
          police_uk_categories: \(StageTestSupport.repositoryRoot)/Pipelines/reference/police-uk-categories.csv
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let pipeline = try PipelineLoader().load(path: dir + "/p.yaml")
        _ = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: dir + "/out"))
    }

    /// The fields of a plain CSV line (quoted fields with commas and doubled quotes; real street rows have no line breaks).
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false, chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 } else { quoted = false } } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else { cur.append(c) }
            i += 1
        }
        out.append(cur)
        return out
    }

    @Test func differentCrimesSharingAnIDAreKeptAndFlaggedNotRejectedNorDuplicates() throws {
        let real = try StageTestSupport.requireRealData("police-uk/2023-12/2023-12-bedfordshire-street.csv")
        let dir = StageTestSupport.temporaryFolder("collision"); defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/2023-12", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/2024-01", withIntermediateDirectories: true)
        var lines = try String(contentsOfFile: real, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        func cells(_ l: String) -> [String] { l.components(separatedBy: ",") }
        // Rows with a Crime ID and no quoted field (so a split on commas is exact).
        let plain = lines.indices.dropFirst().filter { !lines[$0].contains("\"") && !cells(lines[$0])[0].isEmpty }
        let victim = cells(lines[plain[0]])
        // Two other crimes (other types and places) given the first row's ID.
        var planted: [Int] = []
        for i in plain.dropFirst(100) where planted.count < 2 {
            var c = cells(lines[i])
            guard c[9] != victim[9], c[6] != victim[6] else { continue }
            c[0] = victim[0]
            lines[i] = c.joined(separator: ",")
            planted.append(i)
        }
        // The same place, month and outcome as the first row, another crime type: a collision, not a duplicate.
        let sameRow = plain[20]
        var same = victim
        same[9] = victim[9] == "Shoplifting" ? "Bicycle theft" : "Shoplifting"
        lines[sameRow] = same.joined(separator: ",")
        // Another row again with only its last outcome changed: a collision of one month.
        var outcomeOnly = cells(lines[plain[30]])
        outcomeOnly[10] = outcomeOnly[10] == "Under investigation" ? "Awaiting court outcome" : "Under investigation"
        lines.append(outcomeOnly.joined(separator: ","))
        // And one row repeated byte for byte: a duplicate.
        lines.append(lines[plain[40]])
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: dir + "/2023-12/2023-12-bedfordshire-street.csv", atomically: true, encoding: .utf8)
        // The same crime re-published in January with a later outcome: a duplicate.
        var again = cells(lines[plain[1]])
        again[1] = "2024-01"; again[10] = "Investigation complete; no suspect identified"
        try (lines[0] + "\r\n" + again.joined(separator: ",") + "\r\n").write(toFile: dir + "/2024-01/2024-01-bedfordshire-street.csv", atomically: true, encoding: .utf8)

        try Self.cleanStreetFiles(name: "collisions", area: "{name: Central Bedfordshire, la_code: E06000056}", path: "\(dir)/*/*-street.csv",
                                  extra: "max_reject_share: 0.01", in: dir)
        let clean = dir + "/out/collisions/latest/02-clean"

        // The independent count, on Strings over the raw lines: per Crime ID, the rows of its latest month; their
        // distinct (longitude, latitude, location, LSOA, crime type, outcome) are the records kept, the rest duplicates.
        var byID: [String: [(file: String, line: Int, month: String, details: [String])]] = [:]
        var rows = 0
        for file in ["2023-12/2023-12-bedfordshire-street.csv", "2024-01/2024-01-bedfordshire-street.csv"] {
            let raw = try String(contentsOfFile: dir + "/" + file, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            for (n, line) in raw.enumerated().dropFirst() {
                rows += 1
                let f = Self.fields(line)
                if f[0].isEmpty { continue }
                byID[f[0], default: []].append((file, n + 1, f[1], [f[4], f[5], f[6], f[7], f[9], f[10]]))
            }
        }
        var kept = 0, collided = Set<String>(), keyed = 0
        for (_, group) in byID {
            keyed += group.count
            let latest = group.map(\.month).max()!
            let distinct = Set(group.filter { $0.month == latest }.map { $0.details.joined(separator: "\u{0}") })
            kept += distinct.count
            if distinct.count > 1 {
                // The later line of each distinct record is the one kept.
                for d in distinct { let r = group.last { $0.month == latest && $0.details.joined(separator: "\u{0}") == d }!; collided.insert("\(r.file):\(r.line)") }
            }
        }
        // Planted: the victim with 2 other crimes, the same-place row, and the outcome-only pair.
        #expect(collided.count == 4 + 2, "independent count \(collided.count)")

        let listed = StageTestSupport.read(clean + "/collisions.csv").split(separator: "\n").dropFirst().map { Self.fields(String($0)) }
        #expect(Set(listed.map { "\(($0[3] as NSString).lastPathComponent.prefix(7))/\(($0[3] as NSString).lastPathComponent):\($0[4])" }) == collided)
        #expect(listed.filter { $0[2] == victim[0] }.count == 4 && listed.filter { $0[2] == victim[0] }.allSatisfy { $0[8] == "4" })
        let sameListed = listed.first { $0[4] == String(sameRow + 1) }
        #expect(sameListed?[7] == "offence_description", "the same-place row differs in its crime type only: \(String(describing: sameListed))")
        #expect(listed.contains { $0[2] == outcomeOnly[0] && $0[7] == "last_outcome" })

        let crimes = StageTestSupport.read(clean + "/crimes.csv").split(separator: "\n").map { Self.fields(String($0)) }
        let flag = crimes[0].firstIndex(of: "crime_ref_collision")!
        #expect(crimes.dropFirst().filter { $0[flag] == "true" }.count == collided.count)
        #expect(crimes.dropFirst().filter { $0[0] == victim[0] }.count == 4, "the victim and its three collisions are all published")

        let rejects = StageTestSupport.read(clean + "/rejects.csv")
        #expect(!rejects.contains("collision"), "a collision is never a reject")
        let duplicates = StageTestSupport.read(clean + "/duplicates.csv")
        #expect(duplicates.contains(again[0]), "the re-published crime is a duplicate")
        #expect(!duplicates.contains(victim[0]), "a collision is never filed as a duplicate")
        let m = try JSON.read(Manifest.self, from: clean + "/manifest.json")
        #expect(m.counts.inCount == rows)
        #expect(m.counts.duplicates == keyed - kept, "independent count of duplicates: \(keyed - kept)")
        #expect(m.counts.duplicates == 2)
        // Every row of the real file is valid: nothing is rejected, and the collisions keep the run under its 1% gate.
        #expect(m.counts.rejected == 0 && rejects.split(separator: "\n").count == 1)
        #expect(m.counts.out == rows - 2 && m.counts.balances)
    }
}
