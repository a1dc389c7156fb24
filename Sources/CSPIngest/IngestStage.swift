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
        if let e = pipeline.coverage?.expectedForces {
            out += [DeclaredInput(path: e.table, role: "reference:expected_forces"), DeclaredInput(path: e.slugTable, role: "reference:force_slugs")]
        }
        return out
    }

    /// Reads every source. A file is read once: one whose real path or bytes were read already in this run, or that
    /// loses to a newer file for its month, is named in a warning and not read (`InputIdentity`); two different
    /// files for one month, a file in another month's folder, and a file that changed while it was read fail the run
    /// (65) once everything is written. Each file read is listed in the manifest with the checksum of the bytes read.
    public func run(_ context: StageContext) throws -> StageReport {
        var report = StageReport()
        var broken: [String] = []
        var figures: [CoverageCalendar.FileFigures] = []
        var identity = InputIdentity()
        // Mapped sources: every file's header holds the columns the mapping reads, checked before any record is read.
        for source in context.pipeline.sources where source.mapping != nil {
            for file in context.inputs.files(role: "source:\(source.id)").map(\.path) {
                if let unread = try MappingHeaderCheck.check(source: source, file: file, lineage: context.lineageName(file)), !unread.isEmpty {
                    context.logger.info("ingest \(source.id): \(context.lineageName(file)): \(unread.count) column(s) the mapping does not read: \(unread.joined(separator: ", "))")
                }
            }
        }
        for source in context.pipeline.sources {
            let files = context.inputs.files(role: "source:\(source.id)").map(\.path)
            let out = context.outputPath(source.id + ".csv")
            let writer: CSVWriter
            do { writer = try CSVWriter(path: out) } catch { throw StageError.io(path: out, operation: "create", reason: "\(error)") }
            var sink = IngestSink(source: source, writer: writer, rejects: context.rejects)
            // The glob's own matches, before symbolic links are resolved: declared inputs are resolved paths, so two
            // names of one file (a month folder linked under another month's name) are one declared input.
            let matched = Self.matches(of: source)
            // How a file is named in warnings: its lineage name, unless a link shows it under another folder or name
            // than its real path's (then as the glob found it: a lineage name would resolve the link, hiding it).
            func shown(_ file: String, as raw: String) -> String {
                raw.split(separator: "/").suffix(2) == file.split(separator: "/").suffix(2) ? context.lineageName(file) : raw
            }
            let shownName = Dictionary(uniqueKeysWithValues: files.map { ($0, shown($0, as: matched[$0]?.first ?? $0)) })
            let digestOf = { (path: String) in context.digestBeforeReading(path)?.hex }
            // Of identical files, the one in its own month's folder is read (a copy put in another month's folder is not).
            identity.preferWellPlaced(files.map { (path: $0, raw: matched[$0]?.first ?? $0) }, digest: digestOf, name: { shownName[$0] ?? $0 })
            let conflicts = InputIdentity.sameMonthConflicts(files: files, digest: digestOf)
            if context.pipeline.sameMonth == .newer { identity.preferNewer(conflicts, lineage: { shownName[$0] ?? $0 }) }
            for file in files {
                let lineage = context.lineageName(file)
                let names = matched[file] ?? [file]
                let name = shownName[file] ?? lineage
                var f = CoverageCalendar.FileFigures(source: source.id, file: name, path: file)
                func label(_ alias: String) -> String { alias == names[0] ? name : shown(file, as: alias) }
                for alias in names {
                    if let n = CoverageCalendar.nameMonth(of: alias), let folder = CoverageCalendar.folderMonth(of: alias), n != folder {
                        broken.append("source `\(source.id)`: \(label(alias)): the file name says month \(n) but it is in the folder of month \(folder) "
                                      + "(data.police.uk delivers YYYY-MM/YYYY-MM-<force>-<type>.csv): put it in its own month's folder")
                    }
                }
                for alias in names.dropFirst() {
                    var a = CoverageCalendar.FileFigures(source: source.id, file: label(alias), path: alias)
                    a.refused = "its real path is that of \(name), read under that name"
                    a.sameAs = file
                    figures.append(a)
                    report.warnings.append("source `\(source.id)`: \(label(alias)) is not read: \(a.refused!); its records would be counted twice")
                }
                let before = context.digestBeforeReading(file)
                if let refusal = identity.refusal(path: file, digest: before?.hex) {
                    f.refused = refusal.reason
                    f.sameAs = refusal.sameAs
                    figures.append(f)
                    report.warnings.append("source `\(source.id)`: \(name) is not read: \(refusal.reason); its records would be counted twice")
                    continue
                }
                let start = sink.counts.inCount, startOut = sink.counts.out
                var read: (hex: String, bytes: Int)?
                switch source.format {
                case .csv:
                    let outcome = try CSVSourceReader(source: source, progress: context.progress).read(path: file, lineageName: lineage, into: &sink, figures: &f)
                    read = outcome.digest
                    report.warnings += outcome.warnings
                case .xml:
                    try XMLSourceReader(source: source).read(path: file, lineageName: lineage, into: &sink)
                    // The XML reader does not expose its bytes: the file is hashed again once read.
                    read = try? FileDigest.sha256(path: file)
                }
                f.rows = sink.counts.inCount - start
                figures.append(f)
                if let read, let before, read.hex != before.hex {
                    broken.append("source `\(source.id)`: \(name) changed while it was read: SHA-256 \(before.hex) (\(before.bytes) bytes) before reading, "
                                  + "\(read.hex) (\(read.bytes) bytes) read; the manifest lists the bytes read; rerun once the file is complete")
                }
                var entry = try context.inputEntry(file, role: "source:\(source.id)")
                if let read { entry.sha256 = read.hex; entry.bytes = read.bytes }
                report.inputs.append(entry)
                // Only the records written make a file the holder of its bytes: a file whose records were all rejected
                // (a month's bytes under another month's name) does not stop the genuine file from being read.
                identity.didRead(path: file, name: name, digest: read?.hex ?? before?.hex, records: sink.counts.out - startOut)
            }
            if context.pipeline.sameMonth == .fail {
                for c in conflicts {
                    broken.append("source `\(source.id)` (\(c.force)): month \(c.month) has \(c.files.count) different files: \(c.files.map(context.lineageName).joined(separator: ", ")); "
                                  + "each was read, so the month may be counted twice: remove the wrong one, or set `quality.same_month: newer` to read only the newer")
                }
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
        let expected = try context.pipeline.coverage?.expectedForces?.slugsBySource { try context.inputs.path($0) } ?? [:]
        let calendar = CoverageCalendar(sources: context.pipeline.sources.map(\.id), files: figures, monthFolders: folders, expectedForces: expected)
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

    /// For each declared file of a source, every name the source's patterns match it by (the glob's paths, symbolic
    /// links not resolved), in pattern order: one name, or more when a folder or file is linked under a second name.
    static func matches(of source: SourceDefinition) -> [String: [String]] {
        var out: [String: [String]] = [:]
        var seen = Set<String>()
        for pattern in source.paths {
            for m in FileSystem.glob(pattern) where seen.insert(m).inserted {
                out[DeclaredInput(path: m, role: "").path, default: []].append(m)
            }
        }
        // The name that looks like the file itself (its own month folder) first, so that the alias is the one refused.
        for (file, names) in out where names.count > 1 {
            let own = names.firstIndex { CoverageCalendar.nameMonth(of: $0) == CoverageCalendar.folderMonth(of: $0) && ($0 as NSString).lastPathComponent == (file as NSString).lastPathComponent } ?? 0
            out[file] = [names[own]] + names.enumerated().filter { $0.offset != own }.map(\.element)
        }
        return out
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
