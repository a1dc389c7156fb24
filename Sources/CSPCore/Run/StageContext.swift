import CSPStorage
import Foundation
import Logging

/// Everything a stage needs, passed explicitly: the pipeline, the run, its folders, a logger and the issue writers.
public final class StageContext {
    /// The pipeline being run.
    public let pipeline: PipelineDefinition
    /// This stage.
    public let stage: StageID
    /// The run id.
    public let runID: String
    /// The run layout.
    public let layout: RunLayout
    /// Folder of the previous stage's published outputs in this run (nil for ingest).
    public let inputDirectory: String?
    /// Temporary folder to write into; renamed into place on success.
    public let outputDirectory: String
    /// Logger.
    public let logger: Logger
    /// The files outside the run folder that the stage declared: the only ones it may open.
    public let inputs: StageInputs
    /// The run's progress: a stage gives each input file's reader `progress.file(path)` as its observer.
    public let progress: ProgressMeter
    /// rejects.csv (always written, even empty).
    public let rejects: RecordIssueWriter
    private var excludedWriter: RecordIssueWriter?
    /// Digests already computed for this stage (by its fingerprint): input files are hashed once.
    private let digests: [String: (hex: String, bytes: Int)]
    private var duplicatesWriter: RecordIssueWriter?
    /// Failures of earlier stages of this run (the data-quality gate, a broken input): the run will fail, but the
    /// later stages still run so that everything is written. Stage 5's report and `audit.html` say so at the top.
    public internal(set) var earlierFailures: [String] = []

    init(pipeline: PipelineDefinition, stage: StageID, runID: String, layout: RunLayout, inputDirectory: String?, outputDirectory: String, logger: Logger,
         inputs: StageInputs, digests: [String: (hex: String, bytes: Int)] = [:], progress: ProgressMeter = .off) throws {
        self.progress = progress
        self.pipeline = pipeline; self.stage = stage; self.runID = runID; self.layout = layout; self.digests = digests; self.inputs = inputs
        self.inputDirectory = inputDirectory; self.outputDirectory = outputDirectory; self.logger = logger
        rejects = try RecordIssueWriter(path: outputDirectory + "/rejects.csv")
    }

    /// excluded.csv, created on first use.
    public func excluded() throws -> RecordIssueWriter {
        if let w = excludedWriter { return w }
        let w = try RecordIssueWriter(path: outputDirectory + "/excluded.csv")
        excludedWriter = w
        return w
    }

    /// duplicates.csv, created on first use.
    public func duplicates() throws -> RecordIssueWriter {
        if let w = duplicatesWriter { return w }
        let w = try RecordIssueWriter(path: outputDirectory + "/duplicates.csv")
        duplicatesWriter = w
        return w
    }

    /// Path of an output file in the (temporary) stage folder.
    public func outputPath(_ name: String) -> String { outputDirectory + "/" + name }

    /// Path of an input file from the previous stage.
    public func inputPath(_ name: String) throws -> String {
        guard let dir = inputDirectory, let prev = stage.previous else { throw StageError.configuration("stage \(stage.rawValue) has no previous stage") }
        let p = dir + "/" + name
        guard FileManager.default.fileExists(atPath: p) else { throw StageError.missingStageInput(stage: stage, needs: prev, run: runID) }
        return p
    }

    /// How a raw file is named in lineage columns and manifests: relative to the pipeline's folder when inside it.
    public func lineageName(_ absolutePath: String) -> String {
        LineagePath.name(absolutePath, relativeTo: pipeline.directory)
    }

    /// SHA-256 and size of a declared input as the stage's fingerprint hashed it, before the stage read anything;
    /// nil when the framework did not hash it. Stage 1 compares it with the checksum of the bytes it read.
    public func digestBeforeReading(_ absolutePath: String) -> (hex: String, bytes: Int)? {
        digests[(absolutePath as NSString).standardizingPath]
    }

    /// A manifest entry for an input file, with its checksum.
    public func inputEntry(_ absolutePath: String, role: String, rows: Int? = nil) throws -> Manifest.FileEntry {
        let (hex, bytes) = try digests[absolutePath] ?? FileDigest.sha256(path: absolutePath)
        return Manifest.FileEntry(path: lineageName(absolutePath), sha256: hex, bytes: bytes, rows: rows, role: role)
    }

    func closeWriters() throws {
        try rejects.close()
        try excludedWriter?.close()
        try duplicatesWriter?.close()
    }

    var issueCounts: (rejected: Int, excluded: Int, duplicates: Int) {
        (rejects.count, excludedWriter?.count ?? 0, duplicatesWriter?.count ?? 0)
    }
}

/// Paths as lineage columns show them.
public enum LineagePath {
    /// `path` relative to `base` when it lies inside it (or a few levels up), else absolute.
    public static func name(_ path: String, relativeTo base: String) -> String {
        let p = (path as NSString).standardizingPath
        let b = (base as NSString).standardizingPath
        let pc = p.split(separator: "/"), bc = b.split(separator: "/")
        var i = 0
        while i < pc.count, i < bc.count, pc[i] == bc[i] { i += 1 }
        let ups = bc.count - i
        if i == 0 || ups > 3 { return p }
        return (Array(repeating: "..", count: ups) + pc[i...].map(String.init)).joined(separator: "/")
    }
}
