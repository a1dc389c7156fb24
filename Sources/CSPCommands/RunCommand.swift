import ArgumentParser
import CSPCore

/// `csp run`: every stage, or a contiguous range, into a new run.
public struct RunCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the pipeline's stages into a new run folder.")

    @OptionGroup var common: CommonOptions

    @Option(help: "First stage to run (resume): earlier stages are carried from --run, else from the newest run that has them.")
    var from: StageID?

    @Option(help: "Last stage to run.")
    var until: StageID?

    @Option(name: .customLong("run"), help: "Run to carry earlier stages from (a run id or latest).")
    var baseRun: String?

    @Flag(help: "Rerun every stage, even those whose inputs, configuration and tool version are unchanged since the latest run.")
    var force = false

    /// Runs.
    public func run() throws {
        try Execution.run(common, from: from, until: until, baseRun: baseRun, force: force, resume: from != nil)
    }
}
