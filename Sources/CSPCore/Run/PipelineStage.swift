import Logging

/// A stage implementation: reads its inputs through the context, writes into `context.outputDirectory`,
/// and reports its counts. The framework publishes, checks conservation, and writes the manifest.
public protocol PipelineStage: Sendable {
    /// Which stage this is.
    var id: StageID { get }
    /// Every file outside the run folder that the stage reads, for this pipeline (the previous stage's outputs
    /// are not listed: the framework fingerprints those itself). Declared before the stage runs, hashed into its
    /// fingerprint, listed in its manifest, and the only outside files `StageContext.inputs` lets it open.
    /// A missing file is an error here (exit 66), before any work.
    func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput]
    /// Does the stage's work.
    func run(_ context: StageContext) throws -> StageReport
}

/// What a stage reports back to the framework.
public struct StageReport: Sendable {
    /// Totals.
    public var counts: StageCounts
    /// Per source (stage 1) or per entity (later stages); each must balance.
    public var parts: [String: StageCounts]
    /// Files read, with checksums.
    public var inputs: [Manifest.FileEntry]
    /// Data rows of each CSV output, by file name relative to the stage folder.
    public var outputRows: [String: Int]
    /// Sources (or entities) subject to the data-quality gate, with their limits.
    public var gates: [String: Double]
    /// Inputs that could not be read to their end (a malformed XML file). The stage publishes what it read,
    /// then the run fails with a data error naming them.
    public var brokenInputs: [String] = []
    /// Warnings the run records beside the log: one ledger line each (a missing or short month).
    public var warnings: [String] = []

    /// Creates a report.
    public init(counts: StageCounts = .init(), parts: [String: StageCounts] = [:], inputs: [Manifest.FileEntry] = [], outputRows: [String: Int] = [:], gates: [String: Double] = [:]) {
        self.counts = counts; self.parts = parts; self.inputs = inputs; self.outputRows = outputRows; self.gates = gates
    }

    /// Adds a part's counts to the totals.
    public mutating func add(part name: String, _ c: StageCounts) {
        parts[name, default: StageCounts()] = parts[name, default: StageCounts()] + c
        counts = counts + c
    }
}
