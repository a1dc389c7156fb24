import CSPStorage
import Foundation

/// Where a pipeline's runs live: `<output>/<pipeline>/{ledger.jsonl, latest, runs/<run-id>/...}`.
public struct RunLayout: Sendable {
    /// `<output>/<pipeline>`.
    public let root: String

    /// Layout for pipeline `name` under the output folder.
    public init(output: String, pipeline name: String) {
        root = (output as NSString).appendingPathComponent(name)
    }

    /// `ledger.jsonl`.
    public var ledger: String { root + "/ledger.jsonl" }
    /// The `latest` symbolic link.
    public var latest: String { root + "/latest" }
    /// `runs/`.
    public var runs: String { root + "/runs" }
    /// The lock file.
    public var lock: String { root + "/.lock" }
    /// A run's folder.
    public func run(_ id: String) -> String { runs + "/" + id }
    /// A stage's folder inside a run.
    public func stage(_ stage: StageID, run id: String) -> String { run(id) + "/" + stage.folder }

    /// The run id `latest` points at, if any.
    public func latestRunID() -> String? {
        guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: latest) else { return nil }
        return (dest as NSString).lastPathComponent
    }

    /// Every run id, oldest first.
    public func runIDs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).filter(RunID.isValid).sorted()
    }

    /// Resolves `latest` or a run id to an existing run id.
    public func resolve(_ ref: String) throws -> String {
        if ref == "latest" {
            guard let id = latestRunID() else { throw StageError.noRun(root: root, ref: ref) }
            return id
        }
        guard RunID.isValid(ref), FileManager.default.fileExists(atPath: run(ref)) else { throw StageError.noRun(root: root, ref: ref) }
        return ref
    }

    /// Points `latest` at `id` atomically (a new link renamed over the old).
    public func moveLatest(to id: String) throws {
        let tmp = root + "/.latest.tmp.\(getpid())"
        unlink(tmp)
        try systemCall("symlink", path: tmp) { symlink("runs/" + id, tmp) }
        do { try systemCall("rename", path: latest) { rename(tmp, latest) } } catch { unlink(tmp); throw error }
    }
}
