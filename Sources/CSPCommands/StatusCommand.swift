import ArgumentParser
import CSPCore
import Foundation

/// `csp status`: the latest runs, their stages and counts.
public struct StatusCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(commandName: "status", abstract: "List the latest runs, their stages and counts.")

    @OptionGroup var common: CommonOptions

    @Option(help: "How many runs to show, newest first.")
    var limit = 10

    @Flag(help: "Print the run summaries as JSON.")
    var json = false

    /// Runs.
    public func run() throws {
        do {
            let pipeline = try common.loadPipeline()
            let layout = RunLayout(output: common.outputFolder(for: pipeline), pipeline: pipeline.name)
            let latest = layout.latestRunID()
            let summaries = layout.runIDs().suffix(limit).reversed().compactMap { id in
                try? JSON.read(RunSummary.self, from: layout.run(id) + "/run.json")
            }
            if json {
                FileHandle.standardOutput.write(try JSON.pretty(summaries))
                return
            }
            if summaries.isEmpty { print("no runs under \(layout.root)"); return }
            for s in summaries {
                let mark = s.runID == latest ? " (latest)" : ""
                print("\(s.runID)\(mark)  \(s.status)  exit \(s.exitCode)  \(s.trigger) by \(s.user)  \(s.started)\(s.parentRun.map { "  parent \($0)" } ?? "")")
                for st in s.stages {
                    let c = st.counts.map { "in \($0.inCount)  out \($0.out)  rejected \($0.rejected)  excluded \($0.excluded)  duplicates \($0.duplicates)" } ?? ""
                    print("  \(st.stage.folder.padding(toLength: 14, withPad: " ", startingAt: 0)) \(st.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(c)\(st.message.map { "  — \($0)" } ?? "")")
                }
            }
            // The coverage calendar of the newest run: its gaps, one line each.
            if let newest = summaries.first,
               let calendar = try CoverageCalendar.read(path: layout.stage(.ingest, run: newest.runID) + "/" + CoverageCalendar.fileName), !calendar.rows.isEmpty {
                let months = Set(calendar.rows.map(\.month)).sorted()
                let gaps = calendar.gaps
                print("coverage of run \(newest.runID): \(months.count) months, \(months.first ?? "") to \(months.last ?? ""); " + (gaps.isEmpty ? "every month present" : "\(gaps.count) gap(s):"))
                for g in gaps { print("  \(g.month)  \(g.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(CoverageCalendar.describe(g))") }
            }
        } catch { throw Failure.exit(error) }
    }
}
