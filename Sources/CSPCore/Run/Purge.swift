import Foundation

/// Applies a pipeline's retention policy to its runs: what is past its time is deleted (or, dry, listed),
/// one ledger line per deletion. The run `latest` points at is never purged.
public struct Purge {
    /// One deletion.
    public struct Item: Sendable, Equatable, CustomStringConvertible {
        /// Run id.
        public var runID: String
        /// Path relative to the pipeline's output folder.
        public var path: String
        /// `runs`, `intermediates`, `rejects` or `published`.
        public var policyClass: String
        /// Age of the run in days.
        public var ageDays: Int

        /// `path (class, N days old)`.
        public var description: String { "\(path) (\(policyClass), \(ageDays) days old)" }
    }

    /// The pipeline.
    public let pipeline: PipelineDefinition
    /// Its runs.
    public let layout: RunLayout
    /// The time to measure ages from.
    public let now: Date

    /// Creates a purge.
    public init(pipeline: PipelineDefinition, layout: RunLayout, now: Date = Date()) {
        self.pipeline = pipeline; self.layout = layout; self.now = now
    }

    /// When a run started, from its id (`yyyyMMddTHHmmssZ-xxxx`).
    static func started(_ id: String) -> Date? {
        let digits = id.prefix(15).filter(\.isNumber).compactMap { Int(String($0)) }
        guard digits.count == 14 else { return nil }
        func n(_ r: Range<Int>) -> Int { digits[r].reduce(0) { $0 * 10 + $1 } }
        var c = DateComponents()
        c.year = n(0..<4); c.month = n(4..<6); c.day = n(6..<8); c.hour = n(8..<10); c.minute = n(10..<12); c.second = n(12..<14)
        c.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: c)
    }

    /// What the policy deletes now, in order.
    public func plan() -> [Item] {
        let policy = pipeline.retention
        let latest = layout.latestRunID()
        var items: [Item] = []
        for id in layout.runIDs() where id != latest {
            guard let start = Self.started(id) else { continue }
            let age = Int(now.timeIntervalSince(start) / 86_400)
            let rel = "runs/\(id)"
            if let keep = policy.runs, age > keep {
                items.append(Item(runID: id, path: rel, policyClass: "runs", ageDays: age))
                continue
            }
            for stage in StageID.allCases {
                let dir = layout.stage(stage, run: id)
                guard FileManager.default.fileExists(atPath: dir) else { continue }
                let intermediate = stage <= .geocode
                if intermediate, let keep = policy.intermediates, age > keep {
                    items.append(Item(runID: id, path: "\(rel)/\(stage.folder)", policyClass: "intermediates", ageDays: age))
                    continue
                }
                if !intermediate, let keep = policy.published, age > keep {
                    items.append(Item(runID: id, path: "\(rel)/\(stage.folder)", policyClass: "published", ageDays: age))
                    continue
                }
                if let keep = policy.rejects, age > keep {
                    for f in ["rejects.csv", "excluded.csv", "duplicates.csv"] where FileManager.default.fileExists(atPath: dir + "/" + f) {
                        items.append(Item(runID: id, path: "\(rel)/\(stage.folder)/\(f)", policyClass: "rejects", ageDays: age))
                    }
                }
            }
        }
        return items
    }

    /// Deletes the planned items, appending a ledger line for each.
    public func run(user: String, host: String, trigger: String, arguments: [String]) throws -> [Item] {
        let items = plan()
        let ledger = Ledger(path: layout.ledger)
        for item in items {
            do { try FileManager.default.removeItem(atPath: layout.root + "/" + item.path) } catch {
                throw StageError.io(path: layout.root + "/" + item.path, operation: "delete", reason: error.localizedDescription)
            }
            try ledger.append(LedgerEntry(event: "purge", runID: item.runID, stage: nil, parentRun: nil, user: user, host: host, trigger: trigger,
                                          arguments: arguments, configHash: pipeline.configHash, counts: nil, outcome: "succeeded", exitCode: 0,
                                          durationSeconds: 0, message: "deleted \(item.path): \(item.policyClass) past retention (\(item.ageDays) days)"))
        }
        return items
    }
}
