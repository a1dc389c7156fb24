#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV

/// Cleans one source's stage 1 file: every record is written to its entity, rejected, or (second pass) found a duplicate.
///
/// Records are cleaned by the cleaner's byte-level fast path when it has one and the record has the usual shape,
/// else by `RecordCleaner.clean` on Strings; both leave the values in one reused `CleanRow`, which is encoded
/// straight into the entity file's block (no String or array per row). The stage 1 file is parsed on a second
/// thread (`BackgroundCSVReader`) and entity files are written on a third (`EntityFile`).
///
/// With a duplicate rule, keyed rows of the rule's entity wait for a second pass: `DuplicateFinder` collects their
/// key, rank, lineage and the hashes of the rule's `sameRecord` and `sameVersion` columns in bounded memory, and then
/// the second pass writes the kept rows in input order, reports the duplicates, and flags the rows kept although
/// another kept row shares their key (ID collisions: `<key>_collision` true, one row each in `collisions.csv`). Rows cleaned by the fast path are cleaned again from the stage 1 file in the second pass (measured:
/// cheaper than writing them to a scratch file and reading them back); rows of the general path, whose cleaning
/// may have side effects (`CleanEnvironment.crimeDates`), are kept encoded in a scratch file instead.
struct SourceCleaning {
    let source: SourceDefinition
    let cleaner: any RecordCleaner
    let context: StageContext
    let writers: EntityWriters
    let tuning: CleanTuning
    /// `collisions.csv`, when the stage writes it (a source's rule checks for collisions).
    let collisionFile: CollisionFile?

    /// What cleaning one source gave: its counts, and a warning naming its ID collisions (nil when none).
    struct Result {
        var counts: StageCounts
        var warning: String?
    }

    func run(input: String) throws -> Result {
        try SourceRun(self, input: input).run()
    }

    /// Partition files for the duplicate search: about one per 48 MB of stage 1 input (a data.police.uk row is
    /// ~310 bytes there and ~100 in a partition, so a partition holds ~16 MB however big the input), 16 to 512.
    static func partitions(forInputBytes bytes: Int) -> Int {
        min(512, max(16, bytes / (48 << 20) + 1))
    }
}

/// The state of one source's cleaning.
private final class SourceRun {
    let source: SourceDefinition
    let cleaner: any RecordCleaner
    let context: StageContext
    let writers: EntityWriters
    let input: String
    let reader: BackgroundCSVReader
    let header: [String]
    /// Stage 1 columns before the lineage ones.
    let n: Int
    let index: NameIndex
    let personal: Set<String>
    let fast: (any FastRecordCleaner)?
    let entities: [EntitySchema]
    var outputs: [EntityFile?]
    var counts = StageCounts()

    let dedupe: DedupeRule?
    let dedupeEntity: Int?
    let keyColumn: Int
    let rankColumn: Int
    /// Columns of the dedupe entity hashed for the duplicate search: `DedupeRule.sameRecord`, then `sameVersion`.
    let contentColumns: [Int]
    /// Their hashes for the current record (reused).
    var contentHashes: [UInt64]
    /// The dedupe entity's `<key>_collision` column, when it has one: `false` on every row, `true` on collided ones.
    let flagColumn: Int?
    let collisionFile: CollisionFile?
    /// Keyed records kept although another kept record shares their key, and the first few of them for the warning.
    private(set) var collisions = 0
    private var named: [String] = []
    let scratchPath: String
    let scratch: SpillWriter?
    let finder: DuplicateFinder?
    let files = FileNumbers()
    let row = CleanRow()
    let encoder = CSVRowEncoder()
    /// Input records (by position) that were keyed rows of the duplicate rule's entity: the second pass handles them.
    var keyed = BitSet()
    var keyedByFastPath = 0

    init(_ s: SourceCleaning, input: String) throws {
        source = s.source; cleaner = s.cleaner; context = s.context; writers = s.writers; self.input = input; collisionFile = s.collisionFile
        do { reader = try BackgroundCSVReader(path: input, observer: context.progress.file(input)) } catch { throw StageError.io(path: input, operation: "read", reason: (error as? CSVFileError)?.reason ?? "\(error)") }
        let header = reader.header
        self.header = header
        guard header.suffix(2) == ["source_file", "source_record"] else {
            throw StageError.malformedInput(file: input, line: 1, message: "not a stage 1 file: the lineage columns are missing")
        }
        let missing = cleaner.requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw StageError.configuration("source `\(source.id)` (kind \(source.kind)) lacks the column(s) \(missing.joined(separator: ", ")) that its cleaning rules need; map them under `columns:` in the pipeline")
        }
        index = NameIndex(Array(header.dropLast(2)), lastWins: true)
        n = header.count - 2
        personal = Set(source.personal)
        fast = s.tuning.useFastPath ? (cleaner as? any FastPathProvider)?.fastPath(header: Array(header.dropLast(2))) : nil
        entities = cleaner.entities
        outputs = [EntityFile?](repeating: nil, count: entities.count)

        let dedupe = cleaner.dedupe, entities = self.entities
        let dedupeEntity = dedupe.flatMap { d in entities.firstIndex { $0.name == d.entity } }
        self.dedupe = dedupe
        self.dedupeEntity = dedupeEntity
        keyColumn = dedupe.flatMap { d in dedupeEntity.map { entities[$0].index(d.keyColumn) } } ?? 0
        rankColumn = dedupe.flatMap { d in dedupeEntity.map { entities[$0].index(d.rankColumn) } } ?? 0
        contentColumns = dedupe.flatMap { d in dedupeEntity.map { e in (d.sameRecord + d.sameVersion).map { entities[e].index($0) } } } ?? []
        contentHashes = [UInt64](repeating: 0, count: contentColumns.count)
        flagColumn = dedupe.flatMap { d in dedupeEntity.flatMap { e in entities[e].columns.firstIndex { $0.name == d.collisionColumn } } }
        scratchPath = context.outputDirectory + "/.scratch-\(source.id)"
        scratch = dedupeEntity == nil ? nil : try SpillWriter(path: scratchPath, capacity: 1 << 20)
        var st = stat()
        let inputBytes = stat(input, &st) == 0 ? Int(st.st_size) : 0
        finder = dedupeEntity == nil ? nil
            : DuplicateFinder(directory: context.outputDirectory, tag: source.id, memoryRows: s.tuning.dedupeMemoryRows,
                              partitions: s.tuning.dedupePartitions ?? SourceCleaning.partitions(forInputBytes: inputBytes),
                              fields: contentColumns.count, versionFields: dedupe?.sameVersion.count ?? 0)
    }

    deinit { if scratch != nil { unlink(scratchPath) } }

    func output(_ e: Int) throws -> EntityFile {
        if let w = outputs[e] { return w }
        let w = try writers.writer(for: entities[e])
        outputs[e] = w
        return w
    }

    func run() throws -> SourceCleaning.Result {
        try firstPass()
        if dedupeEntity != nil { try secondPass() }
        guard collisions > 0, let dedupe else { return SourceCleaning.Result(counts: counts) }
        let more = collisions - named.count
        return SourceCleaning.Result(counts: counts, warning: "source `\(source.id)`: \(collisions) record(s) share a \(dedupe.keyColumn) with a different record "
            + "(\(dedupe.collisionRule): another \((dedupe.sameRecord + dedupe.sameVersion).joined(separator: ", ")) under the same ID): all kept and counted once, "
            + "flagged \(dedupe.collisionColumn), not rejected nor dropped as duplicates: " + named.joined(separator: "; ")
            + (more > 0 ? "; and \(more) more, every one in \(stage2Folder)/\(CollisionFile.fileName)" : " (\(stage2Folder)/\(CollisionFile.fileName))"))
    }

    private var stage2Folder: String { StageID.clean.folder }

    /// Sets the collision flag of the row in `row`, when the entity has one.
    @inline(__always)
    private func flag(_ collided: Bool) {
        guard let flagColumn else { return }
        row.set(flagColumn, collided ? Self.trueBytes : Self.falseBytes)
    }
    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// Cleans every record: rejects, rows written, keyed rows noted for the second pass.
    private func firstPass() throws {
        let row = self.row, fast = self.fast, n = self.n, width = header.count
        try reader.forEach { rec in
            counts.inCount += 1
            guard rec.problem == nil, rec.count == width, let line = LineNumber(rec.bytes(n + 1)) else {
                throw StageError.malformedInput(file: input, line: rec.line, message: "stage 1 output is damaged at this line")
            }
            let entity: Int
            var byFastPath = false
            if let fast, let e = fast.clean(rec, into: row) {
                entity = e
                byFastPath = true
            } else if let e = try cleanByStrings(rec, line: line.value) {
                entity = e
            } else {
                keyed.append(false)
                return
            }
            if entity == dedupeEntity { flag(false) }
            if entity == dedupeEntity, let scratch, let finder, !row.field(keyColumn).isEmpty {
                // Records without a key (data.police.uk ASB rows) can never be duplicates of each other.
                keyed.append(true)
                if byFastPath {
                    keyedByFastPath += 1
                } else {
                    // Encoded with the flag false; `flagOffset` says where, for a collision to become true.
                    encoder.removeAll()
                    let flagOffset = encoder.writeRow(row, file: rec.bytes(n), line: line, marking: flagColumn)
                    try scratch.append(Int64(finder.count))
                    try scratch.append(UInt32(encoder.bytes.count))
                    try scratch.append(Int32(flagOffset ?? -1))
                    try scratch.append(encoder.bytes)
                }
                for (k, c) in contentColumns.enumerated() { contentHashes[k] = Bytes.hash(row.field(c), seed: UInt64(k + 1)) }
                try finder.add(key: row.field(keyColumn), rank: row.field(rankColumn), file: files.number(rec.bytes(n)), line: line.value, fields: contentHashes)
            } else {
                keyed.append(false)
                try output(entity).writeRow(row, file: rec.bytes(n), line: line)
                counts.out += 1
            }
        }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
    }

    /// The general path: `RecordCleaner.clean` on Strings, the values left in `row`. Nil when rejected (then written
    /// to rejects.csv).
    private func cleanByStrings(_ rec: CSVRawRecord, line: Int) throws -> Int? {
        let file = rec.string(n)
        let inputRow = InputRow(fields: (0..<n).map { rec.string($0) }, index: index, sourceFile: file, sourceRecord: line)
        let (schema, values): (EntitySchema, [String])
        do { (schema, values) = try cleaner.clean(inputRow) } catch let r as CleanRejection {
            counts.rejected += 1
            let masked = r.personal || personal.contains(r.field)
            try context.rejects.write(RecordIssue(stage: .clean, rule: r.rule, sourceFile: file, sourceRecord: line, field: r.field,
                                                  value: Mask.value(r.value, personal: masked), message: r.message))
            return nil
        }
        guard let e = entities.firstIndex(where: { $0.name == schema.name }) else {
            preconditionFailure("cleaner for \(source.kind) returned \(schema.name), not among its entities")
        }
        row.reset(fields: values.count)
        for (i, v) in values.enumerated() { row.set(i, v) }
        return e
    }

    // MARK: - Second pass

    private var verdicts: VerdictMerge?
    private var nextVerdict: DuplicateFinder.Verdict?
    private var scratchRows: SpillReader?
    private var nextScratch: Int?
    private var ordinal = 0
    /// A scratch row with its flag made true.
    private var patched: [UInt8] = []

    /// What `takeKeyedRow` did with a keyed row.
    private enum Taken {
        /// Reported as a duplicate, or copied from the scratch file.
        case done
        /// Kept: to be cleaned again from the stage 1 file, flagged when it collides.
        case cleanAgain(collided: Bool)
    }

    /// Keyed rows in input order: duplicates to duplicates.csv, kept rows to the entity file (collided ones flagged
    /// and listed in collisions.csv), from the scratch file (rows of the general path) or cleaned again by the fast
    /// path from the stage 1 file.
    private func secondPass() throws {
        guard let scratch, let finder, let dedupeEntity else { return }
        try scratch.close()
        let verdicts = try finder.finish()
        defer { verdicts.close() }
        self.verdicts = verdicts
        nextVerdict = try verdicts.next()
        let scratchRows = try SpillReader(path: scratchPath, capacity: 1 << 20)
        self.scratchRows = scratchRows
        nextScratch = try scratchRows.read(Int64.self).map(Int.init)
        if keyedByFastPath == 0 {
            while nextScratch != nil {
                if case .cleanAgain = try takeKeyedRow() { preconditionFailure("keyed row \(ordinal - 1) is not in the scratch file") }
            }
            return
        }
        guard let fast else { return }
        let again: BackgroundCSVReader
        do { again = try BackgroundCSVReader(path: input) } catch { throw StageError.io(path: input, operation: "read", reason: (error as? CSVFileError)?.reason ?? "\(error)") }
        let row = self.row, keyed = self.keyed, n = self.n, out = try output(dedupeEntity)
        var position = 0
        try again.forEach { rec in
            defer { position += 1 }
            guard position < keyed.count, keyed[position], case .cleanAgain(let collided) = try takeKeyedRow() else { return }
            guard let line = LineNumber(rec.bytes(n + 1)), fast.clean(rec, into: row) == dedupeEntity else {
                throw StageError.malformedInput(file: input, line: rec.line, message: "the stage 1 file changed while it was being cleaned")
            }
            flag(collided)
            try out.writeRow(row, file: rec.bytes(n), line: line)
            counts.out += 1
        }
        if let e = again.readError { throw StageError.io(path: input, operation: "read", reason: e.description) }
    }

    /// Takes keyed row `ordinal`: reports it if it is a duplicate, lists it if it collides, copies it from the scratch
    /// file if it is kept and is there; `.cleanAgain` when it is kept and must be cleaned again from the stage 1 file.
    private func takeKeyedRow() throws -> Taken {
        guard let dedupe, let dedupeEntity, let verdicts, let scratchRows else { return .done }
        defer { ordinal += 1 }
        var scratchBytes: ByteView?
        var flagOffset = -1
        if nextScratch == ordinal {
            let length = try scratchRows.read(UInt32.self) ?? 0
            flagOffset = Int(try scratchRows.read(Int32.self) ?? -1)
            scratchBytes = try scratchRows.readBytes(Int(length))
            if scratchBytes == nil { throw StageError.io(path: scratchPath, operation: "read", reason: "scratch file ends inside a row") }
        }
        defer { if scratchBytes != nil { nextScratch = (try? scratchRows.read(Int64.self)).flatMap { $0 }.map(Int.init) } }
        var collided = false
        if let v = nextVerdict, v.ordinal == ordinal {
            nextVerdict = try verdicts.next()
            if !v.collision {
                counts.duplicates += 1
                let rank = String(decoding: v.otherRank, as: UTF8.self)
                try context.duplicates().write(RecordIssue(stage: .clean, rule: dedupe.rule, sourceFile: files.name(v.file), sourceRecord: v.line,
                    field: dedupe.keyColumn, value: String(decoding: v.key, as: UTF8.self),
                    message: "same \(dedupe.keyColumn) as \(files.name(v.otherFile)) line \(v.otherLine), which was kept (\(dedupe.rankColumn) \(rank.isEmpty ? "blank" : rank))"))
                return .done
            }
            // The same key on a different record (another crime type, place or outcome): an ID collision, kept.
            collided = true
            try noteCollision(v, dedupe)
        }
        if let bytes = scratchBytes {
            let out = try output(dedupeEntity)
            if collided && flagOffset >= 0 {
                // The kept row was encoded with `false`: patch the flag to `true` (same position, one byte shorter).
                try Bytes.withReplaced(bytes, at: flagOffset, count: Self.falseBytes.count, by: Self.trueBytes, scratch: &patched) {
                    try out.writeEncodedRows($0, rows: 1)
                }
            } else {
                try out.writeEncodedRows(bytes, rows: 1)
            }
            counts.out += 1
            return .done
        }
        return .cleanAgain(collided: collided)
    }

    /// Lists a collided record in collisions.csv and, for the first few, in the warning.
    private func noteCollision(_ v: DuplicateFinder.Verdict, _ dedupe: DedupeRule) throws {
        collisions += 1
        let columns = dedupe.sameRecord + dedupe.sameVersion
        let differing = (v.differing & DuplicateFinder.Verdict.rankBit != 0 ? [dedupe.rankColumn] : []) + v.differingFields.map { columns[$0] }
        let key = String(decoding: v.key, as: UTF8.self)
        if named.count < 10 {
            named.append("\(files.name(v.file)) line \(v.line) (\(dedupe.keyColumn) \(key)) and \(files.name(v.otherFile)) line \(v.otherLine) differ in \(differing.joined(separator: ", "))")
        }
        try collisionFile?.write(CollisionFile.Entry(entity: dedupe.entity, keyColumn: dedupe.keyColumn, key: key, file: files.name(v.file), line: v.line,
                                                     otherFile: files.name(v.otherFile), otherLine: v.otherLine, differing: differing, recordsWithKey: v.kept))
    }
}
