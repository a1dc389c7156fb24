import CSPCore
import CSPCSV
import Foundation

/// Stage 1: every declared source, read with the CSV or XML reader, written to `01-ingest/<source>.csv`
/// as UTF-8 text values plus the lineage columns `source_file` and `source_record`.
/// Structural problems (ragged rows, broken quotes, invalid text, malformed XML) go to the rejects.
public struct IngestStage: PipelineStage {
    /// Stage 1.
    public let id = StageID.ingest

    /// Creates the stage.
    public init() {}

    /// The lineage columns appended to every stage 1 output.
    public static let lineageColumns = ["source_file", "source_record"]

    /// The pipeline file and every raw export the sources' globs match (a glob matching nothing is a missing input, 66).
    public func declaredInputs(for pipeline: PipelineDefinition) throws -> [DeclaredInput] {
        var out = [DeclaredInput.configuration(pipeline)]
        for source in pipeline.sources {
            out += try Self.files(of: source).map { DeclaredInput(path: $0, role: "source:\(source.id)") }
        }
        return out
    }

    /// Reads every source.
    public func run(_ context: StageContext) throws -> StageReport {
        var report = StageReport()
        var broken: [String] = []
        for source in context.pipeline.sources {
            let files = context.inputs.files(role: "source:\(source.id)").map(\.path)
            let out = context.outputPath(source.id + ".csv")
            let writer: CSVWriter
            do { writer = try CSVWriter(path: out) } catch { throw StageError.io(path: out, operation: "create", reason: "\(error)") }
            var sink = IngestSink(source: source, writer: writer, rejects: context.rejects)
            for file in files {
                report.inputs.append(try context.inputEntry(file, role: "source:\(source.id)"))
                let name = context.lineageName(file)
                switch source.format {
                case .csv: try CSVSourceReader(source: source).read(path: file, lineageName: name, into: &sink)
                case .xml: try XMLSourceReader(source: source).read(path: file, lineageName: name, into: &sink)
                }
            }
            try sink.finish()
            broken += sink.broken
            report.add(part: source.id, sink.counts)
            report.outputRows[source.id + ".csv"] = sink.counts.out
            report.gates[source.id] = source.maxRejectShare
            context.logger.info("ingest \(source.id): \(files.count) file(s), \(sink.counts.inCount) records, \(sink.counts.rejected) rejected")
        }
        report.brokenInputs = broken
        return report
    }

    /// Whether a field begins with a UTF-8 byte-order mark (EF BB BF), which inside a file means two exports were joined.
    static func startsWithBOM(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
    }

    /// The files a source's glob patterns match, sorted, each once. No match is a missing input.
    static func files(of source: SourceDefinition) throws -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for pattern in source.paths {
            let matches = FileSystem.glob(pattern)
            if matches.isEmpty { throw StageError.inputMissing(path: pattern, what: "source `\(source.id)`") }
            for m in matches where seen.insert(m).inserted { out.append(m) }
        }
        return out
    }
}
