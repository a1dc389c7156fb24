import CSPTestSupport
import CSPPipeline
import CSPCore
import Foundation
import Testing
@testable import CSPClean

@Suite struct CleanStageTests {
    static let root = StageTestSupport.repositoryRoot + "/Fixtures/tests/clean"

    /// Runs stages 1–2 of the clean golden pipeline with the fixed test key copied to a private file.
    func runGolden(keyMode: mode_t = 0o600, withKey: Bool = true) throws -> (out: String, runID: String) {
        let out = StageTestSupport.temporaryFolder("clean-golden")
        let key = out + "/test.key"
        if withKey {
            try FileManager.default.copyItem(atPath: Self.root + "/keys/test.key", toPath: key)
            chmod(key, keyMode)
        }
        let pipeline = try PipelineLoader(overrides: ["key_file": key]).load(path: Self.root + "/pipeline.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: out))
        return (out, summary.runID)
    }

    @Test func goldenFilesForEveryFormat() throws {
        let (out, runID) = try runGolden()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let dir = RunLayout(output: out, pipeline: "clean-golden").stage(.clean, run: runID)
        let expected = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/expected").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(expected == ["asb_incidents.csv", "collisions.csv", "crimes.csv", "duplicates.csv", "fire_incidents.csv", "offenders.csv", "rejects.csv", "stop_searches.csv",
                             "survey_responses.csv", "victims.csv", "yos_cases.csv"])
        for name in expected {
            #expect(StageTestSupport.read(dir + "/" + name) == StageTestSupport.read(Self.root + "/expected/" + name), "\(name) differs from the golden file")
        }
        let m = try JSON.read(Manifest.self, from: dir + "/manifest.json")
        #expect(m.sources["crimes"] == StageCounts(inCount: 9, out: 4, rejected: 4, duplicates: 1))
        #expect(m.sources["persons"] == StageCounts(inCount: 7, out: 3, rejected: 4))
        #expect(m.sources["asb"] == StageCounts(inCount: 5, out: 3, rejected: 1, duplicates: 1))
        #expect(m.sources["yos"] == StageCounts(inCount: 6, out: 2, rejected: 4))
        #expect(m.sources["survey"] == StageCounts(inCount: 4, out: 2, rejected: 2))
        #expect(m.sources["fire-legacy"] == StageCounts(inCount: 6, out: 4, rejected: 2))
        #expect(m.sources["fire-irs"] == StageCounts(inCount: 2, out: 2))
        #expect(m.sources["street"] == StageCounts(inCount: 6, out: 3, rejected: 2, duplicates: 1))
        #expect(m.sources["stop-search"] == StageCounts(inCount: 3, out: 2, rejected: 1))
        #expect(m.inputs.contains { $0.role == "reference:offence_codes" })
        // The run and the ledger name the key by its fingerprint, never the key.
        let layout = RunLayout(output: out, pipeline: "clean-golden")
        let fingerprint = try KeyFile.load(path: out + "/test.key").fingerprint
        let run = try JSON.read(RunSummary.self, from: layout.run(runID) + "/run.json")
        #expect(run.keyFingerprint == fingerprint)
        let ledger = try Ledger(path: layout.ledger).entries()
        #expect(ledger.allSatisfy { $0.keyFingerprint == fingerprint })
        let key = try Data(contentsOf: URL(fileURLWithPath: out + "/test.key"))
        let hex = key.map { String(format: "%02x", $0) }.joined()
        #expect(!StageTestSupport.read(layout.ledger).contains(hex.prefix(16)))
    }

    @Test func noNameDateOfBirthOrAddressLeavesStageOne() throws {
        let (out, runID) = try runGolden()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let layout = RunLayout(output: out, pipeline: "clean-golden")
        let personal = ["Smith", "Zoë", "Jones", "Liam", "O’Brien", "Renée", "Brown", "White,Sam", "15/06/1990", "1990-06-15", "01/02/1992",
                        "12/03/1993", "1993-03-12", "Café Row", "Close", "7 High St", "Elm Rd", "WA/0000", "Y001", "R0001", "ASB/1"]
        // Stage 1 holds them (it is the only stage allowed to) ...
        #expect(StageTestSupport.read(layout.stage(.ingest, run: runID) + "/persons.csv").contains("Smith"))
        // ... stage 2 holds none of them, in any file, rejects and duplicates included.
        for file in try FileManager.default.contentsOfDirectory(atPath: layout.stage(.clean, run: runID)) {
            let text = StageTestSupport.read(layout.stage(.clean, run: runID) + "/" + file)
            for value in personal { #expect(!text.contains(value), "\(file) contains `\(value)`") }
        }
    }

    @Test func aRunWithoutAKeyOrWithAnUnsafeKeyFailsAsConfiguration() throws {
        for (withKey, mode) in [(false, mode_t(0o600)), (true, mode_t(0o644))] {
            #expect {
                _ = try runGolden(keyMode: mode, withKey: withKey)
            } throws: { error in
                (error as? StageError)?.exitCode == .config && "\(error)".contains("key")
            }
        }
    }
}
