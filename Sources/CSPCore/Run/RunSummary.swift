/// `run.json`: the summary of one run.
public struct RunSummary: Sendable, Codable, Equatable {
    /// One stage's outcome in the run.
    public struct StageOutcome: Sendable, Codable, Equatable {
        /// Stage.
        public var stage: StageID
        /// `succeeded`, `failed`, `carried`.
        public var status: String
        /// Counts.
        public var counts: StageCounts?
        /// Run the stage was carried from.
        public var carriedFrom: String?
        /// Error, if failed.
        public var message: String?

        /// Creates an outcome.
        public init(stage: StageID, status: String, counts: StageCounts?, carriedFrom: String? = nil, message: String? = nil) {
            self.stage = stage; self.status = status; self.counts = counts; self.carriedFrom = carriedFrom; self.message = message
        }

        enum CodingKeys: String, CodingKey { case stage, status, counts, carriedFrom = "carried_from", message }
    }

    /// Run id.
    public var runID: String
    /// Run this one was derived from (reruns, `--from`).
    public var parentRun: String?
    /// Pipeline name.
    public var pipeline: String
    /// Pipeline file.
    public var pipelineFile: String
    /// `cron` or `interactive`.
    public var trigger: String
    /// User.
    public var user: String
    /// Host.
    public var host: String
    /// Command line.
    public var arguments: [String]
    /// csp version.
    public var toolVersion: String
    /// Configuration hash.
    public var configHash: String
    /// Variable values used.
    public var variables: [String: String]
    /// Start time.
    public var started: String
    /// Finish time.
    public var finished: String
    /// `succeeded` or `failed`.
    public var status: String
    /// Exit code.
    public var exitCode: Int32
    /// Stages in order.
    public var stages: [StageOutcome]
    /// Fingerprint of the pseudonym key in force (never the key), when the pipeline names one.
    public var keyFingerprint: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", parentRun = "parent_run", pipeline, pipelineFile = "pipeline_file", trigger, user, host, arguments
        case toolVersion = "tool_version", configHash = "config_hash", variables, started, finished, status, exitCode = "exit_code", stages
        case keyFingerprint = "key_fingerprint"
    }
}
