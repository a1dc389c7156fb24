import CSPCore
import CSPCSV
import Foundation

/// Cleans one source's stage 1 file: every record is written to its entity, rejected, or (second pass) found a duplicate.
struct SourceCleaning {
    let source: SourceDefinition
    let cleaner: any RecordCleaner
    let context: StageContext
    let writers: EntityWriters

    func run(input: String) throws -> StageCounts {
        let reader: CSVReader
        do { reader = try CSVReader(path: input) } catch { throw StageError.io(path: input, operation: "read", reason: "\(error)") }
        let header = reader.header
        guard header.suffix(2) == ["source_file", "source_record"] else {
            throw StageError.malformedInput(file: input, line: 1, message: "not a stage 1 file: the lineage columns are missing")
        }
        let missing = cleaner.requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw StageError.configuration("source `\(source.id)` (kind \(source.kind)) lacks the column(s) \(missing.joined(separator: ", ")) that its cleaning rules need; map them under `columns:` in the pipeline")
        }
        var index: [String: Int] = [:]
        for (i, h) in header.dropLast(2).enumerated() { index[h] = i }
        let n = header.count - 2
        let personal = Set(source.personal)

        var counts = StageCounts()
        // With a duplicate rule, cleaned rows go to a scratch file first and the winners are chosen in a second pass.
        let dedupe = cleaner.dedupe
        let scratchPath = context.outputDirectory + "/.scratch-\(source.id).csv"
        let scratch: CSVWriter? = dedupe == nil ? nil : try CSVWriter(path: scratchPath)
        var best: [String: (rank: String, ordinal: Int, file: String, line: Int)] = [:]
        var ordinal = 0

        var problem: Error?
        reader.forEach { rec in
            if problem != nil { return }
            do {
                counts.inCount += 1
                guard rec.problem == nil, rec.count == header.count, let line = Int(rec.string(n + 1)) else {
                    throw StageError.malformedInput(file: input, line: rec.line, message: "stage 1 output is damaged at this line")
                }
                let file = rec.string(n)
                let row = InputRow(fields: (0..<n).map { rec.string($0) }, index: index, sourceFile: file, sourceRecord: line)
                let (schema, values): (EntitySchema, [String])
                do { (schema, values) = try cleaner.clean(row) } catch let r as CleanRejection {
                    counts.rejected += 1
                    let masked = r.personal || personal.contains(r.field)
                    try context.rejects.write(RecordIssue(stage: .clean, rule: r.rule, sourceFile: file, sourceRecord: line, field: r.field,
                                                          value: Mask.value(r.value, personal: masked), message: r.message))
                    return
                }
                if let dedupe, let scratch, schema.name == dedupe.entity, !values[schema.index(dedupe.keyColumn)].isEmpty {
                    // Records without a key (data.police.uk ASB rows) can never be duplicates of each other.
                    let key = values[schema.index(dedupe.keyColumn)]
                    let rank = values[schema.index(dedupe.rankColumn)]
                    try scratch.writeRow([schema.name] + values + [file, String(line)])
                    if let b = best[key], b.rank > rank {
                        // keep b
                    } else {
                        best[key] = (rank, ordinal, file, line)
                    }
                    ordinal += 1
                } else {
                    let w = try writers.writer(for: schema)
                    try w.writeRow(values + [file, String(line)])
                    counts.out += 1
                }
            } catch {
                problem = error
            }
        }
        if let problem { throw problem }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }

        if let dedupe, let scratch {
            try scratch.close()
            defer { unlink(scratchPath) }
            let again = try CSVReader(path: scratchPath, options: CSVReadOptions(hasHeader: false))
            let schemas = Dictionary(uniqueKeysWithValues: cleaner.entities.map { ($0.name, $0) })
            var i = 0
            var failure: Error?
            again.forEach { rec in
                if failure != nil { return }
                do {
                    let fields = rec.strings()
                    guard let schema = schemas[fields[0]] else { return }
                    let values = Array(fields[1...schema.columns.count])
                    let file = fields[schema.columns.count + 1], line = Int(fields[schema.columns.count + 2]) ?? 0
                    let key = values[schema.index(dedupe.keyColumn)]
                    if let b = best[key], b.ordinal != i {
                        counts.duplicates += 1
                        try context.duplicates().write(RecordIssue(stage: .clean, rule: dedupe.rule, sourceFile: file, sourceRecord: line, field: dedupe.keyColumn,
                            value: key, message: "same \(dedupe.keyColumn) as \(b.file) line \(b.line), which was kept (\(dedupe.rankColumn) \(b.rank.isEmpty ? "blank" : b.rank))"))
                    } else {
                        try writers.writer(for: schema).writeRow(values + [file, String(line)])
                        counts.out += 1
                    }
                    i += 1
                } catch { failure = error }
            }
            if let failure { throw failure }
        }
        return counts
    }
}
