import ArgumentParser
import CSPCore

/// `csp-geocode`: stage 3 alone, on the clean outputs of a run.
public struct GeocodeCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "csp-geocode", abstract: "Stage 3: locate every record in the pipeline's area layers (new and old wards, SNT areas, towns, places); exclude out-of-area records.", version: ToolVersion.current)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run whose clean outputs to geocode (a run id or latest).")
    var baseRun: String?

    /// Runs.
    public func run() throws { try SingleStage.run(.geocode, common: common, baseRun: baseRun) }
}
