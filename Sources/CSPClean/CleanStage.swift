import CSPCore
import CSPStageSupport
import CSPSchema
import CSPStorage
import CSPCSV
import Foundation

/// Stage 2: typed, validated, standardised records per entity; duplicates removed; personal data pseudonymised.
/// Each source is cleaned by the rules for its `kind` (see `CleanerRegistry`). Every rejected record names its rule.
/// Records kept although another record shares their key (ID collisions) are flagged and listed in `collisions.csv`.
public struct CleanStage: PipelineStage {
    /// Stage 2.
    public let id = StageID.clean

    /// How sources are cleaned; tests vary it to check that every path writes the same files.
    let tuning: CleanTuning

    /// Creates the stage.
    public init() { tuning = CleanTuning() }

    /// A stage with other tuning (tests).
    init(tuning: CleanTuning) { self.tuning = tuning }

    /// The pipeline file, the reference tables the sources' kinds read, and the pseudonym key when a kind
    /// pseudonymises (checked here: a missing or unsafe key is a configuration error before any work).
    public func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        var out = [DeclaredInput.configuration(pipeline)]
        for name in Set(pipeline.sources.flatMap(CleanerRegistry.references(of:))).sorted() {
            if let d = DeclaredInput.reference(name, of: pipeline) { out.append(d) }
        }
        // A source's mapping file and its vocabulary files: their contents decide what stage 2 writes.
        for source in pipeline.sources {
            guard let m = source.mapping else { continue }
            if m.file.hasSuffix(".yaml") || m.file.hasSuffix(".yml") { out.append(DeclaredInput(path: m.file, role: "mapping:\(source.id)")) }
            for f in m.fields { if let v = f.valuesFile { out.append(DeclaredInput(path: v, role: "mapping:\(source.id)")) } }
        }
        if pipeline.sources.contains(where: CleanerRegistry.pseudonymises), let key = pipeline.privacy.keyFile {
            _ = try KeyFile.load(path: key)
            out.append(DeclaredInput(path: key, role: "key"))
        }
        return out
    }

    /// Cleans every source.
    public func run(_ context: StageContext) throws -> StageReport {
        var report = StageReport()
        let environment = try CleanEnvironment(context: context)
        let writers = EntityWriters(directory: context.outputDirectory)
        let cleaners = try context.pipeline.sources.map { try CleanerRegistry.cleaner(for: $0, environment: environment) }
        // collisions.csv whenever a source's duplicate rule looks for ID collisions (header only when none is found).
        let collisionFile = cleaners.contains { $0.dedupe?.checksCollisions == true } ? try CollisionFile(context: context) : nil
        for (source, cleaner) in zip(context.pipeline.sources, cleaners) {
            let input = try context.inputPath(source.id + ".csv")
            report.inputs.append(try context.inputEntry(input, role: "stage:ingest"))
            let result = try SourceCleaning(source: source, cleaner: cleaner, context: context, writers: writers, tuning: tuning,
                                            collisionFile: collisionFile).run(input: input)
            let counts = result.counts
            if let w = result.warning { report.warnings.append(w) }
            report.add(part: source.id, counts)
            report.gates[source.id] = source.maxRejectShare
            context.logger.info("clean \(source.id): \(counts.inCount) records, \(counts.out) out, \(counts.rejected) rejected, \(counts.duplicates) duplicates")
        }
        if let key = environment.keyFingerprint {
            context.logger.info("pseudonym key fingerprint \(key)")
        }
        report.outputRows = try writers.closeAll()
        if let collisionFile {
            try collisionFile.close()
            report.outputRows[CollisionFile.fileName] = collisionFile.rows
        }
        try CoverageCarry.carry(context, role: "stage:ingest", report: &report)
        return report
    }
}

/// Choices that change how stage 2 works but never what it writes.
struct CleanTuning: Sendable {
    /// Keyed records the duplicate search keeps in memory before it spills them to partition files.
    var dedupeMemoryRows = 200_000
    /// Partition files when the duplicate search spills; nil sizes them from the input.
    var dedupePartitions: Int?
    /// Whether cleaners with a byte-level fast path use it.
    var useFastPath = true
}

/// The open entity files of a clean run; several sources may write one entity (legacy and new fire systems).
final class EntityWriters {
    let directory: String
    private var files: [String: EntityFile] = [:]

    init(directory: String) { self.directory = directory }

    /// After a failed run: the files are closed (their blocks written).
    deinit {
        for w in files.values { try? w.close() }
    }

    func writer(for schema: EntitySchema) throws -> EntityFile {
        if let w = files[schema.name] { return w }
        let path = directory + "/" + schema.name + ".csv"
        let w: EntityFile
        do { w = try EntityFile(path: path, header: schema.header) } catch {
            throw StageError.io(path: path, operation: "create", reason: "\(error)")
        }
        files[schema.name] = w
        return w
    }

    /// Closes every file; returns data rows per file name.
    func closeAll() throws -> [String: Int] {
        var rows: [String: Int] = [:]
        for (name, w) in files {
            rows[name + ".csv"] = w.rowsWritten - 1
            try w.close()
        }
        return rows
    }
}
