import CSPStorage
import Foundation
import Logging

/// Runs one stage into a temporary folder, checks its counts, writes its manifest and renames it into place.
struct StageExecutor {
    let pipeline: PipelineDefinition
    let runID: String
    let layout: RunLayout
    let logger: Logger
    var progress: ProgressMeter = .off

    /// What a stage execution produced: its manifest, and the data failures to raise once it is published.
    struct Outcome {
        var manifest: Manifest
        var failure: StageError?
        /// Warnings the stage reported (each gets a log line and a ledger line).
        var warnings: [String] = []
    }

    func execute(_ impl: any PipelineStage, inputs: StageInputs, fingerprint: String? = nil, digests: [String: (hex: String, bytes: Int)] = [:],
                 earlierFailures: [String] = []) throws -> Outcome {
        WrittenDigests.install()
        let stage = impl.id
        let started = Timestamp.iso()
        let runDir = layout.run(runID)
        let final = layout.stage(stage, run: runID)
        let tmp = runDir + "/.tmp-\(stage.folder)-\(getpid())"
        try? FileManager.default.removeItem(atPath: tmp)
        try FileSystem.makeDirectory(tmp)
        var inputDir: String?
        if let prev = stage.previous {
            let dir = layout.stage(prev, run: runID)
            guard FileManager.default.fileExists(atPath: dir + "/manifest.json") else {
                throw StageError.missingStageInput(stage: stage, needs: prev, run: runID)
            }
            inputDir = dir
        }
        let context = try StageContext(pipeline: pipeline, stage: stage, runID: runID, layout: layout, inputDirectory: inputDir, outputDirectory: tmp, logger: logger,
                                   inputs: inputs, digests: digests, progress: progress)
        context.earlierFailures = earlierFailures
        let report: StageReport
        progress.beginStage(stage, files: progress.isOn ? ProgressMeter.inputFiles(of: stage, inputs: inputs, inputDirectory: inputDir) : [])
        defer { progress.endStage() }
        do {
            report = try impl.run(context)
            try context.closeWriters()
        } catch {
            try? context.closeWriters()
            try? FileManager.default.removeItem(atPath: tmp)
            throw error
        }

        // Conservation: totals, every part, and the issue files agree with the counts.
        let c = report.counts
        let written = context.issueCounts
        var unbalanced = !c.balances || c.rejected != written.rejected || c.excluded != written.excluded || c.duplicates != written.duplicates
        var partsSum = StageCounts()
        for (_, p) in report.parts { unbalanced = unbalanced || !p.balances; partsSum = partsSum + p }
        if !report.parts.isEmpty && partsSum != c { unbalanced = true }
        if unbalanced {
            try? FileManager.default.removeItem(atPath: tmp)
            var shown = c
            if c.balances { shown.rejected = written.rejected; shown.excluded = written.excluded; shown.duplicates = written.duplicates }
            throw StageError.conservation(stage: stage, counts: shown)
        }

        // The data-quality gate.
        var failures: [QualityFailure] = []
        for (part, limit) in report.gates.sorted(by: { $0.key < $1.key }) {
            let p = report.parts[part] ?? StageCounts()
            let f = QualityFailure(source: part, inCount: p.inCount, rejected: p.rejected, limit: limit)
            if f.share > limit { failures.append(f) }
        }

        var outputs: [Manifest.FileEntry] = []
        for rel in try FileSystem.files(under: tmp) {
            let (hex, bytes) = try WrittenDigests.sha256(path: tmp + "/" + rel)  // hashed as written when a CSVWriter wrote it
            var rows = report.outputRows[rel]
            var role = "dataset"
            switch rel {
            case "rejects.csv": rows = written.rejected; role = "rejects"
            case "excluded.csv": rows = written.excluded; role = "excluded"
            case "duplicates.csv": rows = written.duplicates; role = "duplicates"
            case CoverageCalendar.fileName: role = "coverage"  // the calendar of months, not records: no lineage
            case StageSideFiles.collisions: role = "collisions"  // a list of records published in the entity files
            default: break
            }
            outputs.append(Manifest.FileEntry(path: rel, sha256: hex, bytes: bytes, rows: rows, role: role))
        }
        var failure: StageError? = failures.isEmpty ? nil : .qualityGate(stage: stage, failures: failures)
        if !report.brokenInputs.isEmpty {
            let gate = failure.map { [$0.description] } ?? []
            failure = .brokenInput(stage: stage, messages: report.brokenInputs + gate)
        }
        // Every declared input is listed with its checksum, in declaration order; an entry the stage reported itself
        // for a declared file (with the rows it read) takes its place. Then the previous stage's files it read.
        let reported = Dictionary(report.inputs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var listed: [Manifest.FileEntry] = []
        var seen = Set<String>()
        for d in inputs.declared {
            let entry = try context.inputEntry(d.path, role: d.role)
            var e = reported[entry.path] ?? entry
            e.role = d.role
            if seen.insert(e.path).inserted { listed.append(e) }
        }
        for e in report.inputs where seen.insert(e.path).inserted { listed.append(e) }
        var manifest = Manifest(stage: stage, runID: runID, status: failure == nil ? "succeeded" : "failed", started: started, finished: Timestamp.iso(),
                                toolVersion: ToolVersion.current, configHash: pipeline.configHash, inputs: listed, outputs: outputs,
                                counts: c, sources: report.parts)
        manifest.inputFingerprint = fingerprint
        try FileSystem.writeAtomically(try JSON.pretty(manifest), to: tmp + "/manifest.json")
        try FileSystem.publish(tmp, as: final)
        return Outcome(manifest: manifest, failure: failure, warnings: report.warnings)
    }
}
