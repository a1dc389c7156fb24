#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSPCore
import CSPCSV

/// Cleans one source's stage 1 file: every record is written to its entity, rejected, or (second pass) found a duplicate.
///
/// Records are cleaned by the cleaner's byte-level fast path when it has one and the record has the usual shape,
/// else by `RecordCleaner.clean` on Strings; both leave the values in one reused `CleanRow`, written without a
/// String or array per row. With a duplicate rule, keyed records of the rule's entity are encoded as CSV into a
/// scratch file (length-prefixed, so the second pass copies them without parsing) while `DuplicateFinder` collects
/// key, rank and lineage in bounded memory; the second pass copies the winners in input order and reports the losers.
struct SourceCleaning {
    let source: SourceDefinition
    let cleaner: any RecordCleaner
    let context: StageContext
    let writers: EntityWriters
    /// Keyed records the duplicate search keeps in memory before spilling to partition files (tests force spilling).
    var dedupeMemoryRows = 200_000
    /// Whether to use the cleaner's fast path (tests compare both paths).
    var useFastPath = true

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
        let fast = useFastPath ? (cleaner as? any FastPathProvider)?.fastPath(header: Array(header.dropLast(2))) : nil
        let entities = cleaner.entities
        var outputs = [CSVWriter?](repeating: nil, count: entities.count)
        func output(_ e: Int) throws -> CSVWriter {
            if let w = outputs[e] { return w }
            let w = try writers.writer(for: entities[e])
            outputs[e] = w
            return w
        }

        var counts = StageCounts()
        // With a duplicate rule, keyed rows of its entity go to a scratch file first and the winners are chosen in a second pass.
        let dedupe = cleaner.dedupe
        let dedupeEntity = dedupe.flatMap { d in entities.firstIndex { $0.name == d.entity } }
        let keyColumn = dedupe.flatMap { d in dedupeEntity.map { entities[$0].index(d.keyColumn) } } ?? 0
        let rankColumn = dedupe.flatMap { d in dedupeEntity.map { entities[$0].index(d.rankColumn) } } ?? 0
        let scratchPath = context.outputDirectory + "/.scratch-\(source.id)"
        let scratch: SpillWriter? = dedupeEntity == nil ? nil : try SpillWriter(path: scratchPath, capacity: 1 << 20)
        defer { if scratch != nil { unlink(scratchPath) } }
        let finder: DuplicateFinder? = dedupeEntity == nil ? nil
            : DuplicateFinder(directory: context.outputDirectory, tag: source.id, memoryRows: dedupeMemoryRows,
                              partitions: Self.partitions(forInputBytes: fileSize(input)))
        let files = FileNumbers()
        let row = CleanRow()
        let encoder = CSVRowEncoder()

        var problem: Error?
        reader.forEach { rec in
            if problem != nil { return }
            do {
                counts.inCount += 1
                guard rec.problem == nil, rec.count == header.count, let (line, canonicalLine) = Self.lineNumber(rec.bytes(n + 1)) else {
                    throw StageError.malformedInput(file: input, line: rec.line, message: "stage 1 output is damaged at this line")
                }
                let entity: Int
                if let fast, let e = fast.clean(rec, into: row) {
                    entity = e
                } else {
                    let file = rec.string(n)
                    let inputRow = InputRow(fields: (0..<n).map { rec.string($0) }, index: index, sourceFile: file, sourceRecord: line)
                    let (schema, values): (EntitySchema, [String])
                    do { (schema, values) = try cleaner.clean(inputRow) } catch let r as CleanRejection {
                        counts.rejected += 1
                        let masked = r.personal || personal.contains(r.field)
                        try context.rejects.write(RecordIssue(stage: .clean, rule: r.rule, sourceFile: file, sourceRecord: line, field: r.field,
                                                              value: Mask.value(r.value, personal: masked), message: r.message))
                        return
                    }
                    guard let e = entities.firstIndex(where: { $0.name == schema.name }) else {
                        preconditionFailure("cleaner for \(source.kind) returned \(schema.name), not among its entities")
                    }
                    entity = e
                    row.reset(fields: values.count)
                    for (i, v) in values.enumerated() { row.set(i, v) }
                }
                let file = rec.bytes(n)
                if entity == dedupeEntity, let scratch, let finder, !row.field(keyColumn).isEmpty {
                    // Records without a key (data.police.uk ASB rows) can never be duplicates of each other.
                    encoder.removeAll()
                    for i in 0..<row.count { encoder.writeField(bytes: row.field(i)) }
                    encoder.writeField(bytes: file)
                    if canonicalLine { encoder.writeField(bytes: rec.bytes(n + 1)) } else { encoder.writeField(String(line)) }
                    encoder.endRow()
                    try scratch.append(UInt32(encoder.bytes.count))
                    try scratch.append(encoder.bytes)
                    try finder.add(key: row.field(keyColumn), rank: row.field(rankColumn), file: files.number(file), line: line)
                } else {
                    let w = try output(entity)
                    for i in 0..<row.count { w.writeField(bytes: row.field(i)) }
                    w.writeField(bytes: file)
                    if canonicalLine { w.writeField(bytes: rec.bytes(n + 1)) } else { w.writeField(String(line)) }
                    try w.endRow()
                    counts.out += 1
                }
            } catch {
                problem = error
            }
        }
        if let problem { throw problem }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }

        if let dedupe, let dedupeEntity, let scratch, let finder {
            try scratch.close()
            let losers = try finder.finish()
            defer { losers.close() }
            let again = try SpillReader(path: scratchPath, capacity: 1 << 20)
            var next = try losers.next()
            var ordinal = 0
            while let length = try again.read(UInt32.self) {
                guard let bytes = try again.read(Int(length)) else { break }
                if let l = next, l.ordinal == ordinal {
                    counts.duplicates += 1
                    let rank = String(decoding: l.winnerRank, as: UTF8.self)
                    try context.duplicates().write(RecordIssue(stage: .clean, rule: dedupe.rule, sourceFile: files.name(l.file), sourceRecord: l.line,
                        field: dedupe.keyColumn, value: String(decoding: l.key, as: UTF8.self),
                        message: "same \(dedupe.keyColumn) as \(files.name(l.winnerFile)) line \(l.winnerLine), which was kept (\(dedupe.rankColumn) \(rank.isEmpty ? "blank" : rank))"))
                    next = try losers.next()
                } else {
                    try output(dedupeEntity).writeEncodedRows(bytes.assumingMemoryBound(to: UInt8.self), rows: 1)
                    counts.out += 1
                }
                ordinal += 1
            }
        }
        return counts
    }

    /// The lineage line number as `Int(String)` reads it, and whether `String(line)` gives back the same bytes
    /// (plain digits without a leading zero, as stage 1 writes it).
    static func lineNumber(_ p: UnsafeBufferPointer<UInt8>) -> (Int, Bool)? {
        if p.count > 0 && p.count < 19 && (p.count == 1 || p[0] != UInt8(ascii: "0")) {
            var v = 0
            var digits = true
            for b in p {
                if b &- 0x30 > 9 { digits = false; break }
                v = v * 10 + Int(b &- 0x30)
            }
            if digits { return (v, true) }
        }
        guard let v = Int(String(decoding: p, as: UTF8.self)) else { return nil }
        return (v, false)
    }

    /// Partition files for the duplicate search: about one per 48 MB of stage 1 input (a data.police.uk row is
    /// ~310 bytes there and ~100 in a partition, so a partition holds ~16 MB however big the input), 16 to 512.
    static func partitions(forInputBytes bytes: Int) -> Int {
        min(512, max(16, bytes / (48 << 20) + 1))
    }

    private func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

/// Numbers for the raw file names of a source's lineage, so dedupe records carry 4 bytes instead of the path.
final class FileNumbers {
    private var names: [String] = []
    private var numbers: [[UInt8]: Int32] = [:]
    private var last: [UInt8] = []
    private var lastNumber: Int32 = -1

    /// The number of the file named by these bytes (consecutive records nearly always share it).
    func number(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        if lastNumber >= 0 && p.elementsEqual(last) { return lastNumber }
        let key = Array(p)
        let n: Int32
        if let known = numbers[key] { n = known } else {
            n = Int32(names.count)
            names.append(String(decoding: p, as: UTF8.self))
            numbers[key] = n
        }
        last = key
        lastNumber = n
        return n
    }

    /// The file name of a number.
    func name(_ n: Int32) -> String { names[Int(n)] }
}
