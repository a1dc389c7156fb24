import CSPTestSupport
import CSPPipeline
import CSPCore
@testable import CSPStorage
import Foundation
import Testing
@testable import CSPClean

/// Stage 2 has a byte-level fast path (data.police.uk street rows) beside the general String path, and finds
/// duplicates in memory or through partition files: every combination must write exactly the same files.
@Suite struct CleanPathsTests {
    static let tunings: [(String, CleanTuning)] = [
        ("fast path, dedupe in memory", CleanTuning()),
        ("general path, dedupe spilled", CleanTuning(dedupeMemoryRows: 0, dedupePartitions: 3, useFastPath: false)),
        ("fast path, dedupe spilled", CleanTuning(dedupeMemoryRows: 2, dedupePartitions: 5, useFastPath: true)),
        ("general path, dedupe in memory", CleanTuning(useFastPath: false)),
    ]

    /// Runs stages 1 and 2 of `pipelinePath`; returns the clean folder's CSV files by name.
    func run(_ pipelinePath: String, tuning: CleanTuning, overrides: [String: String] = [:]) throws -> [String: String] {
        let out = StageTestSupport.temporaryFolder("clean-paths")
        defer { try? FileManager.default.removeItem(atPath: out) }
        var overrides = overrides
        if let key = overrides["key_file"] {
            try FileManager.default.copyItem(atPath: key, toPath: out + "/test.key")
            chmod(out + "/test.key", 0o600)
            overrides["key_file"] = out + "/test.key"
        }
        let pipeline = try PipelineLoader(overrides: overrides).load(path: pipelinePath)
        let summary = try PipelineRunner(pipeline: pipeline, stages: [Stages.implementation(.ingest)!, CleanStage(tuning: tuning)], logger: StageTestSupport.logger)
            .run(RunRequest(output: out))
        let dir = RunLayout(output: out, pipeline: pipeline.name).stage(.clean, run: summary.runID)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            #expect(!name.hasPrefix("."), "scratch file \(name) left behind")
            if name.hasSuffix(".csv") { files[name] = StageTestSupport.read(dir + "/" + name) }
        }
        // Stage 1's rejects too, under their folder's name (no golden file has that name).
        let ingestRejects = RunLayout(output: out, pipeline: pipeline.name).stage(.ingest, run: summary.runID) + "/rejects.csv"
        if FileManager.default.fileExists(atPath: ingestRejects) { files["01-ingest/rejects.csv"] = StageTestSupport.read(ingestRejects) }
        return files
    }

    /// Records of a CSV text after its header: line feeds outside quoted fields, less one.
    static func records(_ text: String?) -> Int {
        guard let text else { return 0 }
        var quoted = false, lines = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") { quoted.toggle() } else if b == UInt8(ascii: "\n") && !quoted { lines += 1 }
        }
        return max(0, lines - 1)
    }

    @Test func goldenFilesWhicheverPath() throws {
        let root = CleanStageTests.root
        let expected = try FileManager.default.contentsOfDirectory(atPath: root + "/expected").filter { $0.hasSuffix(".csv") }
        for (name, tuning) in Self.tunings {
            let files = try run(root + "/pipeline.yaml", tuning: tuning, overrides: ["key_file": root + "/keys/test.key"])
            for file in expected {
                #expect(files[file] == StageTestSupport.read(root + "/expected/" + file), "\(file) differs from the golden file with \(name)")
            }
        }
    }

    /// Untidy data.police.uk rows: every layout of month and coordinates, crime types in any case and spacing,
    /// non-ASCII spaces, quoted fields, blank and repeated Crime IDs (also differing only by spaces or case).
    static func messyStreetFile(rows: Int, seed: UInt64) -> String {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        func pick(_ values: [String], usually: String) -> String { next() % 10 < 3 ? values[next() % values.count] : usually }
        let months = ["2009-01", " 2009-01 ", "2009-1", "2009-01-15", "01/01/2009", "2009-13", "", "2009-02", "2009-02\t", "garbage", "0000-01", "2009-02T10:00"]
        let lons = ["-0.5", "0.1", "-9.0", "2.5", "2.5000000000000000001", "-9.00000000000000001", "-9.0000001", "2.6", "+0.5", " -0.45", "1e-1", "nan",
                    "inf", ".5", "5.", "", "abc", "-0.4\u{A0}", "-0.123456789012345678901", "-0.1234567890123456", "00000000000000000000.5", "-0.0", "１.5"]
        let lats = ["52.0", "49.0", "61.5", "61.50000000000000001", "48.9999999999999999999", "", "52,1", "1e1", " 52.5\t", "5.2e1"]
        let types = ["Burglary", "burglary", " Burglary  ", "Anti-social  behaviour", "Vehicle\tcrime", "Shoplifting ", "Unknown thing", "",
                     "Public\u{A0}order", "\u{A0}Drugs", "violence AND sexual offences", "Théft"]
        let places = ["On or near  Manor Road", " On or near Park", "No location", "No  location", "On or near \"Quoted\" Street", "On or near A, B",
                      "On or near Line\nBreak", "On or near Café", "", "\t", "On or near\u{A0}NBSP", "On or near X\u{3000}Y", "On or near e\u{301}"]
        let lsoas = ["e01017395", " E01017395 ", "E0101739\u{E9}", "", "straße", "e01\u{A0}x"]
        let outcomes = ["Under  investigation", " Unable to prosecute suspect ", "", "Investigation\tcomplete", "Offender\u{A0}sent", "Court, result"]
        let ids = ["abc123", " abc123", "ABC123", "abc123 ", "", "x\u{A0}", "\u{A0}x", "dup1", "dup2", "\u{FC}n\u{EF}", "u\u{308}n\u{EF}", "K1", "\u{212A}1", "  "]
        var lines = ["Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"]
        func csv(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var earlier: [[String]] = []
        for _ in 0..<rows {
            // One row in eight publishes an earlier crime again (same ID, type and place; another month and outcome).
            if !earlier.isEmpty, next() % 8 == 0 {
                var again = earlier[next() % earlier.count]
                again[1] = pick(months, usually: ["2009-01", "2009-02"][next() % 2])
                again[10] = pick(outcomes, usually: "Investigation complete; no suspect identified")
                lines.append(again.map(csv).joined(separator: ","))
                continue
            }
            let id = next() % 2 == 0 ? ids[next() % ids.count] : "id\(next() % (rows / 2 + 1))"
            let type = pick(types, usually: ["Burglary", "Anti-social behaviour", "Violence and sexual offences"][next() % 3])
            let fields = [id, pick(months, usually: ["2009-01", "2009-02"][next() % 2]), "Bedfordshire Police", "Bedfordshire Police",
                          pick(lons, usually: "-0.5\(next() % 1000)"), pick(lats, usually: "52.\(next() % 10000)"), pick(places, usually: "On or near Manor Road"),
                          pick(lsoas, usually: "E01017395"), "Mid Bedfordshire 007D", type, pick(outcomes, usually: "Awaiting court outcome"), ""]
            lines.append(fields.map(csv).joined(separator: ","))
            earlier.append(fields)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func messyPoliceUKRowsGiveTheSameFilesWhicheverPath() throws {
        let dir = StageTestSupport.temporaryFolder("clean-messy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/raw", withIntermediateDirectories: true)
        try Self.messyStreetFile(rows: 3000, seed: 1).write(toFile: dir + "/raw/2009-01-street.csv", atomically: true, encoding: .utf8)
        try Self.messyStreetFile(rows: 3000, seed: 2).write(toFile: dir + "/raw/2009-02-street.csv", atomically: true, encoding: .utf8)
        let pipeline = """
        name: clean-messy
        area: {name: Central Bedfordshire, la_code: E06000056}
        sources:
          - id: street
            agency: police
            kind: police-uk-street
            format: csv
            path: raw/*-street.csv
            columns: {crime_id: Crime ID, month: Month, longitude: Longitude, latitude: Latitude, location: Location,
                      lsoa_code: LSOA code, crime_type: Crime type, last_outcome: Last outcome category}
            max_reject_share: 1
        reference:
          police_uk_categories: \(StageTestSupport.repositoryRoot)/Pipelines/reference/police-uk-categories.csv
        """
        try pipeline.write(toFile: dir + "/pipeline.yaml", atomically: true, encoding: .utf8)
        var reference: [String: String]?
        for (name, tuning) in Self.tunings {
            let files = try run(dir + "/pipeline.yaml", tuning: tuning)
            if let reference {
                #expect(files.keys.sorted() == reference.keys.sorted())
                for (file, text) in reference { #expect(files[file] == text, "\(file) differs with \(name)") }
            } else {
                reference = files
                // Each of the 6,000 generated rows is in exactly one file, counted from the files themselves: kept in
                // one of the two entities, rejected by stage 1 or 2, or a duplicate; and the input has every outcome
                // (ID collisions, kept and listed in collisions.csv: the random IDs repeat on other crime types, places
                // and outcomes; never a reject).
                let counts = ["crimes.csv", "asb_incidents.csv", "rejects.csv", "duplicates.csv", "01-ingest/rejects.csv"].map { Self.records(files[$0]) }
                #expect(counts.reduce(0, +) == 6000, "\(counts)")
                #expect(counts.prefix(4).allSatisfy { $0 > 0 }, "\(counts)")
                #expect(Self.records(files["collisions.csv"]) > 100, "collisions.csv has few rows")
                #expect(files["rejects.csv"]?.contains("clean.id-collision") == false, "a collision is never a reject")
            }
        }
    }
}

@Suite struct DuplicateFinderTests {
    /// The rule as stage 2 always applied it, on Strings: per key and identity, a `[String: best]` dictionary, later
    /// records replacing the best unless it has a greater rank; among an identity's records of its best rank, the
    /// later one of each version kept. Returns each duplicate's ordinal with its kept record's, and each collided
    /// record's with the other record it is reported with (the key's first kept one, or for that one the second).
    func reference(_ records: [(key: String, rank: String, identity: String, version: String)]) -> (duplicates: [Int: Int], collisions: [Int: Int]) {
        var best: [String: [String: Int]] = [:]
        for (i, r) in records.enumerated() {
            if let b = best[r.key]?[r.identity], records[b].rank > r.rank { continue }
            best[r.key, default: [:]][r.identity] = i
        }
        var keptOf: [String: [String: Int]] = [:]
        for (i, r) in records.enumerated() where records[best[r.key]![r.identity]!].rank == r.rank {
            keptOf[r.key, default: [:]][r.identity + "\u{0}" + r.version] = i
        }
        var duplicates: [Int: Int] = [:], collisions: [Int: Int] = [:]
        for (i, r) in records.enumerated() {
            let b = best[r.key]![r.identity]!
            let k = records[b].rank == r.rank ? keptOf[r.key]![r.identity + "\u{0}" + r.version]! : b
            let kept = keptOf[r.key]!.values.sorted()
            if k != i { duplicates[i] = k } else if kept.count > 1 { collisions[i] = kept[0] == i ? kept[1] : kept[0] }
        }
        return (duplicates, collisions)
    }

    @Test(arguments: [(1_000_000, 64, false), (0, 1, false), (0, 7, false), (37, 4, false), (1_000_000, 64, true), (0, 7, true), (37, 4, true)])
    func findsWhatStringsWouldFind(memoryRows: Int, partitions: Int, withFields: Bool) throws {
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % n
        }
        // Canonically equivalent spellings are the same key or rank for String: é / e + U+0301, K / U+212A.
        let keys = ["a", "b", "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}", "", " ", "key-\u{1F600}"] + (0..<300).map { "id\($0)" }
        let ranks = ["2009-01", "2009-02", "2009-10", "", "r\u{E9}", "re\u{301}", "rf", "K", "\u{212A}"]
        // Identity and version: most records of a key agree (duplicates), some differ (collisions).
        let identities = withFields ? ["burglary|a", "burglary|a", "burglary|a", "theft|a", "burglary|b"] : [""]
        let versions = withFields ? ["", "", "charged", "no suspect"] : [""]
        let records = (0..<5000).map { _ in (key: keys[next(keys.count)], rank: ranks[next(ranks.count)],
                                             identity: identities[next(identities.count)], version: versions[next(versions.count)]) }
        let dir = StageTestSupport.temporaryFolder("dedupe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let finder = DuplicateFinder(directory: dir, tag: "t", memoryRows: memoryRows, partitions: partitions,
                                     fields: withFields ? 3 : 0, versionFields: withFields ? 1 : 0)
        for (i, r) in records.enumerated() {
            var key = r.key, rank = r.rank
            let parts = r.identity.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let hashes: [UInt64] = withFields ? (parts + [r.version]).map { var v = $0; return v.withUTF8 { Bytes.hash($0, seed: 7) } } : []
            try key.withUTF8 { k in try rank.withUTF8 { rk in try hashes.withUnsafeBufferPointer { try finder.add(key: k, rank: rk, file: Int32(i % 3), line: i + 2, fields: $0) } } }
        }
        #expect(finder.spilled == (memoryRows < records.count))
        let merge = try finder.finish()
        let expected = reference(records)
        var duplicates: [Int: Int] = [:], collisions: [Int: Int] = [:]
        var last = -1
        while let v = try merge.next() {
            #expect(v.ordinal > last, "verdicts in ordinal order")
            last = v.ordinal
            #expect(v.line == v.ordinal + 2 && v.file == Int32(v.ordinal % 3))
            #expect(String(decoding: v.key, as: UTF8.self).utf8.elementsEqual(records[v.ordinal].key.utf8))
            #expect(v.otherFile == Int32((v.otherLine - 2) % 3))
            #expect(String(decoding: v.otherRank, as: UTF8.self).utf8.elementsEqual(records[v.otherLine - 2].rank.utf8))
            if v.collision {
                collisions[v.ordinal] = v.otherLine - 2
                let (r, o) = (records[v.ordinal], records[v.otherLine - 2])
                let a = r.identity.split(separator: "|", omittingEmptySubsequences: false) + [Substring(r.version)]
                let b = o.identity.split(separator: "|", omittingEmptySubsequences: false) + [Substring(o.version)]
                #expect(v.differingFields == a.indices.filter { a[$0] != b[$0] }, "fields that differ")
                #expect((v.differing & DuplicateFinder.Verdict.rankBit != 0) == (r.rank != o.rank))
            } else {
                duplicates[v.ordinal] = v.otherLine - 2
            }
        }
        #expect(duplicates == expected.duplicates)
        #expect(collisions == expected.collisions)
        #expect(withFields ? collisions.count > 100 : collisions.isEmpty, "\(collisions.count) collisions")
        merge.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "partition and verdict files deleted")
    }
}
