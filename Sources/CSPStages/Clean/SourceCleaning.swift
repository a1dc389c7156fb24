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
    let tuning: CleanTuning

    func run(input: String) throws -> StageCounts {
        let reader: BackgroundCSVReader
        do { reader = try BackgroundCSVReader(path: input) } catch { throw StageError.io(path: input, operation: "read", reason: "\(error)") }
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
        let fast = tuning.useFastPath ? (cleaner as? any FastPathProvider)?.fastPath(header: Array(header.dropLast(2))) : nil
        let entities = cleaner.entities
        var outputs = [EntityFile?](repeating: nil, count: entities.count)
        func output(_ e: Int) throws -> EntityFile {
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
            : DuplicateFinder(directory: context.outputDirectory, tag: source.id, memoryRows: tuning.dedupeMemoryRows,
                              partitions: tuning.dedupePartitions ?? Self.partitions(forInputBytes: fileSize(input)))
        let files = FileNumbers()
        let row = CleanRow()
        let encoder = CSVRowEncoder()
        // Input records (by position) that were keyed rows of the duplicate rule's entity: the second pass handles them.
        var keyed = BitSet()
        var keyedByFastPath = 0

        /// Writes the cleaned row of `rec` and its lineage.
        func write(_ rec: RawRecord, line: Int, canonicalLine: Bool, to sink: some FieldSink) {
            for i in 0..<row.count { sink.writeField(bytes: row.field(i)) }
            sink.writeField(bytes: rec.bytes(n))
            if canonicalLine { sink.writeField(bytes: rec.bytes(n + 1)) } else { sink.writeField(String(line)) }
        }

        try reader.forEach { rec in
                counts.inCount += 1
                guard rec.problem == nil, rec.count == header.count, let (line, canonicalLine) = Self.lineNumber(rec.bytes(n + 1)) else {
                    throw StageError.malformedInput(file: input, line: rec.line, message: "stage 1 output is damaged at this line")
                }
                let entity: Int
                var byFastPath = false
                if let fast, let e = fast.clean(rec, into: row) {
                    entity = e
                    byFastPath = true
                } else {
                    let file = rec.string(n)
                    let inputRow = InputRow(fields: (0..<n).map { rec.string($0) }, index: index, sourceFile: file, sourceRecord: line)
                    let (schema, values): (EntitySchema, [String])
                    do { (schema, values) = try cleaner.clean(inputRow) } catch let r as CleanRejection {
                        counts.rejected += 1
                        keyed.append(false)
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
                if entity == dedupeEntity, let scratch, let finder, !row.field(keyColumn).isEmpty {
                    // Records without a key (data.police.uk ASB rows) can never be duplicates of each other.
                    keyed.append(true)
                    if byFastPath {
                        // Cleaned again in the second pass (it is pure and cheap): no scratch bytes to write and read back.
                        keyedByFastPath += 1
                    } else {
                        encoder.removeAll()
                        write(rec, line: line, canonicalLine: canonicalLine, to: encoder)
                        encoder.endRow()
                        try scratch.append(Int64(finder.count))
                        try scratch.append(UInt32(encoder.bytes.count))
                        try scratch.append(encoder.bytes)
                    }
                    try finder.add(key: row.field(keyColumn), rank: row.field(rankColumn), file: files.number(rec.bytes(n)), line: line)
                } else {
                    keyed.append(false)
                    let w = try output(entity)
                    write(rec, line: line, canonicalLine: canonicalLine, to: w)
                    try w.endRow()
                    counts.out += 1
                }
        }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }

        guard let dedupe, let dedupeEntity, let scratch, let finder else { return counts }
        // Second pass: keyed rows in input order; losers to duplicates.csv, winners to the entity, from the scratch
        // file (rows the general path cleaned) or cleaned again by the fast path from the stage 1 file.
        try scratch.close()
        let losers = try finder.finish()
        defer { losers.close() }
        let scratchRows = try SpillReader(path: scratchPath, capacity: 1 << 20)
        var nextScratch = try scratchRows.read(Int64.self).map(Int.init)
        var nextLoser = try losers.next()
        var ordinal = 0
        /// Handles keyed row `ordinal`; `clean` cleans it again into `row` when it is a winner not in the scratch file.
        func keyedRow(clean: () throws -> Void) throws {
            defer { ordinal += 1 }
            var scratchBytes: UnsafeRawBufferPointer?
            if nextScratch == ordinal {
                let length = try scratchRows.read(UInt32.self) ?? 0
                scratchBytes = try scratchRows.read(Int(length))
                if scratchBytes == nil { throw StageError.io(path: scratchPath, operation: "read", reason: "scratch file ends inside a row") }
            }
            if let l = nextLoser, l.ordinal == ordinal {
                counts.duplicates += 1
                let rank = String(decoding: l.winnerRank, as: UTF8.self)
                try context.duplicates().write(RecordIssue(stage: .clean, rule: dedupe.rule, sourceFile: files.name(l.file), sourceRecord: l.line,
                    field: dedupe.keyColumn, value: String(decoding: l.key, as: UTF8.self),
                    message: "same \(dedupe.keyColumn) as \(files.name(l.winnerFile)) line \(l.winnerLine), which was kept (\(dedupe.rankColumn) \(rank.isEmpty ? "blank" : rank))"))
                nextLoser = try losers.next()
            } else if let bytes = scratchBytes {
                try output(dedupeEntity).writeEncodedRows(bytes.assumingMemoryBound(to: UInt8.self), rows: 1)
                counts.out += 1
            } else {
                try clean()
                counts.out += 1
            }
            if scratchBytes != nil { nextScratch = try scratchRows.read(Int64.self).map(Int.init) }
        }
        if keyedByFastPath == 0 {
            while nextScratch != nil { try keyedRow { preconditionFailure("keyed row \(ordinal) is not in the scratch file") } }
        } else if let fast {
            let again: BackgroundCSVReader
            do { again = try BackgroundCSVReader(path: input) } catch { throw StageError.io(path: input, operation: "read", reason: "\(error)") }
            var position = 0
            try again.forEach { rec in
                defer { position += 1 }
                guard position < keyed.count, keyed[position] else { return }
                try keyedRow {
                    guard let (line, canonicalLine) = Self.lineNumber(rec.bytes(n + 1)), fast.clean(rec, into: row) == dedupeEntity else {
                        throw StageError.malformedInput(file: input, line: rec.line, message: "the stage 1 file changed while it was being cleaned")
                    }
                    let w = try output(dedupeEntity)
                    write(rec, line: line, canonicalLine: canonicalLine, to: w)
                    try w.endRow()
                }
            }
            if let e = again.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
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
        if lastNumber >= 0 && PoliceUKStreetFastPath.equal(p, last) { return lastNumber }
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

/// Where a row's fields go: an entity file or the scratch encoder.
protocol FieldSink {
    func writeField(bytes: UnsafeBufferPointer<UInt8>)
    func writeField(_ s: String)
}

extension CSVRowEncoder: FieldSink {}

/// A growable array of bits, one per input record (1.25 MB for 10 million records).
struct BitSet {
    private var words: [UInt64] = []
    private(set) var count = 0

    mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    subscript(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
}
