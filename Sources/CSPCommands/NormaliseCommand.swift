import ArgumentParser
import CSPCore
import CSPStages

/// `csp-normalise`: stage 4 alone, on the geocode outputs of a run.
public struct NormaliseCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "csp-normalise", abstract: "Stage 4: the published datasets as CSV and one SQLite warehouse, with their dictionary.", version: ToolVersion.current)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run whose geocode outputs to normalise (a run id or latest).")
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(.normalise, common: common, baseRun: baseRun) }
}
