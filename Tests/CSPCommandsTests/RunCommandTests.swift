import CSPTestSupport
import Foundation
import Testing

@Suite(.serialized) struct RunCommandTests {
    /// A one-source pipeline over a CSV file of `rows` rows.
    func makePipeline(_ dir: TempDir, rows: Int, extra: String = "") -> String {
        dir.writeBigCSV("raw/data.csv", rows: rows)
        return dir.write("p.yaml", """
        name: cli-test
        area: {name: Central Bedfordshire, la_code: E06000056}
        sources:
          - id: things
            agency: police
            kind: crimes
            format: csv
            path: raw/*.csv
        \(extra)
        """)
    }

    @Test func runPrintsTheRunFolderAndExitsZero() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 10)
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/out", "--log-format", "json", "--until", "ingest"])
        #expect(r.status == 0, "\(r.stderr)")
        let folder = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FileManager.default.fileExists(atPath: folder + "/01-ingest/things.csv"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/out/cli-test/latest/run.json"))
        // Structured logs: every line of standard error is a JSON object.
        for line in r.stderr.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
        }
        // Owner and group only.
        let attrs = try FileManager.default.attributesOfItem(atPath: folder + "/01-ingest/things.csv")
        #expect(((attrs[.posixPermissions] as? Int) ?? 0o777) & 0o007 == 0)
    }

    /// A themes file is configuration: a typo in it (an unknown key at any level) fails `csp run` with 78 when the
    /// pipeline loads, naming the themes file, the line and the key, before stage 1 runs (no run folder is made); so
    /// does a theme carrying judgements, which are each partnership's own (`judgements`), not the shared themes'.
    @Test func aThemesFileWithAnUnknownKeyFailsTheRunBeforeStageOne() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let good = try String(contentsOfFile: CLI.repositoryRoot + "/Pipelines/reference/themes.yaml", encoding: .utf8)
        let cases: [(text: String, key: String, phrase: String, marker: String)] = [
            // A misspelt theme key (`snt_priorty`) on the line it is written.
            (good.replacingOccurrences(of: "    snt_priority: [Vehicle crime]", with: "    snt_priorty: [Vehicle crime]"), "themes[0].snt_priorty", "is not a known setting", "snt_priorty"),
            // Judgements in the shared themes file.
            (good.replacingOccurrences(of: "    snt_priority: [Vehicle crime]", with: "    snt_priority: [Vehicle crime]\n    judgement: {harm: 3}"), "themes[0].judgement",
             "judgements are the partnership's own", "judgement: {harm: 3}"),
        ]
        try expectRefused(cases, good: good, as: "themes-typo.yaml", in: dir) { "reference:\n  themes: \($0)" }
    }

    /// Writes each case's text as the reference file `name`, runs a pipeline naming it (`reference(path)`), and
    /// expects exit 78 naming the file and the line of the case's marker, its key and phrase, and no run folder.
    func expectRefused(_ cases: [(text: String, key: String, phrase: String, marker: String)], good: String, as name: String, in dir: TempDir,
                       reference: (String) -> String) throws {
        for c in cases {
            #expect(c.text != good, "the case did not change \(name)")
            let file = dir.write(name, c.text)
            let line = c.text.components(separatedBy: "\n").firstIndex { $0.contains(c.marker) }.map { $0 + 1 }
            let r = try CLI.run(["run", "--pipeline", makePipeline(dir, rows: 3, extra: reference(file)), "--output", dir.path + "/o"])
            #expect(r.status == 78, "\(r.stderr)")
            #expect(r.stderr.contains("\(name):\(line ?? -1)"), "\(r.stderr)")
            #expect(r.stderr.contains(c.key) && r.stderr.contains(c.phrase), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/o/cli-test/latest"), "a run folder was made")
        }
    }

    /// A partnership's judgements file is checked when the pipeline loads: a theme the themes file does not have, a
    /// column its `judgement_columns` does not have, or a value outside the column's scale is exit 78 naming the
    /// judgements file, the line and the key; `judgements` without `judgement_columns` is 78 naming the pipeline.
    @Test func aJudgementsFileWithAnUnknownThemeColumnOrValueFailsTheRun() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let root = CLI.repositoryRoot + "/Pipelines/reference/"
        let good = try String(contentsOfFile: root + "judgements-central-bedfordshire-2009.yaml", encoding: .utf8)
        let cases: [(text: String, key: String, phrase: String, marker: String)] = [
            (good.replacingOccurrences(of: "  bicycle_theft: {", with: "  bicycle_thefts: {"), "themes.bicycle_thefts", "is not a theme of the themes file", "bicycle_thefts"),
            (good.replacingOccurrences(of: "  bicycle_theft: {laa: no,", with: "  bicycle_theft: {pcc_plan: no,"), "themes.bicycle_theft.pcc_plan", "is not a known setting", "pcc_plan"),
            (good.replacingOccurrences(of: "  bicycle_theft: {laa: no,", with: "  bicycle_theft: {laa: maybe,"), "themes.bicycle_theft.laa", "`maybe` is not one of yes, no, *", "maybe"),
            (good.replacingOccurrences(of: "harm: 1, current_activity: 1}", with: "harm: 7, current_activity: 1}"), "harm", "`7` is not one of 1, 2, 3, *", "harm: 7"),
        ]
        try expectRefused(cases, good: good, as: "judgements-typo.yaml", in: dir) {
            "reference:\n  themes: \(root)themes.yaml\n  judgement_columns: \(root)judgement-columns-2009.yaml\n  judgements: \($0)"
        }
        let p = makePipeline(dir, rows: 3, extra: "reference:\n  themes: \(root)themes.yaml\n  judgements: \(root)judgements-central-bedfordshire-2009.yaml")
        let r = try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/o"])
        #expect(r.status == 78 && r.stderr.contains("`judgements` needs `judgement_columns`"), "\(r.stderr)")
    }

    @Test func exitCodesFollowSysexits() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 3)
        #expect(try CLI.run(["run", "--pipeline", dir.path + "/missing.yaml"]).status == 66)
        let bad = dir.write("bad.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\nsorces: []\n")
        let r = try CLI.run(["run", "--pipeline", bad])
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.yaml:4") && r.stderr.contains("sorces"))
        #expect(try CLI.run(["run", "--pipeline", p, "--set", "nothing"]).status == 64)
        #expect(try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/o", "--until", "assess"]).status == 78)
        let gone = dir.write("gone.yaml", "name: x\narea: {name: a, la_code: b}\nsources:\n  - {id: s, agency: a, kind: crimes, format: csv, path: nowhere/*.csv}\n")
        #expect(try CLI.run(["run", "--pipeline", gone, "--output", dir.path + "/o"]).status == 66)
        // A kind without cleaning rules is a configuration error once the clean stage runs.
        #expect(try CLI.run(["run", "--pipeline", p, "--output", dir.path + "/o"]).status == 78)
    }

    @Test func aRunKilledMidStageThenRerunGivesByteIdenticalDatasets() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let p = makePipeline(dir, rows: 1_500_000)
        // The uninterrupted reference.
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        let reference = try Data(contentsOf: URL(fileURLWithPath: out + "/cli-test/latest/01-ingest/things.csv"))
        // Killed while writing, then rerun (forced: an unchanged rerun would otherwise be skipped and linked).
        let running = try CLI.start("csp", ["run", "--pipeline", p, "--output", out, "--until", "ingest", "--force"], in: dir.path)
        var killedMidStage = false
        for _ in 0..<500 {
            usleep(5_000)
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs")) ?? []
            if runs.contains(where: { ((try? FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs/" + $0)) ?? []).contains { $0.hasPrefix(".tmp-") } }) {
                killedMidStage = true
                break
            }
        }
        kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
        #expect(killedMidStage)
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest", "--force"]).status == 0)
        let rerun = try Data(contentsOf: URL(fileURLWithPath: out + "/cli-test/latest/01-ingest/things.csv"))
        #expect(rerun == reference, "the rerun's dataset is byte-identical to the uninterrupted run's")
    }

    @Test func twoConcurrentRunsOneWaitsOutWith75() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let p = makePipeline(dir, rows: 1_500_000)
        let first = try CLI.start("csp", ["run", "--pipeline", p, "--output", out, "--until", "ingest"], in: dir.path)
        // Wait until the first holds the lock.
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: out + "/cli-test/.lock") { usleep(5_000) }
        let second = try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"])
        first.process.waitUntilExit()
        #expect(second.status == 75)
        #expect(second.stderr.contains("pid \(first.process.processIdentifier)"))
        #expect(first.process.terminationStatus == 0)
    }

    @Test func aPurgeDryRunListsExactlyWhatItWouldDelete() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 3, extra: "retention:\n  runs: 30")
        let out = dir.path + "/out"
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        // An old run, made by hand beside the real one.
        try FileManager.default.createDirectory(atPath: out + "/cli-test/runs/20090101T000000Z-0abc/01-ingest", withIntermediateDirectories: true)
        let dry = try CLI.run(["purge", "--pipeline", p, "--output", out, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.split(separator: "\n").filter { $0.hasPrefix("would delete") }.map(String.init).count == 1)
        #expect(dry.stdout.contains("would delete runs/20090101T000000Z-0abc (runs,"))
        #expect(FileManager.default.fileExists(atPath: out + "/cli-test/runs/20090101T000000Z-0abc"))
        let real = try CLI.run(["purge", "--pipeline", p, "--output", out])
        #expect(real.status == 0 && real.stdout.contains("deleted runs/20090101T000000Z-0abc"))
        #expect(!FileManager.default.fileExists(atPath: out + "/cli-test/runs/20090101T000000Z-0abc"))
        #expect(try String(contentsOfFile: out + "/cli-test/ledger.jsonl", encoding: .utf8).contains("\"event\":\"purge\""))
    }

    @Test func aNoChangeRerunSkipsEveryStageAndATamperedRunFailsAudit() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 50)
        let out = dir.path + "/out"
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        let again = try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"])
        #expect(again.status == 0)
        let folder = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))) as! [String: Any]
        let stages = run["stages"] as! [[String: Any]]
        #expect(stages.map { $0["status"] as! String } == ["skipped"])
        // Audit passes, then fails once a dataset is edited after the run.
        let ok = try CLI.run(["audit", "--pipeline", p, "--output", out])
        #expect(ok.status == 0, "\(ok.stdout)")
        let data = folder + "/01-ingest/things.csv"
        let original = try String(contentsOfFile: data, encoding: .utf8)
        try FileManager.default.removeItem(atPath: data)  // hard-linked from the first run: replace, do not edit in place
        try original.replacingOccurrences(of: "Ward 3,", with: "Ward 4,").write(toFile: data, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["audit", "--pipeline", p, "--output", out])
        #expect(bad.status == 65)
        #expect(bad.stdout.contains("MISMATCH [checksum] 01-ingest/things.csv"))
    }

    @Test func aSecondRunExits75AtOnceNamingTheHolder() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 3)
        let out = dir.path + "/out"
        try FileManager.default.createDirectory(atPath: out + "/cli-test", withIntermediateDirectories: true)
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 256)
        // This test process stands in for a long nightly run holding the lock.
        let holder = "{\"pid\":\(getpid()),\"host\":\"\(String(cString: name))\",\"user\":\"cron\",\"started\":\"2009-10-01T02:00:00.000Z\",\"arguments\":[\"csp\",\"run\"]}"
        try holder.write(toFile: out + "/cli-test/.lock", atomically: true, encoding: .utf8)
        let start = Date()
        let r = try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"])
        #expect(r.status == 75)
        #expect(r.stderr.contains("pid \(getpid())") && r.stderr.contains("by cron"))
        #expect(Date().timeIntervalSince(start) < 5)
        try FileManager.default.removeItem(atPath: out + "/cli-test/.lock")
        #expect(try CLI.run(["run", "--pipeline", p, "--output", out, "--until", "ingest"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: out + "/cli-test/.lock"), "the lock is released after the run")
    }

    @Test(arguments: [("csp-ingest", "Stage 1"), ("csp-clean", "Stage 2"), ("csp-geocode", "Stage 3"), ("csp-normalise", "Stage 4"), ("csp-assess", "Stage 5")])
    func everyStageHasItsExecutable(tool: String, stage: String) throws {
        let r = try CLI.run(["--help"], tool: tool)
        #expect(r.status == 0 && r.stdout.contains(stage) && r.stdout.contains("--pipeline") && r.stdout.contains("--run"))
    }

    @Test func stageIngestAndTheStageExecutableRerunIngest() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let p = makePipeline(dir, rows: 5)
        let out = dir.path + "/out"
        let a = try CLI.run(["stage", "ingest", "--pipeline", p, "--output", out])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(["--pipeline", p, "--output", out], tool: "csp-ingest")
        #expect(b.status == 0, "\(b.stderr)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs")
        #expect(runs.count == 2)
        let ledger = try String(contentsOfFile: out + "/cli-test/ledger.jsonl", encoding: .utf8)
        #expect(ledger.split(separator: "\n").count == 2)
    }

    @Test func aRunKilledMidWriteLeavesLatestIntact() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let out = dir.path + "/out"
        let small = makePipeline(dir, rows: 100)
        #expect(try CLI.run(["run", "--pipeline", small, "--output", out, "--until", "ingest"]).status == 0)
        let latest = try FileManager.default.destinationOfSymbolicLink(atPath: out + "/cli-test/latest")
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/cli-test/latest/01-ingest/things.csv"))
        // A much bigger input, killed while it is being written.
        _ = makePipeline(dir, rows: 2_000_000)
        let running = try CLI.start("csp", ["run", "--pipeline", small, "--output", out, "--until", "ingest"], in: dir.path)
        let tmpPrefix = ".tmp-01-ingest"
        var sawTemporary = false
        for _ in 0..<400 {
            usleep(10_000)
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs")) ?? []
            for r in runs {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs/" + r)) ?? []
                if names.contains(where: { $0.hasPrefix(tmpPrefix) }) { sawTemporary = true }
            }
            if sawTemporary { usleep(50_000); break }
        }
        kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
        #expect(sawTemporary, "the run was killed while writing its temporary stage folder")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/cli-test/latest") == latest)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/cli-test/latest/01-ingest/things.csv")) == before)
        // The killed run published no stage folder.
        for r in try FileManager.default.contentsOfDirectory(atPath: out + "/cli-test/runs") where !latest.hasSuffix(r) {
            #expect(!FileManager.default.fileExists(atPath: out + "/cli-test/runs/\(r)/01-ingest"))
        }
        // A rerun succeeds and moves latest.
        #expect(try CLI.run(["run", "--pipeline", small, "--output", out, "--until", "ingest"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/cli-test/latest") != latest)
    }
}
