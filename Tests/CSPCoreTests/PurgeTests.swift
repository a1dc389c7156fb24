import CSPTestSupport
import Foundation
import Testing
@testable import CSPCore

@Suite struct PurgeTests {
    /// Runs made by hand: one 400 days old, one 100 days old, one 10 days old, and a 500-day-old one that latest points at.
    func setUp() throws -> (TempDir, PipelineDefinition, RunLayout, Date) {
        let dir = TempDir("purge")
        let file = dir.write("p.yaml", """
        name: purge
        area: {name: A, la_code: E1}
        sources: []
        retention:
          intermediates: 90
          rejects: 30
          published: forever
          runs: 365
        """)
        let p = try PipelineLoader().load(path: file)
        let layout = RunLayout(output: dir.path + "/out", pipeline: "purge")
        let now = Purge.started("20091001T000000Z-0000")!
        for id in ["20080828T000000Z-aaaa", "20090623T000000Z-bbbb", "20090921T000000Z-cccc", "20080501T000000Z-dddd"] {
            for stage in ["01-ingest", "02-clean", "04-normalised"] {
                dir.write("out/purge/runs/\(id)/\(stage)/rejects.csv", "stage,rule\n")
                dir.write("out/purge/runs/\(id)/\(stage)/data.csv", "x\n")
            }
        }
        try layout.moveLatest(to: "20080501T000000Z-dddd")
        return (dir, p, layout, now)
    }

    @Test func thePlanFollowsThePolicyAndSparesLatest() throws {
        let (dir, p, layout, now) = try setUp(); defer { dir.cleanup() }
        #expect(p.retention == RetentionPolicy(intermediates: 90, rejects: 30, published: nil, runs: 365))
        let plan = Purge(pipeline: p, layout: layout, now: now).plan().map(\.path)
        #expect(plan == [
            "runs/20080828T000000Z-aaaa",
            "runs/20090623T000000Z-bbbb/01-ingest", "runs/20090623T000000Z-bbbb/02-clean", "runs/20090623T000000Z-bbbb/04-normalised/rejects.csv",
        ])
    }

    @Test func aPurgeDeletesExactlyThePlanWithALedgerLineEach() throws {
        let (dir, p, layout, now) = try setUp(); defer { dir.cleanup() }
        let purge = Purge(pipeline: p, layout: layout, now: now)
        let planned = purge.plan()
        let done = try purge.run(user: "cron", host: "box", trigger: "cron", arguments: ["csp", "purge"])
        #expect(done == planned)
        for item in done { #expect(!FileManager.default.fileExists(atPath: layout.root + "/" + item.path)) }
        #expect(FileManager.default.fileExists(atPath: layout.root + "/runs/20090623T000000Z-bbbb/04-normalised/data.csv"))
        #expect(FileManager.default.fileExists(atPath: layout.root + "/runs/20080501T000000Z-dddd/01-ingest/data.csv"), "latest is never purged")
        #expect(FileManager.default.fileExists(atPath: layout.root + "/runs/20090921T000000Z-cccc/02-clean/rejects.csv"))
        let ledger = try Ledger(path: layout.ledger).entries()
        #expect(ledger.count == planned.count && ledger.allSatisfy { $0.event == "purge" })
        #expect(purge.plan().isEmpty)
    }

    @Test func badRetentionValuesAreConfigurationErrors() throws {
        let dir = TempDir("purge"); defer { dir.cleanup() }
        let file = dir.write("p.yaml", "name: x\narea: {name: a, la_code: b}\nsources: []\nretention:\n  runs: soon\n")
        #expect { try PipelineLoader().load(path: file) } throws: { ($0 as? PipelineError)?.key == "retention.runs" }
    }
}
