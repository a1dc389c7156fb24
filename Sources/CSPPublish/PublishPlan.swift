import CSPCore
import CSPSchema
import CSPStorage
import Foundation

/// What `csp publish` loads from one run and the SQL that loads it: every published dataset CSV of stage 4 (its
/// manifest's outputs but the audit files `rejects.csv`, `excluded.csv`, `duplicates.csv`, which stay with the run),
/// each checked against the manifest's SHA-256 and size before anything is sent, with its table from the run's
/// `DICTIONARY.md`.
public struct PublishPlan: Sendable {
    /// One dataset to load.
    public struct Dataset: Sendable {
        /// Table name.
        public var name: String
        /// The CSV's absolute path.
        public var path: String
        /// Data rows the manifest records.
        public var rows: Int
        /// Its SHA-256 (checked equal to the manifest's).
        public var sha256: String
        /// Its table.
        public var table: DataDictionary.Table
    }

    /// The run id.
    public var runID: String
    /// The pipeline's name.
    public var pipeline: String
    /// SHA-256 of `04-normalised/manifest.json`: with the run id, what makes a load the same load.
    public var manifestSHA256: String
    /// The datasets, in name order.
    public var datasets: [Dataset]

    /// Roles of stage 4's outputs that are audit files, never loaded.
    static let auditRoles: Set<String> = ["rejects", "excluded", "duplicates"]

    /// Reads and checks the run's stage 4 (`normalised`: its folder): the manifest, the dictionary, and every CSV's
    /// checksum and size against the manifest (a file changed since the run is ``PublishError/runMismatch(file:reason:)``).
    public init(runID: String, pipeline: String, normalised dir: String) throws {
        let manifestPath = dir + "/manifest.json"
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw PublishError.noStage(file: manifestPath)
        }
        let manifest: Manifest
        do { manifest = try JSON.read(Manifest.self, from: manifestPath) } catch {
            throw PublishError.runMismatch(file: manifestPath, reason: "unreadable (\(error))")
        }
        // `skipped`: stage 4 was not rerun; its files were carried from an earlier run with the same inputs.
        guard manifest.status == "succeeded" || manifest.status == "skipped" else { throw PublishError.noStage(file: manifestPath + " (status \(manifest.status))") }
        let dictionary = try DataDictionary(path: dir + "/DICTIONARY.md")
        var datasets: [Dataset] = []
        for o in manifest.outputs.sorted(by: { $0.path < $1.path }) where o.path.hasSuffix(".csv") && !o.path.contains("/") && !Self.auditRoles.contains(o.role) {
            let name = String(o.path.dropLast(4)), path = dir + "/" + o.path
            guard let table = dictionary.tables[name] else { throw PublishError.runMismatch(file: path, reason: "DICTIONARY.md has no table `\(name)`") }
            guard let rows = o.rows else { throw PublishError.runMismatch(file: path, reason: "the manifest records no row count") }
            let (hex, bytes): (String, Int)
            do { (hex, bytes) = try FileDigest.sha256(path: path) } catch { throw PublishError.runMismatch(file: path, reason: "cannot be read (\(error))") }
            guard hex == o.sha256, bytes == o.bytes else {
                throw PublishError.runMismatch(file: path, reason: "SHA-256 \(hex.prefix(12))… (\(bytes) bytes) differs from the manifest's \(o.sha256.prefix(12))… (\(o.bytes) bytes): the file changed after the run")
            }
            datasets.append(Dataset(name: name, path: path, rows: rows, sha256: hex, table: table))
        }
        guard !datasets.isEmpty else { throw PublishError.runMismatch(file: manifestPath, reason: "lists no published dataset") }
        self.runID = runID
        self.pipeline = pipeline
        self.manifestSHA256 = (try? FileDigest.sha256(path: manifestPath).hex) ?? ""
        self.datasets = datasets
    }

    /// Total rows.
    public var rows: Int { datasets.reduce(0) { $0 + $1.rows } }
}
