import CSPTestSupport
import CSPCSV
import Crypto
import Foundation
import Logging
import Testing
@testable import CSPCore
@testable import CSPStorage

/// A stage double: writes `rows` rows, rejects `rejects` of them, and reports counts (optionally wrong ones).
/// The fake stages of these tests read the pipeline file, and (stage 1) the files its sources match.
extension PipelineStage {
    func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        let sources = id == .ingest ? pipeline.sources.flatMap { s in s.paths.flatMap(FileSystem.glob).map { DeclaredInput(path: $0, role: "source:\(s.id)") } } : []
        return [DeclaredInput.configuration(pipeline)] + sources
    }
}

struct FakeStage: PipelineStage {
    var id: StageID = .ingest
    var rows = 10
    var rejects = 0
    var reportedIn: Int?
    var failAfter: Int?
    var gate: Double?

    func run(_ context: StageContext) throws -> StageReport {
        let w = try CSVWriter(path: context.outputPath("things.csv"))
        try w.writeRow(["n", "source_file", "source_record"])
        var counts = StageCounts()
        for i in 0..<rows {
            if let failAfter, i == failAfter {
                try w.flush()
                throw StageError.malformedInput(file: "things.raw", line: i + 2, message: "simulated failure")
            }
            counts.inCount += 1
            if i < rejects {
                try context.rejects.write(RecordIssue(stage: id, rule: "test.reject", sourceFile: "things.raw", sourceRecord: i + 2, field: "n", value: "\(i)", message: "rejected for the test"))
                counts.rejected += 1
            } else {
                try w.writeRow(["\(i)", "things.raw", "\(i + 2)"])
                counts.out += 1
            }
        }
        try w.close()
        if let reportedIn { counts.inCount = reportedIn }
        var report = StageReport(inputs: [], outputRows: ["things.csv": counts.out])
        report.add(part: "things", counts)
        if let gate { report.gates["things"] = gate }
        return report
    }
}

@Suite struct RunFrameworkTests {
    func pipeline(_ dir: TempDir) throws -> PipelineDefinition {
        let file = dir.write("p.yaml", "name: fw\narea: {name: A, la_code: E1}\nsources: []\n")
        return try PipelineLoader().load(path: file)
    }

    var logger: Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    @Test func successfulStageWritesManifestLedgerRunSummaryAndMovesLatest() throws {
        let dir = TempDir("fw"); defer { dir.cleanup() }
        let p = try pipeline(dir)
        let out = dir.path + "/out"
        let summary = try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 10, rejects: 2)], logger: logger)
            .run(RunRequest(output: out, trigger: "cron", arguments: ["csp", "run"], user: "analyst", host: "box"))
        let layout = RunLayout(output: out, pipeline: "fw")
        #expect(layout.latestRunID() == summary.runID)
        let stageDir = layout.stage(.ingest, run: summary.runID)
        let manifest = try JSON.read(Manifest.self, from: stageDir + "/manifest.json")
        #expect(manifest.counts == StageCounts(inCount: 10, out: 8, rejected: 2))
        #expect(manifest.status == "succeeded")
        let things = try #require(manifest.outputs.first { $0.path == "things.csv" })
        #expect(things.rows == 8)
        #expect(things.sha256 == (try FileDigest.sha256(path: stageDir + "/things.csv")).hex)
        let rejects = try #require(manifest.outputs.first { $0.path == "rejects.csv" })
        #expect(rejects.rows == 2)
        #expect(rejects.sha256 == (try FileDigest.sha256(path: stageDir + "/rejects.csv")).hex)
        let rejectText = try String(contentsOfFile: stageDir + "/rejects.csv", encoding: .utf8)
        #expect(rejectText.hasPrefix("stage,rule,source_file,source_record,field,value,message\n"))
        #expect(rejectText.contains("ingest,test.reject,things.raw,2,n,0,rejected for the test"))
        let entries = try Ledger(path: layout.ledger).entries()
        #expect(entries.count == 1)
        #expect(entries[0].outcome == "succeeded" && entries[0].trigger == "cron" && entries[0].user == "analyst" && entries[0].counts?.rejected == 2)
        let run = try JSON.read(RunSummary.self, from: layout.run(summary.runID) + "/run.json")
        #expect(run.status == "succeeded" && run.stages.count == 1)
        // No temporary folders left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: layout.run(summary.runID))
        #expect(names.sorted() == ["01-ingest", "audit.html", "run.json"])
    }

    @Test func unbalancedCountsFailTheStageAndPublishNothing() throws {
        let dir = TempDir("fw"); defer { dir.cleanup() }
        let p = try pipeline(dir)
        let out = dir.path + "/out"
        let layout = RunLayout(output: out, pipeline: "fw")
        let good = try PipelineRunner(pipeline: p, stages: [FakeStage()], logger: logger).run(RunRequest(output: out))
        do {
            try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 10, reportedIn: 11)], logger: logger).run(RunRequest(output: out, force: true))
            Issue.record("expected a conservation failure")
        } catch let e as StageError {
            guard case .conservation(let stage, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(stage == .ingest)
            #expect(e.exitCode == .dataError)
            #expect(e.description.contains("in 11"))
        }
        #expect(layout.latestRunID() == good.runID)
        let failed = try #require(layout.runIDs().first { $0 != good.runID })
        #expect(!FileManager.default.fileExists(atPath: layout.stage(.ingest, run: failed)))
        let run = try JSON.read(RunSummary.self, from: layout.run(failed) + "/run.json")
        #expect(run.status == "failed" && run.exitCode == 65)
        #expect(try Ledger(path: layout.ledger).entries().last?.outcome == "failed")
    }

    @Test func rejectsThatDisagreeWithTheCountsFail() throws {
        struct Liar: PipelineStage {
            let id = StageID.ingest
            func run(_ context: StageContext) throws -> StageReport {
                // Claims one reject but writes none.
                StageReport(counts: StageCounts(inCount: 1, out: 0, rejected: 1))
            }
        }
        let dir = TempDir("fw"); defer { dir.cleanup() }
        #expect(throws: StageError.self) {
            try PipelineRunner(pipeline: try pipeline(dir), stages: [Liar()], logger: logger).run(RunRequest(output: dir.path + "/out"))
        }
    }

    @Test func aStageThatDiesMidWriteLeavesThePreviousOutputsUntouched() throws {
        let dir = TempDir("fw"); defer { dir.cleanup() }
        let p = try pipeline(dir)
        let out = dir.path + "/out"
        let layout = RunLayout(output: out, pipeline: "fw")
        let good = try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 5)], logger: logger).run(RunRequest(output: out))
        let before = try FileDigest.sha256(path: layout.stage(.ingest, run: good.runID) + "/things.csv").hex
        #expect(throws: StageError.self) {
            try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 1000, failAfter: 500)], logger: logger).run(RunRequest(output: out, force: true))
        }
        #expect(layout.latestRunID() == good.runID)
        #expect(try FileDigest.sha256(path: layout.latest + "/01-ingest/things.csv").hex == before)
        for id in layout.runIDs() where id != good.runID {
            let names = try FileManager.default.contentsOfDirectory(atPath: layout.run(id))
            #expect(names.sorted() == ["audit.html", "run.json"], "a failed stage leaves no stage folder, published or temporary")
        }
    }

    @Test func theQualityGatePublishesEverythingThenFails() throws {
        let dir = TempDir("fw"); defer { dir.cleanup() }
        let p = try pipeline(dir)
        let out = dir.path + "/out"
        let layout = RunLayout(output: out, pipeline: "fw")
        do {
            try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 100, rejects: 6, gate: 0.05)], logger: logger).run(RunRequest(output: out))
            Issue.record("expected the gate to fail")
        } catch let e as StageError {
            #expect(e.exitCode == .dataError)
            #expect(e.description.contains("source `things` rejected 6 of 100 records (6.0%)"))
        }
        #expect(layout.latestRunID() == nil)
        let id = try #require(layout.runIDs().first)
        let m = try JSON.read(Manifest.self, from: layout.stage(.ingest, run: id) + "/manifest.json")
        #expect(m.status == "failed")
        #expect(m.counts.rejected == 6)
        // At the limit passes.
        try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 100, rejects: 5, gate: 0.05)], logger: logger).run(RunRequest(output: out, force: true))
        #expect(layout.latestRunID() != nil)
    }

    @Test func laterStagesCarryEarlierOnesOverByHardLink() throws {
        let dir = TempDir("fw"); defer { dir.cleanup() }
        let p = try pipeline(dir)
        let out = dir.path + "/out"
        let layout = RunLayout(output: out, pipeline: "fw")
        let stages: [any PipelineStage] = [FakeStage(rows: 3), FakeStage(id: .clean, rows: 4)]
        let first = try PipelineRunner(pipeline: p, stages: stages, logger: logger).run(RunRequest(output: out))
        let second = try PipelineRunner(pipeline: p, stages: stages, logger: logger).run(RunRequest(output: out, from: .clean, force: true))
        #expect(second.parentRun == first.runID)
        #expect(second.stages.map(\.status) == ["carried", "succeeded"])
        let a = layout.stage(.ingest, run: first.runID) + "/things.csv", b = layout.stage(.ingest, run: second.runID) + "/things.csv"
        var sa = stat(), sb = stat()
        stat(a, &sa); stat(b, &sb)
        #expect(sa.st_ino == sb.st_ino)
        #expect(layout.latestRunID() == second.runID)
    }

    @Test func manifestsAreDeterministicJSON() throws {
        let m = Manifest(stage: .clean, runID: "r", status: "succeeded", started: "a", finished: "b", toolVersion: "v", configHash: "h",
                         inputs: [], outputs: [.init(path: "x.csv", sha256: "00", bytes: 1, rows: 0, role: "dataset")],
                         counts: StageCounts(inCount: 1, out: 1), sources: ["s": StageCounts(inCount: 1, out: 1)])
        let text = String(decoding: try JSON.pretty(m), as: UTF8.self)
        #expect(text.contains("\"in\" : 1"))
        #expect(text.contains("\"run_id\" : \"r\""))
        #expect(try JSON.pretty(m) == (try JSON.pretty(m)))
    }
}

@Suite struct LineagePathTests {
    @Test(arguments: [
        ("/repo/Fixtures/raw/a.csv", "/repo/Pipelines", "../Fixtures/raw/a.csv"),
        ("/repo/Pipelines/ref/x.csv", "/repo/Pipelines", "ref/x.csv"),
        ("/work/shared/realdata/police-uk/a.csv", "/work/main/Pipelines", "../../shared/realdata/police-uk/a.csv"),
        ("/tmp/a.csv", "/a/b/c/d/e", "/tmp/a.csv"),
    ])
    func namesFilesRelativeToThePipeline(path: String, base: String, expected: String) {
        #expect(LineagePath.name(path, relativeTo: base) == expected)
    }
}

@Suite struct IncrementalRunTests {
    var logger: Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    @Test func aTamperedOutputIsNotCarriedByAPlainRerun() throws {
        let dir = TempDir("inc-tamper"); defer { dir.cleanup() }
        _ = dir.write("raw/a.csv", "x\n1\n")
        let file = dir.write("p.yaml", "name: inc\narea: {name: A, la_code: E1}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: raw/a.csv}\n")
        let p = try PipelineLoader().load(path: file)
        let out = dir.path + "/out"
        let runner = PipelineRunner(pipeline: p, stages: [FakeStage(rows: 3), FakeStage(id: .clean, rows: 2)], logger: logger)
        let first = try runner.run(RunRequest(output: out))
        let layout = RunLayout(output: out, pipeline: "inc")
        let things = layout.stage(.clean, run: first.runID) + "/things.csv"
        chmod(things, 0o640)
        try "n,source_file,source_record\n".write(toFile: things, atomically: false, encoding: .utf8)
        let second = try runner.run(RunRequest(output: out))
        #expect(second.stages.map(\.status) == ["skipped", "succeeded"], "the truncated stage 2 output is redone, not carried")
    }

    @Test func anUnchangedRerunSkipsEveryStageAndForceRerunsThem() throws {
        let dir = TempDir("inc"); defer { dir.cleanup() }
        let data = dir.write("raw/a.csv", "x\n1\n")
        let file = dir.write("p.yaml", "name: inc\narea: {name: A, la_code: E1}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: raw/a.csv}\n")
        let p = try PipelineLoader().load(path: file)
        let out = dir.path + "/out"
        let stages: [any PipelineStage] = [FakeStage(rows: 3), FakeStage(id: .clean, rows: 2)]
        let runner = PipelineRunner(pipeline: p, stages: stages, logger: logger)
        let first = try runner.run(RunRequest(output: out))
        let second = try runner.run(RunRequest(output: out))
        #expect(second.stages.map(\.status) == ["skipped", "skipped"])
        let layout = RunLayout(output: out, pipeline: "inc")
        let m = try JSON.read(Manifest.self, from: layout.stage(.clean, run: second.runID) + "/manifest.json")
        #expect(m.status == "skipped" && m.carriedFrom == first.runID && m.runID == second.runID)
        // The earlier run's manifest is untouched (the skipped manifest is a copy, not a link).
        #expect(try JSON.read(Manifest.self, from: layout.stage(.clean, run: first.runID) + "/manifest.json").status == "succeeded")
        // A third unchanged run still names the run that did the work.
        let third = try runner.run(RunRequest(output: out))
        #expect(third.stages.map(\.carriedFrom) == [first.runID, first.runID])
        // A changed raw file reruns ingest; this fake ingest writes the same bytes whatever it reads,
        // so clean's input is unchanged and clean is skipped (fingerprints follow content, not time).
        try "x\n1\n2\n".write(toFile: data, atomically: true, encoding: .utf8)
        let fourth = try runner.run(RunRequest(output: out))
        #expect(fourth.stages.map(\.status) == ["succeeded", "skipped"])
        var force = RunRequest(output: out)
        force.force = true
        #expect(try runner.run(force).stages.map(\.status) == ["succeeded", "succeeded"])
        let ledger = try Ledger(path: layout.ledger).entries().filter { $0.event == "stage" }.map(\.outcome)
        #expect(ledger == ["succeeded", "succeeded", "skipped", "skipped", "skipped", "skipped", "succeeded", "skipped", "succeeded", "succeeded"])
    }
}

@Suite struct ResumeTests {
    var logger: Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    @Test func fromResumesTheNewestRunThatGotThatFarEvenAFailedOne() throws {
        struct Failing: PipelineStage {
            let id = StageID.geocode
            func run(_ context: StageContext) throws -> StageReport { throw StageError.configuration("boundary file unreadable") }
        }
        let dir = TempDir("resume"); defer { dir.cleanup() }
        let file = dir.write("p.yaml", "name: resume\narea: {name: A, la_code: E1}\nsources: []\n")
        let p = try PipelineLoader().load(path: file)
        let out = dir.path + "/out"
        let good = try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 2), FakeStage(id: .clean, rows: 2)], logger: logger).run(RunRequest(output: out))
        // The nightly run fails at stage 3 after publishing stages 1–2.
        #expect(throws: StageError.self) {
            try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 3), FakeStage(id: .clean, rows: 3), Failing()], logger: logger).run(RunRequest(output: out, force: true))
        }
        let layout = RunLayout(output: out, pipeline: "resume")
        let failed = try #require(layout.runIDs().last)
        #expect(failed != good.runID && layout.latestRunID() == good.runID)
        // Once fixed, --from geocode resumes the failed run, not latest.
        var request = RunRequest(output: out, from: .geocode)
        request.resume = true
        let resumed = try PipelineRunner(pipeline: p, stages: [FakeStage(rows: 3), FakeStage(id: .clean, rows: 3), FakeStage(id: .geocode, rows: 1)], logger: logger).run(request)
        #expect(resumed.parentRun == failed)
        #expect(resumed.stages.map(\.status) == ["carried", "carried", "succeeded"])
        #expect(resumed.stages[0].counts?.inCount == 3)
    }
}

@Suite("Digests recorded while writing")
struct WrittenDigestsTests {
    @Test func recordedDigestMatchesTheFileUntilItChanges() throws {
        WrittenDigests.install()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csp-digests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.csv"
        let w = try CSVWriter(path: path)
        for i in 0..<50_000 { try w.writeRow([String(i), "text \(i)"]) }
        try w.close()
        let read = try FileDigest.sha256(path: path)
        let recorded = try #require(WrittenDigests.recorded(path))
        #expect(recorded.hex == read.hex && recorded.bytes == read.bytes)
        // A rename (a stage's folder published) keeps it.
        #expect(rename(path, dir + "/b.csv") == 0)
        #expect(WrittenDigests.recorded(dir + "/b.csv")?.hex == read.hex)
        // Any later change drops it, and sha256(path:) reads the file again.
        let h = try #require(FileHandle(forWritingAtPath: dir + "/b.csv"))
        h.seekToEndOfFile(); h.write(Data("x\n".utf8)); h.closeFile()
        #expect(WrittenDigests.recorded(dir + "/b.csv") == nil)
        #expect(try WrittenDigests.sha256(path: dir + "/b.csv").hex == FileDigest.sha256(path: dir + "/b.csv").hex)
        #expect(try WrittenDigests.sha256(path: dir + "/b.csv").hex != read.hex)
    }

    @Test func manyFilesHashedOnTwoThreadsInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csp-digests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = (0..<9).map { dir + "/f\($0).txt" }
        for (i, p) in paths.enumerated() { try Data(String(repeating: "row \(i)\n", count: i * 1000).utf8).write(to: URL(fileURLWithPath: p)) }
        let together = try FileDigest.sha256(paths: paths)
        #expect(together.map(\.hex) == (try paths.map { try FileDigest.sha256(path: $0).hex }))
        #expect(throws: IOFailure.self) { _ = try FileDigest.sha256(paths: paths + [dir + "/missing"]) }
    }
}

@Suite("Pseudonyms")
struct PseudonymiserTests {
    @Test(arguments: ["EA/00001/08", "ea/00001/08", " EA/1 ", "\tx", "straße", "ÉCOLE 1", "", "   ", "a b", "Zz~", "\u{00A0}ab\u{00A0}"])
    func normalisedAsFoundationDoesIt(_ value: String) {
        #expect(Pseudonymiser.normalised(value) == value.trimmingCharacters(in: .whitespaces).uppercased())
    }

    /// The keyed HMAC copied per call gives exactly HMAC-SHA256(key, namespace 0x1F NORMALISED).
    @Test func pseudonymIsTheKeyedHMAC() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 251) }
        let key = KeyFile(key: SymmetricKey(data: bytes), fingerprint: "test")
        let p = Pseudonymiser(key: key)
        for v in ["EA/00001/08", " ea/00001/08", "YP123"] {
            var message = Array("crime".utf8); message.append(0x1F)
            message.append(contentsOf: v.trimmingCharacters(in: .whitespaces).uppercased().utf8)
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: bytes))
            #expect(p.pseudonym("crime", v) == "C" + FileDigest.hex(Array(mac).prefix(10)))
        }
        #expect(p.pseudonym("crime", "ea/1") == p.pseudonym("crime", " EA/1 "))
        #expect(p.pseudonym("crime", "  ") == "")
    }
}

/// The issue files a person opens are spreadsheet-safe by stage 4's rule (numbers left alone).
@Suite struct IssueFileSafetyTests {
    @Test func formulasAreNeutralisedAndNumbersKept() throws {
        let dir = TempDir("issues"); defer { dir.cleanup() }
        let w = try RecordIssueWriter(path: dir.path + "/rejects.csv")
        try w.write(RecordIssue(stage: .clean, rule: "clean.bad-date", sourceFile: "raw/a.csv", sourceRecord: 7, field: "date",
                                value: "=HYPERLINK(\"http://x\",\"y\")", message: "not a date"))
        try w.write(RecordIssue(stage: .clean, rule: "clean.bad-number", sourceFile: "raw/a.csv", sourceRecord: 8, field: "easting",
                                value: "-0.52", message: "@ the edge"))
        try w.write(RecordIssue(stage: .clean, rule: "clean.bad-number", sourceFile: "raw/a.csv", sourceRecord: 9, field: "x",
                                value: "-12.5%", message: "+cmd|' /C calc'!A0"))
        try w.close()
        let text = try String(contentsOfFile: dir.path + "/rejects.csv", encoding: .utf8)
        #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""))
        #expect(text.contains(",-0.52,'@ the edge"))
        #expect(text.contains(",-12.5%,'+cmd"))
        #expect(!text.contains(",=") && !text.contains(",@"))
    }
}
