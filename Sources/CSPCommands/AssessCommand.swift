import ArgumentParser
import CSPCore
import CSPStages

/// `csp-assess`: stage 5 alone, on the normalise outputs of a run.
public struct AssessCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "csp-assess", abstract: "Stage 5: the strategic assessment tables, assessment.json and report.html from the warehouse.", version: ToolVersion.current)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run whose warehouse to assess (a run id or latest).")
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(.assess, common: common, baseRun: baseRun) }
}
