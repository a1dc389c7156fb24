import CSPTestSupport
import CSPPipeline
import CSPCore
@testable import CSPStorage
import Foundation
import Testing
@testable import CSPAudit

@Suite struct AuditTests {
    func goldenRun() throws -> (PipelineDefinition, RunLayout, String, String) {
        let out = StageTestSupport.temporaryFolder("audit")
        let key = out + "/test.key"
        try FileManager.default.copyItem(atPath: (StageTestSupport.repositoryRoot + "/Fixtures/tests/clean") + "/keys/test.key", toPath: key)
        chmod(key, 0o600)
        let pipeline = try PipelineLoader(overrides: ["key_file": key]).load(path: (StageTestSupport.repositoryRoot + "/Fixtures/tests/clean") + "/pipeline.yaml")
        let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.until(.clean), logger: StageTestSupport.logger).run(RunRequest(output: out))
        return (pipeline, RunLayout(output: out, pipeline: pipeline.name), summary.runID, out)
    }

    @Test func anUntouchedRunVerifies() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.passed, "\(report.findings)")
        #expect(report.lineageRowsTraced > 20)
    }

    @Test func aDeletedRejectRowIsCaught() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let path = layout.stage(.clean, run: id) + "/rejects.csv"
        var lines = StageTestSupport.read(path).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 3)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.findings.contains { $0.check == "checksum" && $0.location == "02-clean/rejects.csv" })
        #expect(report.findings.contains { $0.check == "conservation" && $0.location == "02-clean/rejects.csv" })
    }

    @Test func aRepeatedRejectRowIsCaught() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let path = layout.stage(.clean, run: id) + "/rejects.csv"
        var lines = StageTestSupport.read(path).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert(lines[3], at: 3)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.findings.contains { $0.check == "conservation" && $0.location == "02-clean/rejects.csv" }, "\(report.findings)")
    }

    @Test func anEditThatKeepsTheFileSizeIsCaughtByItsChecksum() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let path = layout.stage(.clean, run: id) + "/crimes.csv"
        // One digit of the last line changed to another: same bytes count, other content.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = try #require(bytes.indices.last { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "8") })
        bytes[at] += 1
        try bytes.write(to: URL(fileURLWithPath: path))
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.findings.contains { $0.check == "checksum" && $0.location == "02-clean/crimes.csv" }, "\(report.findings)")
    }

    @Test func aValueChangedWithItsChecksumRecomputedIsCaughtByLineage() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let dir = layout.stage(.ingest, run: id)
        let path = dir + "/crimes.csv"
        // A forger edits a ward and fixes up the manifest so that checksums agree.
        let text = StageTestSupport.read(path).replacingOccurrences(of: "Dunstable Icknield", with: "Dunstable Northfields")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var m = try JSON.read(Manifest.self, from: dir + "/manifest.json")
        let (hex, bytes) = try FileDigest.sha256(path: path)
        m.outputs = m.outputs.map { o in var o = o; if o.path == "crimes.csv" { o.sha256 = hex; o.bytes = bytes }; return o }
        try JSON.pretty(m).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.findings.contains { $0.check == "lineage" && $0.message.contains("column ward") }, "\(report.findings)")
        #expect(!report.findings.contains { $0.check == "checksum" })
    }

    @Test func aChangedRawFileAndAStrayFileAreCaught() throws {
        let (p, layout, id, out) = try goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        try "extra".write(toFile: layout.stage(.clean, run: id) + "/notes.txt", atomically: true, encoding: .utf8)
        var m = try JSON.read(Manifest.self, from: layout.stage(.ingest, run: id) + "/manifest.json")
        m.inputs[0].sha256 = String(repeating: "0", count: 64)
        try JSON.pretty(m).write(to: URL(fileURLWithPath: layout.stage(.ingest, run: id) + "/manifest.json"))
        let report = try RunAuditor(pipeline: p, layout: layout).audit(runID: id)
        #expect(report.findings.contains { $0.check == "layout" && $0.location.hasSuffix("notes.txt") })
        #expect(report.findings.contains { $0.check == "input" })
    }
}

@Suite struct AuditPageTests {
    @Test func thePageShowsCountsRulesAndChecksums() throws {
        let (_, layout, id, out) = try AuditTests().goldenRun()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let html = StageTestSupport.read(layout.run(id) + "/audit.html")
        #expect(html.hasPrefix("<!doctype html>"))
        // One unknown offence code (crimes) and one unknown fire incident type (legacy fire): both through a mapping's lookup.
        #expect(html.contains("<code>clean.mapping.unknown-code</code></td><td class=\"n\">2</td>"))
        #expect(html.contains("<code>clean.duplicate.crime_ref</code>"))
        let m = try JSON.read(Manifest.self, from: layout.stage(.clean, run: id) + "/manifest.json")
        #expect(html.contains(m.outputs[0].sha256))
        #expect(!html.contains("Smith") && !html.contains("Café"))
    }
}
