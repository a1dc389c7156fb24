import CSPCore
import CSPSchema
import CSPStorage
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
        var figures: [CoverageCalendar.FileFigures] = []
        for source in context.pipeline.sources {
            let files = context.inputs.files(role: "source:\(source.id)").map(\.path)
            let out = context.outputPath(source.id + ".csv")
            let writer: CSVWriter
            do { writer = try CSVWriter(path: out) } catch { throw StageError.io(path: out, operation: "create", reason: "\(error)") }
            var sink = IngestSink(source: source, writer: writer, rejects: context.rejects)
            for file in files {
                report.inputs.append(try context.inputEntry(file, role: "source:\(source.id)"))
                let name = context.lineageName(file)
                let before = sink.counts.inCount
                var f = CoverageCalendar.FileFigures(source: source.id, file: name, path: file)
                switch source.format {
                case .csv: try CSVSourceReader(source: source).read(path: file, lineageName: name, into: &sink, figures: &f)
                case .xml: try XMLSourceReader(source: source).read(path: file, lineageName: name, into: &sink)
                }
                f.rows = sink.counts.inCount - before
                figures.append(f)
            }
            try sink.finish()
            broken += sink.broken
            report.add(part: source.id, sink.counts)
            report.outputRows[source.id + ".csv"] = sink.counts.out
            report.gates[source.id] = source.maxRejectShare
            context.logger.info("ingest \(source.id): \(files.count) file(s), \(sink.counts.inCount) records, \(sink.counts.rejected) rejected")
        }
        try coverage(figures, context: context, report: &report, broken: &broken)
        report.brokenInputs = broken
        return report
    }

    /// Writes the coverage calendar of the monthly exports read (`coverage.csv`, see `CoverageCalendar`), and says
    /// what it found: every file in a month folder that no source reads, every empty month folder, every missing,
    /// short or duplicated month is a warning (log and ledger); under `quality.require_complete_months` a gap also
    /// fails the run (65) once everything is written.
    func coverage(_ figures: [CoverageCalendar.FileFigures], context: StageContext, report: inout StageReport, broken: inout [String]) throws {
        let read = Set(figures.map { ($0.path as NSString).standardizingPath })
        var folders: [String] = []
        var seenFolders = Set<String>()
        for source in context.pipeline.sources {
            for pattern in source.paths {
                // The folders the pattern reaches whose name is a month (`YYYY-MM`): listed, never read.
                for dir in FileSystem.glob((pattern as NSString).deletingLastPathComponent) where seenFolders.insert(dir).inserted {
                    let name = (dir as NSString).lastPathComponent
                    guard name.count == 7, CoverageCalendar.monthIndex(name) != nil else { continue }
                    folders.append(name)
                    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                    if entries.isEmpty {
                        report.warnings.append("month folder \(context.lineageName(dir)) is empty: month \(name) is missing for every source")
                    }
                    for e in entries where !read.contains(((dir as NSString).appendingPathComponent(e) as NSString).standardizingPath) {
                        report.warnings.append("\(context.lineageName((dir as NSString).appendingPathComponent(e))) is not read: its name matches no source's pattern (\(context.pipeline.sources.flatMap(\.paths).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")))")
                    }
                }
            }
        }
        let calendar = CoverageCalendar(sources: context.pipeline.sources.map(\.id), files: figures, monthFolders: folders)
        guard !calendar.rows.isEmpty else { return }
        report.outputRows[CoverageCalendar.fileName] = try calendar.write(to: context.outputPath(CoverageCalendar.fileName))
        let gaps = calendar.gaps
        report.warnings += gaps.map(CoverageCalendar.describe)
        let months = Set(calendar.rows.map(\.month))
        context.logger.info("coverage: \(months.count) months (\(months.min() ?? "") to \(months.max() ?? "")), \(calendar.rows.count) source-months, \(gaps.count) gaps")
        if context.pipeline.requireCompleteMonths, !gaps.isEmpty {
            broken.append("quality.require_complete_months: \(gaps.count) gap(s) in the coverage calendar: " + gaps.map(CoverageCalendar.describe).joined(separator: "; "))
        }
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
