import ArgumentParser
import CSPCore

/// `csp`: the umbrella command.
public struct CSPCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "csp",
        abstract: "Community safety partnership ETL: ingest, clean, geocode, normalise, assess.",
        version: ToolVersion.current,
        subcommands: [RunCommand.self, StageCommand.self, InspectCommand.self, StatusCommand.self, AuditCommand.self, PurgeCommand.self, KeyCommand.self, PublishCommand.self]
    )
}
