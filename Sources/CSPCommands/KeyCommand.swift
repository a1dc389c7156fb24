import ArgumentParser
import CSPCore
import Foundation

/// `csp key`: create or rotate the pipeline's pseudonym key.
public struct KeyCommand: ParsableCommand {
    /// Creates the command.
    public init() {}

    /// Help.
    public static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create or rotate the pseudonym key named by the pipeline's privacy.key_file.",
        subcommands: [Init.self, Rotate.self])

    /// `csp key init`.
    public struct Init: ParsableCommand {
        /// Creates the command.
        public init() {}
        /// Help.
        public static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a new random key (mode 600); refuses to replace an existing one.")

        @OptionGroup var common: CommonOptions

        @Flag(help: "Succeed without changes when a valid key already exists (for make demo and first-time set-up).")
        var ifMissing = false

        /// Runs.
        public func run() throws {
            do {
                let pipeline = try common.loadPipeline()
                guard let path = pipeline.privacy.keyFile else { throw StageError.configuration("\(pipeline.file) sets no privacy.key_file") }
                if ifMissing, FileManager.default.fileExists(atPath: path) {
                    let key = try KeyFile.load(path: path)
                    print("key \(path) exists (fingerprint \(key.fingerprint))")
                    return
                }
                let key = try KeyFile.create(path: path)
                print("wrote key \(path) (fingerprint \(key.fingerprint)); keep it outside the output folder and back it up securely")
            } catch { throw Failure.exit(error) }
        }
    }

    /// `csp key rotate`.
    public struct Rotate: ParsableCommand {
        /// Creates the command.
        public init() {}
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the key. The next run re-derives every pseudonym from the raw inputs; old and new pseudonyms are deliberately unlinkable.")

        @OptionGroup var common: CommonOptions

        /// Runs.
        public func run() throws {
            do {
                let pipeline = try common.loadPipeline()
                guard let path = pipeline.privacy.keyFile else { throw StageError.configuration("\(pipeline.file) sets no privacy.key_file") }
                let old = try? KeyFile.load(path: path)
                let key = try KeyFile.create(path: path, replace: true)
                let layout = RunLayout(output: common.outputFolder(for: pipeline), pipeline: pipeline.name)
                try? FileSystem.makeDirectory(layout.root)
                let req = common.request(for: pipeline)
                try Ledger(path: layout.ledger).append(LedgerEntry(
                    event: "key-rotate", runID: "", stage: nil, parentRun: nil, user: req.user, host: req.host, trigger: req.trigger,
                    arguments: req.arguments, configHash: pipeline.configHash, counts: nil, outcome: "succeeded", exitCode: 0, durationSeconds: 0,
                    message: "pseudonym key rotated: fingerprint \(old?.fingerprint ?? "none") → \(key.fingerprint)"))
                print("rotated key \(path): fingerprint \(old?.fingerprint ?? "none") → \(key.fingerprint); the next run re-derives every pseudonym (use --force once incremental runs exist)")
            } catch { throw Failure.exit(error) }
        }
    }
}
