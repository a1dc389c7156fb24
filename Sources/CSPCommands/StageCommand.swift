import ArgumentParser
import CSPCore
import CSPPipeline

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
            let console = StderrConsole()
            let progress = ProgressMeter(settings: common.progressSettings(), console: console)
            let summary = try PipelineRunner(pipeline: pipeline, stages: Stages.all, logger: common.makeLogger(console: console), progress: progress).run(request)
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

/// The per-stage executables (`csp-ingest` … `csp-assess`): one command shape, the stage given by a type.
public protocol StageExecutable {
    /// The stage the executable runs.
    static var stage: StageID { get }
    /// Its one-line help.
    static var abstract: String { get }
    /// Help for `--run`.
    static var runHelp: String { get }
}

/// `csp-<stage>`: one stage alone, on the outputs of the previous stages of a run (`--run`, default latest).
public struct StageExecutableCommand<S: StageExecutable>: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "csp-\(S.stage.rawValue)", abstract: S.abstract, version: ToolVersion.current)
    }

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: ArgumentHelp(S.runHelp))
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(S.stage, common: common, baseRun: baseRun) }
}

/// `csp-ingest`.
public enum IngestExecutable: StageExecutable {
    public static let stage = StageID.ingest
    public static let abstract = "Stage 1: read every raw export into one UTF-8 CSV per source."
    public static let runHelp = "Parent run to record (optional; ingest reads the raw exports)."
}

/// `csp-clean`.
public enum CleanExecutable: StageExecutable {
    public static let stage = StageID.clean
    public static let abstract = "Stage 2: typed, validated, pseudonymised records per entity; duplicates removed."
    public static let runHelp = "Run whose ingest outputs to clean (a run id or latest)."
}

/// `csp-geocode`.
public enum GeocodeExecutable: StageExecutable {
    public static let stage = StageID.geocode
    public static let abstract = "Stage 3: locate every record in the pipeline's area layers (new and old wards, SNT areas, towns, places); exclude out-of-area records."
    public static let runHelp = "Run whose clean outputs to geocode (a run id or latest)."
}

/// `csp-normalise`.
public enum NormaliseExecutable: StageExecutable {
    public static let stage = StageID.normalise
    public static let abstract = "Stage 4: publish the normalised datasets as CSVs and one SQLite warehouse, with DICTIONARY.md."
    public static let runHelp = "Run whose geocode outputs to publish (a run id or latest)."
}

/// `csp-assess`.
public enum AssessExecutable: StageExecutable {
    public static let stage = StageID.assess
    public static let abstract = "Stage 5: the strategic assessment's tables, assessment.json and report.html from the warehouse."
    public static let runHelp = "Run whose warehouse to assess (a run id or latest)."
}
