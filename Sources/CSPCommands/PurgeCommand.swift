import ArgumentParser
import CSPCore
import Foundation

/// `csp purge`: delete what is past the pipeline's retention policy.
public struct PurgeCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete run outputs past the pipeline's `retention:` policy (one ledger line per deletion); --dry-run lists them.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "List what would be deleted, delete nothing.")
    var dryRun = false

    /// Runs.
    public func run() throws {
        do {
            let pipeline = try common.loadPipeline()
            let layout = RunLayout(output: common.outputFolder(for: pipeline), pipeline: pipeline.name)
            let purge = Purge(pipeline: pipeline, layout: layout)
            if dryRun {
                let items = purge.plan()
                for i in items { print("would delete \(i)") }
                print("\(items.count) item(s) past retention; nothing deleted (dry run)")
                return
            }
            let req = common.request(for: pipeline)
            let items = try purge.run(user: req.user, host: req.host, trigger: req.trigger, arguments: req.arguments)
            for i in items { print("deleted \(i)") }
            print("\(items.count) item(s) deleted")
        } catch { throw Failure.exit(error) }
    }
}
