import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import CSPXML
import Foundation

/// Re-verifies a run: every checksum, every conservation equation, the chain between stages, the raw inputs,
/// and lineage: a sample of rows from each dataset traced back to their raw source line, whose values must match.
public struct RunAuditor {
    /// The pipeline the run belongs to.
    public let pipeline: PipelineDefinition
    /// The run's layout.
    public let layout: RunLayout
    /// Rows sampled per dataset for lineage.
    public var samplesPerDataset = 25

    /// Creates an auditor.
    public init(pipeline: PipelineDefinition, layout: RunLayout) { self.pipeline = pipeline; self.layout = layout }

    /// Audits run `runID`.
    public func audit(runID: String) throws -> AuditReport {
        var report = AuditReport(runID: runID, checks: 0, findings: [], lineageRowsTraced: 0)
        func check(_ ok: Bool, _ kind: String, _ location: String, _ message: @autoclosure () -> String) {
            report.checks += 1
            if !ok { report.findings.append(AuditFinding(check: kind, location: location, message: message())) }
        }
        let runDir = layout.run(runID)
        check(FileManager.default.fileExists(atPath: runDir + "/run.json"), "layout", runDir, "run.json is missing")
        var previous: Manifest?
        var manifests: [StageID: Manifest] = [:]
        for stage in StageID.allCases {
            let dir = layout.stage(stage, run: runID)
            guard FileManager.default.fileExists(atPath: dir) else { previous = nil; continue }
            guard let m = try? JSON.read(Manifest.self, from: dir + "/manifest.json") else {
                check(false, "layout", dir, "manifest.json is missing or unreadable")
                continue
            }
            manifests[stage] = m
            // Checksums, sizes and rows of every output; no file unaccounted for.
            let listed = Set(m.outputs.map(\.path))
            for f in (try? FileSystem.files(under: dir)) ?? [] where f != "manifest.json" {
                check(listed.contains(f), "layout", "\(stage.folder)/\(f)", "file is not in the manifest")
            }
            var rowsByName: [String: Int] = [:]
            for o in m.outputs {
                let path = dir + "/" + o.path
                guard let (hex, bytes) = try? FileDigest.sha256(path: path) else {
                    check(false, "checksum", "\(stage.folder)/\(o.path)", "file listed in the manifest is missing")
                    continue
                }
                check(hex == o.sha256 && bytes == o.bytes, "checksum", "\(stage.folder)/\(o.path)", "SHA-256 \(hex.prefix(12))… (\(bytes) bytes) differs from the manifest's \(o.sha256.prefix(12))… (\(o.bytes) bytes): the file was changed after the run")
                if let rows = o.rows, o.path.hasSuffix(".csv") {
                    let counted = Self.countRecords(path)
                    rowsByName[o.path] = counted
                    check(counted == rows, "rows", "\(stage.folder)/\(o.path)", "\(counted) rows where the manifest says \(rows)")
                }
            }
            // Conservation, in total, per source, and against the issue files.
            let c = m.counts
            check(c.balances, "conservation", stage.folder, "in \(c.inCount) ≠ out \(c.out) + rejected \(c.rejected) + excluded \(c.excluded) + duplicates \(c.duplicates)")
            for (part, pc) in m.sources.sorted(by: { $0.key < $1.key }) {
                check(pc.balances, "conservation", "\(stage.folder) \(part)", "in \(pc.inCount) ≠ out + rejected + excluded + duplicates")
            }
            for (file, count) in [("rejects.csv", c.rejected), ("excluded.csv", c.excluded), ("duplicates.csv", c.duplicates)] {
                let rows = FileManager.default.fileExists(atPath: dir + "/" + file) ? (rowsByName[file] ?? Self.countRecords(dir + "/" + file)) : 0
                check(rows == count, "conservation", "\(stage.folder)/\(file)", "\(rows) rows where the counts say \(count)")
            }
            checkCollisions(m, in: dir, check: check)
            checkGeoPackage(m, in: dir, check: check)
            // The chain: what this stage declares it read is what the previous one wrote.
            if let prev = previous { checkChain(m, after: prev, check: check) }
            previous = m
        }
        // Raw inputs still match what stage 1 read.
        if let ingest = manifests[.ingest] {
            for input in ingest.inputs {
                let path = absolute(input.path, against: pipeline.directory)
                if let (hex, _) = try? FileDigest.sha256(path: path) {
                    check(hex == input.sha256, "input", input.path, "the raw file changed since the run (SHA-256 \(hex.prefix(12))… ≠ \(input.sha256.prefix(12))…)")
                } else {
                    check(false, "input", input.path, "the raw file is gone; lineage cannot be verified")
                }
            }
            try traceLineage(runID: runID, ingest: ingest, manifests: manifests, report: &report)
        }
        return report
    }

    /// Stages that carry every record of the previous stage forward (conservation runs along the chain). Stage 5
    /// aggregates: it reads the datasets and tables its themes need, each checked against stage 4's rows.
    static let carriesEveryRecord: Set<StageID> = [.clean, .geocode, .normalise]

    /// The chain between `m` and the stage before it, by what `m` declares it read: every file of the previous
    /// stage it lists (role `stage:…`) has that stage's checksum (and rows, when it recorded rows); every part it
    /// counts (a source, entity or table) read as many records as the previous stage published in `<part>.csv`;
    /// its parts sum to its total; and a stage that carries every record read all the previous stage wrote.
    func checkChain(_ m: Manifest, after prev: Manifest, check: (Bool, String, String, @autoclosure () -> String) -> Void) {
        let stage = m.stage.folder, before = prev.stage.folder
        let prevOutputs = Dictionary(prev.outputs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for input in m.inputs where input.role.hasPrefix("stage:") {
            let name = (input.path as NSString).lastPathComponent
            guard let o = prevOutputs[name] else {
                check(false, "chain", "\(stage) input \(name)", "\(before) published no such file")
                continue
            }
            check(o.sha256 == input.sha256, "chain", "\(stage) input \(name)", "checksum differs from \(before)'s output")
            if let rows = input.rows, let published = o.rows {
                check(rows == published, "chain", "\(stage) input \(name)", "read \(rows) rows where \(before) published \(published)")
            }
        }
        var partsIn = 0
        for (part, pc) in m.sources.sorted(by: { $0.key < $1.key }) {
            partsIn += pc.inCount
            if let published = prevOutputs[part + ".csv"]?.rows {
                check(pc.inCount == published, "chain", "\(stage) \(part)", "in \(pc.inCount) ≠ \(before)/\(part).csv rows \(published)")
            } else {
                check(false, "chain", "\(stage) \(part)", "read \(part), which \(before) did not publish as \(part).csv")
            }
        }
        if !m.sources.isEmpty {
            check(partsIn == m.counts.inCount, "chain", stage, "parts read \(partsIn) records where the total says \(m.counts.inCount)")
        }
        if Self.carriesEveryRecord.contains(m.stage) {
            check(m.counts.inCount == prev.counts.out, "chain", stage, "in \(m.counts.inCount) ≠ \(before) out \(prev.counts.out)")
        }
    }

    /// CSV records in a file (header excluded); -1 when unreadable.
    static func countRecords(_ path: String) -> Int {
        guard let r = try? CSVReader(path: path) else { return -1 }
        var n = 0
        r.forEach { _ in n += 1 }
        return n
    }
}
