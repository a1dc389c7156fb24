import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import CSPXML
import Foundation

extension RunAuditor {
    /// A sampled row: where it claims to come from, and (for stage 1 rows) its values by column.
    struct Sample {
        let dataset: String
        let file: String
        let line: Int
        let values: [String: String]?
    }

    /// Samples rows of every dataset of every stage, follows `source_file`/`source_record` to stage 1 and to the raw
    /// export, and checks that stage 1's values equal the raw record's mapped fields.
    func traceLineage(runID: String, ingest: Manifest, manifests: [StageID: Manifest], report: inout AuditReport) throws {
        // Which source each raw file belongs to.
        var sourceOf: [String: SourceDefinition] = [:]
        for input in ingest.inputs where input.role.hasPrefix("source:") {
            if let s = pipeline.source(String(input.role.dropFirst("source:".count))) { sourceOf[input.path] = s }
        }
        // Stage 1 rows by lineage, for every sampled lineage (read once per source file).
        var wanted: [String: Set<Int>] = [:]
        var samples: [Sample] = []
        for (stage, m) in manifests.sorted(by: { $0.key < $1.key }) {
            let dir = layout.stage(stage, run: runID)
            for o in m.outputs where o.role == "dataset" && o.path.hasSuffix(".csv") {
                for s in sample(path: dir + "/" + o.path, dataset: "\(stage.folder)/\(o.path)", keepValues: stage == .ingest) {
                    samples.append(s)
                    wanted[s.file, default: []].insert(s.line)
                }
            }
        }
        // Raw records at the wanted lines.
        var raw: [String: [Int: [String: String]]] = [:]
        for (file, lines) in wanted {
            guard let source = sourceOf[file] else { continue }
            raw[file] = readRaw(path: absolute(file, against: pipeline.directory), source: source, lines: lines)
        }
        for s in samples {
            report.checks += 1
            guard let source = sourceOf[s.file] else {
                report.findings.append(AuditFinding(check: "lineage", location: s.dataset, message: "a row names \(s.file), which is not one of the run's inputs"))
                continue
            }
            guard let record = raw[s.file]?[s.line] else {
                report.findings.append(AuditFinding(check: "lineage", location: s.dataset, message: "a row names \(s.file) line \(s.line), where no record begins"))
                continue
            }
            report.lineageRowsTraced += 1
            guard let values = s.values else { continue }
            let columns = source.columns.isEmpty ? values.keys.sorted().map { ColumnMapping(name: $0, from: $0) } : source.columns
            for col in columns where values[col.name] != nil && values[col.name] != record[col.from] {
                let shown = source.personal.contains(col.name) ? "(personal value masked)" : "`\(values[col.name]!)` ≠ raw `\(record[col.from] ?? "")`"
                report.findings.append(AuditFinding(check: "lineage", location: s.dataset, message: "\(s.file) line \(s.line), column \(col.name): \(shown)"))
            }
        }
    }

    /// Evenly spaced rows of a dataset (the first, the last, and between).
    func sample(path: String, dataset: String, keepValues: Bool) -> [Sample] {
        let total = Self.countRecords(path)
        guard total > 0, let reader = try? CSVReader(path: path) else { return [] }
        let header = reader.header
        guard let fi = header.firstIndex(of: "source_file"), let li = header.firstIndex(of: "source_record") else { return [] }
        let step = max(1, total / samplesPerDataset)
        var out: [Sample] = []
        var i = 0
        reader.forEach { rec in
            defer { i += 1 }
            guard i % step == 0 || i == total - 1, rec.count == header.count, let line = Int(rec.string(li)) else { return }
            var values: [String: String]?
            if keepValues {
                var v: [String: String] = [:]
                for (k, h) in header.enumerated() where k != fi && k != li { v[h] = rec.string(k) }
                values = v
            }
            out.append(Sample(dataset: dataset, file: rec.string(fi), line: line, values: values))
        }
        return out
    }

    /// The raw records beginning at `lines`, as source column (or XML path) → value.
    func readRaw(path: String, source: SourceDefinition, lines: Set<Int>) -> [Int: [String: String]] {
        var out: [Int: [String: String]] = [:]
        switch source.format {
        case .csv:
            let options = CSVReadOptions(delimiter: source.delimiter == "\\t" ? 9 : source.delimiter.utf8.first!, encoding: TextEncoding(name: source.encoding) ?? .utf8)
            guard let r = try? CSVReader(path: path, options: options) else { return out }
            let header = r.header
            r.forEach { rec in
                guard lines.contains(rec.line) else { return }
                var v: [String: String] = [:]
                for (k, h) in header.enumerated() where k < rec.count {
                    v[h] = rec.string(k)
                    v[h.trimmingCharacters(in: .whitespaces)] = rec.string(k)
                }
                // Mapped names may differ in case or spacing from the header (ingest matches them leniently).
                for col in source.columns where v[col.from] == nil {
                    if let k = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == col.from.lowercased() }), k < rec.count { v[col.from] = rec.string(k) }
                }
                out[rec.line] = v
            }
        case .xml:
            guard let r = try? XMLRecordReader(path: path, recordElement: source.record ?? "") else { return out }
            while let rec = try? r.next() {
                guard lines.contains(rec.line) else { continue }
                var v: [String: String] = [:]
                for col in source.columns { v[col.from] = rec.value(col.from) ?? "" }
                out[rec.line] = v
            }
        }
        return out
    }
}
