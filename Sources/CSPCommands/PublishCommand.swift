import ArgumentParser
import CSPCore
import CSPPublish
import Foundation

/// `csp publish`: loads a run's published datasets into a team's PostgreSQL (with PostGIS), in one transaction,
/// once per run (README, "Publish").
public struct PublishCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Load a run's published datasets into PostgreSQL/PostGIS (one transaction per run; the same run twice loads once).",
        discussion: """
            Credentials come from the environment (PGUSER, PGPASSWORD, PGSERVICE, ...) or ~/.pgpass, as for psql; a password \
            in --to is refused. Needs psql (postgresql-client). Exit 69 when the server cannot be reached, 77 when it refuses \
            the credentials, 73 when the schema holds tables csp did not load, 65 when the run's files do not match their manifest.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("run"), help: "Run to publish (a run id or latest).")
    var run_: String = "latest"

    @Option(name: .customLong("to"), help: ArgumentHelp("The server and database: postgresql://[user@]host[:port]/database (no password).", valueName: "url"))
    var to: String

    @Option(help: "Schema the tables go into (created when missing; must hold nothing but csp's loads).")
    var schema: String = "csp"

    /// Checks the URL and the schema name before anything is read.
    public func validate() throws {
        do { _ = try PostgresTarget(to) } catch let e as PublishError { throw ValidationError(e.description) }
        guard !schema.isEmpty, schema.utf8.count <= 63, schema.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
              !(schema.first?.isNumber ?? true) else {
            throw ValidationError("--schema takes a lower-case PostgreSQL name (a-z, 0-9, _; at most 63 characters), not `\(schema)`")
        }
    }

    /// Runs.
    public func run() throws {
        do {
            signal(SIGPIPE, SIG_IGN)  // a psql that dies mid-load is an error to report, not a signal that kills csp
            let pipeline = try common.loadPipeline()
            let logger = common.makeLogger()
            let layout = RunLayout(output: common.outputFolder(for: pipeline), pipeline: pipeline.name)
            let id = try layout.resolve(run_)
            let plan = try PublishPlan(runID: id, pipeline: pipeline.name, normalised: layout.stage(.normalise, run: id))
            logger.info("publish: run \(id): \(plan.datasets.count) datasets, \(plan.rows) rows, checksums equal the manifest's")
            let publisher = try PostgresPublisher(target: try PostgresTarget(to), schema: schema, logger: logger)
            switch try publisher.publish(plan, loadedBy: Environment.user + "@" + Environment.host) {
            case let .loaded(tables, rows, seconds):
                print("published run \(id) to \(to) schema \(schema): \(tables) tables, \(rows) rows in \(String(format: "%.1f", seconds)) s")
            case let .alreadyLoaded(at):
                print("run \(id) is already the current load of \(to) schema \(schema) (loaded \(at)): nothing to do")
            }
        } catch { throw Failure.exit(error) }
    }
}
