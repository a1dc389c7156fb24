import Foundation
import Logging

/// Runs a contiguous range of stages into a new run folder, carrying earlier stages over from a base run,
/// writing `run.json` and one ledger line per stage attempt, and moving `latest` only after the run succeeds.
public struct PipelineRunner: Sendable {
    /// The pipeline.
    public let pipeline: PipelineDefinition
    /// Stage implementations that exist, in any order.
    public let stages: [any PipelineStage]
    /// Logger.
    public let logger: Logger
    /// Progress on standard error (`ProgressMeter.off` for none).
    public let progress: ProgressMeter

    /// Creates a runner.
    public init(pipeline: PipelineDefinition, stages: [any PipelineStage], logger: Logger, progress: ProgressMeter = .off) {
        self.pipeline = pipeline
        self.stages = stages.sorted { $0.id < $1.id }
        self.logger = logger
        self.progress = progress
    }

    /// Stages this build provides.
    public var available: [StageID] { stages.map(\.id) }

    /// Runs the request. Returns the run summary on success; on failure records everything, then throws the first error.
    @discardableResult
    public func run(_ request: RunRequest) throws -> RunSummary {
        guard let firstAvailable = available.first, let lastAvailable = available.last else { throw StageError.configuration("no stages are built") }
        let first = request.from ?? firstAvailable
        let last = request.until ?? lastAvailable
        for s in [first, last] where !available.contains(s) {
            throw StageError.configuration("stage `\(s.rawValue)` is not built yet; available: \(available.map(\.rawValue).joined(separator: ", "))")
        }
        guard first <= last else { throw StageError.configuration("--from \(first.rawValue) comes after --until \(last.rawValue)") }

        let layout = RunLayout(output: request.output, pipeline: pipeline.name)
        try FileSystem.makeDirectory(layout.runs)
        let ledger = Ledger(path: layout.ledger)
        let lock = try RunLock(path: layout.lock, holder: .init(pid: getpid(), host: request.host, user: request.user, started: Timestamp.iso(), arguments: request.arguments))
        defer { lock.release() }

        // Stages before `first` come from the base run.
        let toCarry = StageID.allCases.filter { $0 < first }
        var parent: String?
        if let base = request.baseRun {
            parent = try layout.resolve(base)
        } else if !toCarry.isEmpty {
            // `--from` resumes: the newest run, failed or not, that published every earlier stage.
            parent = request.resume ? Self.newestRun(in: layout, with: toCarry) : nil
            if parent == nil { parent = try layout.resolve("latest") }
        }

        let keyFingerprint = pipeline.privacy.keyFile.flatMap { try? KeyFile.load(path: $0).fingerprint }
        let runID = RunID.make()
        let runDir = layout.run(runID)
        try FileSystem.makeDirectory(runDir)
        let started = Timestamp.iso()
        let clock = ContinuousClock()
        var outcomes: [RunSummary.StageOutcome] = []
        var firstError: Error?
        // Failures that let later stages run (a gate, a broken input): stage 5's report names them at the top.
        var failures: [String] = []

        func ledgerLine(stage: StageID?, counts: StageCounts?, outcome: String, code: ExitCode, seconds: Double, message: String?, event: String = "stage") {
            var entry = LedgerEntry(event: event, runID: runID, stage: stage, parentRun: parent, user: request.user, host: request.host,
                                    trigger: request.trigger, arguments: request.arguments, configHash: pipeline.configHash, counts: counts,
                                    outcome: outcome, exitCode: code.rawValue, durationSeconds: seconds, message: message)
            entry.keyFingerprint = keyFingerprint
            do { try ledger.append(entry) } catch { logger.error("cannot append to the ledger: \(error)") }
        }

        if let stale = lock.takenOverFrom {
            ledgerLine(stage: nil, counts: nil, outcome: "succeeded", code: .success, seconds: 0,
                       message: "took over a stale lock left by \(stale)", event: "lock-takeover")
            logger.warning("took over a stale lock left by \(stale)")
        }

        for stage in toCarry {
            guard let parent else { break }
            let from = layout.stage(stage, run: parent)
            guard FileManager.default.fileExists(atPath: from + "/manifest.json") else {
                firstError = StageError.missingStageInput(stage: first, needs: stage, run: parent)
                break
            }
            do {
                try FileSystem.linkTree(from: from, to: layout.stage(stage, run: runID))
                let m = try JSON.read(Manifest.self, from: from + "/manifest.json")
                outcomes.append(.init(stage: stage, status: "carried", counts: m.counts, carriedFrom: parent))
                ledgerLine(stage: stage, counts: m.counts, outcome: "carried", code: .success, seconds: 0, message: "carried from run \(parent)")
            } catch {
                firstError = error
                break
            }
        }

        if firstError == nil {
            for impl in stages where impl.id >= first && impl.id <= last {
                let t0 = clock.now
                logger.info("stage \(impl.id.rawValue): starting", metadata: ["run": "\(runID)"])
                do {
                    let (fingerprint, inputs, digests) = try StageFingerprint(pipeline: pipeline, layout: layout, runID: runID).compute(impl)
                    // After a failure no stage is carried from `latest` (a good run): its report would not say the run failed.
                    if !request.force, failures.isEmpty, let reused = try skip(impl.id, fingerprint: fingerprint, layout: layout, runID: runID) {
                        outcomes.append(.init(stage: impl.id, status: "skipped", counts: reused.counts, carriedFrom: reused.carriedFrom))
                        ledgerLine(stage: impl.id, counts: reused.counts, outcome: "skipped", code: .success, seconds: (clock.now - t0).seconds,
                                   message: "inputs, configuration and tool version unchanged since run \(reused.carriedFrom ?? "?"); outputs carried by hard link")
                        logger.info("stage \(impl.id.rawValue): unchanged since run \(reused.carriedFrom ?? "?"), skipped")
                        continue
                    }
                    let outcome = try StageExecutor(pipeline: pipeline, runID: runID, layout: layout, logger: logger, progress: progress).execute(impl, inputs: inputs, fingerprint: fingerprint, digests: digests,
                                                                                                                  earlierFailures: failures)
                    let secs = (clock.now - t0).seconds
                    let c = outcome.manifest.counts
                    for w in outcome.warnings {
                        logger.warning("\(w)", metadata: ["stage": "\(impl.id.rawValue)"])
                        ledgerLine(stage: impl.id, counts: nil, outcome: "warning", code: .success, seconds: 0, message: w, event: "warning")
                    }
                    if let failure = outcome.failure {
                        outcomes.append(.init(stage: impl.id, status: "failed", counts: c, message: failure.description))
                        ledgerLine(stage: impl.id, counts: c, outcome: "failed", code: failure.exitCode, seconds: secs, message: failure.description)
                        logger.error("\(failure.description)")
                        failures.append(failure.description)
                        if firstError == nil { firstError = failure }
                        // The gate marks the run failed, but later stages still run so that everything is written.
                    } else {
                        outcomes.append(.init(stage: impl.id, status: "succeeded", counts: c))
                        ledgerLine(stage: impl.id, counts: c, outcome: "succeeded", code: .success, seconds: secs, message: nil)
                    }
                    logger.info("stage \(impl.id.rawValue): in \(c.inCount), out \(c.out), rejected \(c.rejected), excluded \(c.excluded), duplicates \(c.duplicates)",
                                metadata: ["run": "\(runID)", "seconds": "\(String(format: "%.2f", secs))"])
                } catch {
                    let secs = (clock.now - t0).seconds
                    let code = (error as? ExitCodeProviding)?.exitCode ?? .dataError
                    outcomes.append(.init(stage: impl.id, status: "failed", counts: nil, message: "\(error)"))
                    ledgerLine(stage: impl.id, counts: nil, outcome: "failed", code: code, seconds: secs, message: "\(error)")
                    firstError = firstError ?? error
                    break
                }
            }
        }

        let code = firstError.map { ($0 as? ExitCodeProviding)?.exitCode ?? .dataError } ?? .success
        let summary = RunSummary(runID: runID, parentRun: parent, pipeline: pipeline.name, pipelineFile: pipeline.file, trigger: request.trigger,
                                 user: request.user, host: request.host, arguments: request.arguments, toolVersion: ToolVersion.current,
                                 configHash: pipeline.configHash, variables: pipeline.variables, started: started, finished: Timestamp.iso(),
                                 status: firstError == nil ? "succeeded" : "failed", exitCode: code.rawValue, stages: outcomes, keyFingerprint: keyFingerprint)
        do {
            try FileSystem.writeAtomically(try JSON.pretty(summary), to: runDir + "/run.json")
            try FileSystem.writeAtomically(Data(AuditPage.render(runDirectory: runDir).utf8), to: runDir + "/audit.html")
        } catch let error where firstError != nil {
            // A full disk or a read-only folder fails these writes too: the error to report is the stage's, which came first.
            logger.error("\(error)")
        }
        if let firstError { throw firstError }
        try layout.moveLatest(to: runID)
        logger.info("run \(runID) succeeded; latest now points at it")
        return summary
    }
}

extension PipelineRunner {
    /// The newest run whose folders hold a published manifest for each of `stages`.
    static func newestRun(in layout: RunLayout, with stages: [StageID]) -> String? {
        layout.runIDs().reversed().first { id in
            stages.allSatisfy { stage in
                guard let m = try? JSON.read(Manifest.self, from: layout.stage(stage, run: id) + "/manifest.json") else { return false }
                return m.status != "failed"
            }
        }
    }

    /// When `latest` ran this stage with the same fingerprint, carries its outputs into this run by hard link
    /// and writes a manifest (a copy, not a link) marked `skipped`. Returns that manifest, or nil to run the stage.
    func skip(_ stage: StageID, fingerprint: String, layout: RunLayout, runID: String) throws -> Manifest? {
        guard let latest = layout.latestRunID(), latest != runID else { return nil }
        let from = layout.stage(stage, run: latest)
        guard var m = try? JSON.read(Manifest.self, from: from + "/manifest.json"),
              m.status == "succeeded" || m.status == "skipped", m.inputFingerprint == fingerprint else { return nil }
        // Outputs changed since they were published (a truncated file, say) are not carried: the stage reruns.
        // Sizes only, so that a no-change nightly run stays cheap; `csp audit` checks every checksum.
        for o in m.outputs {
            var st = stat()
            guard stat(from + "/" + o.path, &st) == 0, Int(st.st_size) == o.bytes else {
                logger.warning("stage \(stage.rawValue): \(stage.folder)/\(o.path) of run \(latest) no longer matches its manifest; the stage reruns")
                return nil
            }
        }
        let to = layout.stage(stage, run: runID)
        let tmp = layout.run(runID) + "/.tmp-\(stage.folder)-\(getpid())"
        try? FileManager.default.removeItem(atPath: tmp)
        try FileSystem.linkTree(from: from, to: tmp)
        unlink(tmp + "/manifest.json")
        let origin = m.carriedFrom ?? m.runID
        m.status = "skipped"
        m.carriedFrom = origin
        m.runID = runID
        try FileSystem.writeAtomically(try JSON.pretty(m), to: tmp + "/manifest.json")
        try FileSystem.publish(tmp, as: to)
        return m
    }
}

extension Duration {
    /// Seconds as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
