import ArgumentParser
import CSPCore
import CSPAudit
import Foundation

/// `csp audit`: re-verify a run; exits 65 on any mismatch, naming what and where.
public struct AuditCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-verify a run: checksums, conservation, the chain between stages, raw inputs, and lineage of sampled rows.")

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run to audit (a run id or latest).")
    var run_: String = "latest"

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// Runs.
    public func run() throws {
        do {
            let pipeline = try common.loadPipeline()
            let layout = RunLayout(output: common.outputFolder(for: pipeline), pipeline: pipeline.name)
            let id = try layout.resolve(run_)
            let report = try RunAuditor(pipeline: pipeline, layout: layout).audit(runID: id)
            if json {
                FileHandle.standardOutput.write(try JSON.pretty(report))
            } else {
                for f in report.findings { print("MISMATCH \(f)") }
                print("audit of run \(id): \(report.checks) checks, \(report.findings.count) mismatches, \(report.lineageRowsTraced) rows traced to their raw line")
            }
            if !report.passed { throw ArgumentParser.ExitCode(ExitCode.dataError.rawValue) }
        } catch { throw Failure.exit(error) }
    }
}
