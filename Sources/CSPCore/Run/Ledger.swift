import CSPStorage
import Foundation

/// One line of `ledger.jsonl`: a stage attempt (or a run-level event such as a lock takeover).
public struct LedgerEntry: Sendable, Codable, Equatable {
    /// When the attempt finished (UTC).
    public var time: String
    /// Event: `stage` for stage attempts, `run` for run summaries, or another event name.
    public var event: String
    /// Run id.
    public var runID: String
    /// Stage, for stage attempts.
    public var stage: StageID?
    /// Parent run, for reruns and resumed runs.
    public var parentRun: String?
    /// Who ran it.
    public var user: String
    /// Host.
    public var host: String
    /// `cron` or `interactive`.
    public var trigger: String
    /// The command line.
    public var arguments: [String]
    /// csp version.
    public var toolVersion: String
    /// Pipeline configuration hash.
    public var configHash: String
    /// Counts, for stage attempts.
    public var counts: StageCounts?
    /// `succeeded`, `failed`, `skipped`, `carried`.
    public var outcome: String
    /// Exit code the attempt maps to.
    public var exitCode: Int32
    /// Seconds.
    public var durationSeconds: Double
    /// Error or note.
    public var message: String?
    /// Fingerprint of the pseudonym key in force (never the key), when the pipeline names one.
    public var keyFingerprint: String?

    /// Creates an entry.
    public init(time: String = Timestamp.iso(), event: String, runID: String, stage: StageID?, parentRun: String?, user: String, host: String,
                trigger: String, arguments: [String], toolVersion: String = ToolVersion.current, configHash: String, counts: StageCounts?,
                outcome: String, exitCode: Int32, durationSeconds: Double, message: String?) {
        self.time = time; self.event = event; self.runID = runID; self.stage = stage; self.parentRun = parentRun; self.user = user
        self.host = host; self.trigger = trigger; self.arguments = arguments; self.toolVersion = toolVersion; self.configHash = configHash
        self.counts = counts; self.outcome = outcome; self.exitCode = exitCode; self.durationSeconds = durationSeconds; self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case time, event, runID = "run_id", stage, parentRun = "parent_run", user, host, trigger, arguments
        case toolVersion = "tool_version", configHash = "config_hash", counts, outcome, exitCode = "exit_code"
        case durationSeconds = "duration_s", message, keyFingerprint = "key_fingerprint"
    }
}

/// The append-only ledger: each entry is one `write(2)` to a file opened with `O_APPEND`, so lines never interleave.
public struct Ledger: Sendable {
    /// `ledger.jsonl`.
    public let path: String

    /// A ledger at `path`.
    public init(path: String) { self.path = path }

    /// Appends one entry.
    public func append(_ entry: LedgerEntry) throws {
        var data = try JSON.line(entry)
        data.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o640)
        guard fd >= 0 else { throw StageError.system("open for append", path: path) }
        defer { close(fd) }
        // One write(2), never continued: a line cut short by a full disk is better left alone than split.
        let written = try FileWrite.once(data, to: fd, path: path, operation: "append")
        guard written == data.count else { throw StageError.io(path: path, operation: "append", reason: "wrote \(written) of \(data.count) bytes (disk full?)") }
    }

    /// Every entry, oldest first.
    public func entries() throws -> [LedgerEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let dec = JSONDecoder()
        return try text.split(separator: "\n").map { try dec.decode(LedgerEntry.self, from: Data($0.utf8)) }
    }
}
