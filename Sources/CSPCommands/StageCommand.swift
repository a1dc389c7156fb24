import ArgumentParser
import CSPCore
import CSPStages

/// `csp stage NAME`: rerun one stage on the inputs of a past run, into a new run that records its parent.
public struct StageCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "stage", abstract: "Rerun one stage on the inputs of a past run, into a new run.")

    @Argument(help: "The stage: ingest, clean, geocode, normalise or assess.")
    var stage: StageID

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run whose earlier stages are the inputs (a run id or latest).")
    var baseRun: String?

    /// Runs.
    public func run() throws {
        try SingleStage.run(stage, common: common, baseRun: baseRun)
    }
}

/// How every command that runs stages runs them: load the pipeline, build the request, run, print the run folder.
enum Execution {
    static func run(_ common: CommonOptions, from: StageID?, until: StageID?, baseRun: String?, force: Bool, resume: Bool = false) throws {
        do {
            let pipeline = try common.loadPipeline()
            var request = common.request(for: pipeline)
            request.from = from
            request.until = until
            request.baseRun = baseRun
            request.force = force
            request.resume = resume
            let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: common.makeLogger()).run(request)
            print(RunLayout(output: request.output, pipeline: pipeline.name).run(summary.runID))
        } catch {
            throw Failure.exit(error)
        }
    }
}

/// Shared by `csp stage` and the per-stage executables.
public enum SingleStage {
    /// Runs one stage (always, never skipped: an analyst asked for it); earlier stages are carried from `baseRun`
    /// (default latest; ingest needs none).
    public static func run(_ stage: StageID, common: CommonOptions, baseRun: String?) throws {
        try Execution.run(common, from: stage, until: stage, baseRun: baseRun, force: true)
    }
}

/// `csp-ingest`: stage 1 alone.
public struct IngestCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "csp-ingest", abstract: "Stage 1: read every raw export into one UTF-8 CSV per source.", version: ToolVersion.current)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Parent run to record (optional; ingest reads the raw exports).")
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(.ingest, common: common, baseRun: baseRun) }
}

/// `csp-clean`: stage 2 alone, on the ingest outputs of a run.
public struct CleanCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "csp-clean", abstract: "Stage 2: typed, validated, pseudonymised records per entity; duplicates removed.", version: ToolVersion.current)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run whose ingest outputs to clean (a run id or latest).")
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(.clean, common: common, baseRun: baseRun) }
}
