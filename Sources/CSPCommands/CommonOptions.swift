import ArgumentParser
import CSPCore
import Foundation

/// Options shared by every command that finds a pipeline's runs.
public struct CommonOptions: ParsableArguments {
    /// Creates defaults.
    public init() {}

    @Option(name: .long, help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .long, help: "Output folder (default: the pipeline's `output.folder`, else ./Output).")
    var output: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a pipeline variable.", valueName: "name=value"))
    var variables: [String] = []

    @Option(name: .long, help: "Log format on standard error: text or json.")
    var logFormat: LogFormat = .text

    @Option(name: .long, help: "Who started this: cron or interactive (default: interactive when standard input is a terminal).")
    var trigger: String?

    @Flag(name: .shortAndLong, help: "Only warnings and errors on standard error.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Seconds a run goes before its progress is shown on standard error (a line redrawn in place when it is a terminal; JSON lines with --log-format json).", valueName: "seconds"))
    var progressAfter: Double = ProgressSettings.defaultAfter

    /// Checks `--set` syntax.
    public func validate() throws {
        for v in variables where !v.contains("=") || v.hasPrefix("=") {
            throw ValidationError("--set takes name=value, not `\(v)`")
        }
        if let trigger, trigger != "cron", trigger != "interactive" { throw ValidationError("--trigger is cron or interactive") }
        if !(progressAfter >= 0) { throw ValidationError("--progress-after takes seconds, 0 or more") }
    }

    /// The `--set` values.
    var overrides: [String: String] {
        var out: [String: String] = [:]
        for v in variables {
            let parts = v.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    /// Loads the pipeline.
    func loadPipeline() throws -> PipelineDefinition {
        try PipelineLoader(overrides: overrides).load(path: pipeline)
    }

    /// The output folder: `--output` (against the working directory), else the pipeline's, else ./Output.
    func outputFolder(for p: PipelineDefinition) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if let output { return absolute(output, against: cwd) }
        return p.output.folder ?? absolute("Output", against: cwd)
    }

    /// A run request with who, where and why filled in. Also narrows the umask: run folders and files
    /// are created readable by owner and group only (the data is about victims, suspects and children).
    func request(for p: PipelineDefinition) -> RunRequest {
        umask(0o027)
        return RunRequest(output: outputFolder(for: p), trigger: trigger ?? (isatty(0) == 1 ? "interactive" : "cron"),
                   arguments: CommandLine.arguments, user: Environment.user, host: Environment.host)
    }
}

extension CommonOptions {
    /// Progress on standard error: JSON lines with `--log-format json`; else a line redrawn in place when standard
    /// error is a terminal; nothing with `--quiet` or when standard error is a file or a pipe (tests, cron logs).
    func progressSettings(stderrIsTerminal: Bool = isatty(2) == 1) -> ProgressSettings {
        if quiet { return .off }
        switch logFormat {
        case .json: return ProgressSettings(mode: .json, after: progressAfter)
        case .text: return stderrIsTerminal ? ProgressSettings(mode: .terminal, after: progressAfter) : .off
        }
    }
}

/// Who and where, read once at the command layer.
enum Environment {
    static var user: String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return String(getuid())
    }
    static var host: String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count)
        return String(cString: buf)
    }
}
