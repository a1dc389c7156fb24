/// `manifest.json`: what a stage read and wrote, with checksums and counts.
public struct Manifest: Sendable, Codable, Equatable {
    /// One file read or written.
    public struct FileEntry: Sendable, Codable, Equatable {
        /// Path: outputs relative to the stage folder; inputs relative to the pipeline folder when inside it, else absolute.
        public var path: String
        /// Hex SHA-256.
        public var sha256: String
        /// Size.
        public var bytes: Int
        /// Data rows (header excluded) for CSV files; nil otherwise.
        public var rows: Int?
        /// What the file is: `source:<id>`, `reference:<name>`, `stage:<name>`, `dataset`, `rejects`, ...
        public var role: String

        /// Creates an entry.
        public init(path: String, sha256: String, bytes: Int, rows: Int?, role: String) {
            self.path = path; self.sha256 = sha256; self.bytes = bytes; self.rows = rows; self.role = role
        }
    }

    /// Stage name.
    public var stage: StageID
    /// Run id.
    public var runID: String
    /// `succeeded`, `failed` (written for failed data-quality gates), or `carried` (taken from a parent run).
    public var status: String
    /// Start time, ISO 8601 UTC.
    public var started: String
    /// Finish time.
    public var finished: String
    /// csp version.
    public var toolVersion: String
    /// The pipeline's configuration hash.
    public var configHash: String
    /// Inputs.
    public var inputs: [FileEntry]
    /// Outputs.
    public var outputs: [FileEntry]
    /// Stage totals.
    public var counts: StageCounts
    /// Per-source (or per-entity) counts; each balances too.
    public var sources: [String: StageCounts]
    /// Run the outputs were carried from, when status is `carried` or `skipped`.
    public var carriedFrom: String?
    /// SHA-256 over everything the stage's result depends on: its input checksums, the reference files,
    /// the pseudonym key's fingerprint, the configuration hash and the tool version. Equal fingerprints
    /// let a later run skip the stage.
    public var inputFingerprint: String?

    /// Creates a manifest.
    public init(stage: StageID, runID: String, status: String, started: String, finished: String, toolVersion: String, configHash: String,
                inputs: [FileEntry], outputs: [FileEntry], counts: StageCounts, sources: [String: StageCounts], carriedFrom: String? = nil) {
        self.stage = stage; self.runID = runID; self.status = status; self.started = started; self.finished = finished
        self.toolVersion = toolVersion; self.configHash = configHash; self.inputs = inputs; self.outputs = outputs
        self.counts = counts; self.sources = sources; self.carriedFrom = carriedFrom
    }

    enum CodingKeys: String, CodingKey {
        case stage, runID = "run_id", status, started, finished, toolVersion = "tool_version", configHash = "config_hash"
        case inputs, outputs, counts, sources, carriedFrom = "carried_from", inputFingerprint = "input_fingerprint"
    }
}
