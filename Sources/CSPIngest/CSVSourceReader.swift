import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV

/// Reads one CSV export of a source into its stage 1 output, mapping columns by header name.
///
/// Besides the reader's structural rules (`csv.*`), two of its own, each a rejected record:
/// - `ingest.truncated-last-line`: the file ends inside its last line (no line break after it, where every other
///   line has one: the file was cut short). A record that also breaks a `csv.*` rule (a ragged row, when the cut
///   fell mid-field) keeps that rule, the first problem found, as every rejected record does. Either way the
///   file is named in a warning with the line.
/// - `ingest.month-mismatch`: a record whose `month` column (data.police.uk's `Month`, `YYYY-MM`) is not the month
///   of its file's data.police.uk name (`YYYY-MM-<force>-<type>.csv`). Stop-and-search files have no `Month`
///   (their `Date` is UTC, so a search just after midnight on the 1st in summer time is dated the month before).
struct CSVSourceReader {
    let source: SourceDefinition
    /// The run's progress (counts the bytes and records read).
    var progress: ProgressMeter = .off

    /// What reading one file found beyond its records.
    struct Outcome {
        /// SHA-256 and size of the bytes read, computed as they were parsed; nil when the file was not read to its end.
        var digest: (hex: String, bytes: Int)?
        /// Warnings naming the file (a truncated last line).
        var warnings: [String] = []
    }

    /// Reads `path` into `sink`; for a data.police.uk street source, counts the coverage calendar's street figures into `figures`.
    func read(path: String, lineageName: String, into sink: inout IngestSink, figures: inout CoverageCalendar.FileFigures) throws -> Outcome {
        let options = CSVReadOptions(
            delimiter: source.delimiter == "\\t" ? UInt8(ascii: "\t") : source.delimiter.utf8.first!,
            encoding: TextEncoding(name: source.encoding) ?? .utf8)
        // Parsed on a second thread (BackgroundCSVReader); the output is written behind on another (CSVWriter).
        let reader: BackgroundCSVReader
        let digest = ReadDigest()
        var outcome = Outcome()
        do { reader = try BackgroundCSVReader(path: path, options: options, observer: progress.file(path, also: digest)) } catch let e as CSVFileError {
            switch e {
            case .cannotOpen(_, let reason): throw StageError.inputMissing(path: path, what: "source `\(source.id)` (\(reason))")
            case .readFailed(_, let reason), .writeFailed(_, let reason), .cannotCreate(_, let reason): throw StageError.io(path: path, operation: "read", reason: reason)
            case .badHeader(_, let problem): throw StageError.malformedInput(file: lineageName, line: problem.line, message: "the header does not parse: \(problem.description)")
            }
        }
        let header = reader.header
        if header.isEmpty {
            // A 0-byte export: nothing to read, but almost certainly a failed extraction.
            sink.broken.append("source `\(source.id)`: \(lineageName) is empty (no header, no records)")
            outcome.digest = digest.digest
            return outcome
        }
        // Output column i comes from header column indices[i].
        var names: [String]
        var indices: [Int]
        var drift: String?
        if source.columns.isEmpty {
            names = header.map { $0.trimmingCharacters(in: .whitespaces) }
            indices = Array(header.indices)
        } else {
            names = source.columns.map(\.name)
            var missing: [String] = []
            indices = source.columns.map { col in
                if let i = header.firstIndex(of: col.from) { return i }
                let want = col.from.trimmingCharacters(in: .whitespaces).lowercased()
                if let i = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == want }) { return i }
                missing.append("`\(col.from)` (for `\(col.name)`)")
                return -1
            }
            if !missing.isEmpty {
                drift = "the header lacks \(missing.joined(separator: ", ")); it has \(header.joined(separator: ","))"
            }
        }
        if drift == nil, let earlier = try sink.header(names, file: lineageName) {
            drift = "the header \(names.joined(separator: ",")) differs from the earlier files' \(earlier.joined(separator: ",")); declare `columns:` to map each file by name"
        }
        if let drift {
            // Schema drift: every record of the file is rejected (counted, never silently dropped) and the run fails.
            sink.broken.append("source `\(source.id)`: \(lineageName): \(drift)")
            try reader.forEach { rec in
                try sink.reject(rule: "ingest.schema-drift", file: lineageName, line: rec.line, field: "", value: "", message: drift)
            }
            if let e = reader.readError { throw StageError.io(path: path, operation: "read", reason: e.description) }
            outcome.digest = reader.endState.reachedEnd ? digest.digest : nil
            return outcome
        }
        let personalOutput = Set(source.personal)
        let writer = sink.writer
        let fileField = lineageName
        // Street figures for the coverage calendar: header indices of the mapped columns, or -1.
        func mapped(_ name: String) -> Int { source.columns.firstIndex { $0.name == name }.map { indices[$0] } ?? -1 }
        let street = source.kind == .policeUKStreet
        let idColumn = street ? mapped("crime_id") : -1, lonColumn = street ? mapped("longitude") : -1, lsoaColumn = street ? mapped("lsoa_code") : -1
        var noLocation = 0, noLSOA = 0, noID = 0, repeated = 0
        var seenIDs = Set<UInt64>()
        // The month of the file's data.police.uk name, checked against each record's `month` column.
        let fileMonth = CoverageCalendar.nameMonth(of: path).map { Array($0.utf8) }
        let monthColumn = fileMonth == nil ? -1 : mapped("month")
        var unterminatedLine: Int?
        var otherMonths: [String: Int] = [:]
        try reader.forEach { rec in
            if !rec.terminated { unterminatedLine = rec.line }
            if let problem = rec.problem {
                var field = ""
                var value = ""
                if let f = problem.field, f < header.count {
                    field = indices.firstIndex(of: f).map { names[$0] } ?? header[f]
                    if f < rec.count { value = rec.string(f) }
                    if personalOutput.contains(field) || (source.columns.isEmpty == false && !indices.contains(f)) { value = Mask.personal(value) }
                }
                try sink.reject(rule: problem.rule, file: fileField, line: rec.line, field: field, value: value, message: problem.description)
                return
            }
            if !rec.terminated {
                try sink.reject(rule: "ingest.truncated-last-line", file: fileField, line: rec.line, field: "", value: "",
                                message: "line \(rec.line), the last, ends without a line break: the file was cut short, so this record may have lost its end")
                return
            }
            if monthColumn >= 0, let fileMonth, monthColumn < rec.count, Self.isOtherMonth(rec.bytes(monthColumn), fileMonth) {
                let value = rec.string(monthColumn)
                let expected = String(decoding: fileMonth, as: UTF8.self)
                otherMonths[value, default: 0] += 1
                try sink.reject(rule: "ingest.month-mismatch", file: fileField, line: rec.line, field: "month", value: value,
                                message: "line \(rec.line): month \(value) in a file whose name says month \(expected): a record of another month, not counted in either")
                return
            }
            if rec.line > 1, rec.count > 0, CSV.startsWithBOM(rec.bytes(0)) {
                try sink.reject(rule: "csv.bom-inside", file: fileField, line: rec.line, field: names.first ?? "", value: "",
                                message: "line \(rec.line) starts with a byte-order mark: two exports were probably concatenated")
                return
            }
            if street {
                if lonColumn >= 0, lonColumn < rec.count, rec.bytes(lonColumn).isEmpty { noLocation += 1 }
                if lsoaColumn >= 0, lsoaColumn < rec.count, rec.bytes(lsoaColumn).isEmpty { noLSOA += 1 }
                if idColumn >= 0, idColumn < rec.count {
                    let id = rec.bytes(idColumn)
                    // The dedupe's byte hash: eight bytes at a time, no Hasher state per record.
                    if id.isEmpty { noID += 1 } else if !seenIDs.insert(Bytes.hash(id, seed: 0)).inserted { repeated += 1 }
                }
            }
            for i in indices { writer.writeField(bytes: rec.bytes(i)) }
            writer.writeField(fileField)
            Self.writeNumber(rec.line, to: writer)
            try writer.endRow()
            sink.wrote()
        }
        if let e = reader.readError { throw StageError.io(path: path, operation: "read", reason: e.description) }
        if street {
            figures.noLocation = noLocation; figures.noLSOA = noLSOA; figures.noCrimeID = noID; figures.repeatedCrimeID = repeated
        }
        let end = reader.endState
        if let line = unterminatedLine {
            outcome.warnings.append("source `\(source.id)`: \(lineageName) looks truncated: its last line (line \(line)) ends without the \(end.lineBreakName) "
                                    + "its other lines end with; the record there is rejected (see rejects.csv)")
        } else if end.endsInsideCRLF {
            outcome.warnings.append("source `\(source.id)`: \(lineageName) looks truncated: it ends with a CR where its lines end with CRLF")
        }
        if !otherMonths.isEmpty, let fileMonth {
            let n = otherMonths.values.reduce(0, +)
            outcome.warnings.append("source `\(source.id)`: \(lineageName) holds \(n) record\(n == 1 ? "" : "s") of another month than its name's \(String(decoding: fileMonth, as: UTF8.self)) ("
                                    + otherMonths.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "): rejected (ingest.month-mismatch)")
        }
        outcome.digest = end.reachedEnd ? digest.digest : nil
        return outcome
    }

    /// True when `value` is a `YYYY-MM` other than `month` (anything else is left to stage 2's date rules).
    static func isOtherMonth(_ value: ByteView, _ month: [UInt8]) -> Bool {
        guard value.count == 7, value[4] == UInt8(ascii: "-") else { return false }
        var same = true
        for i in 0..<7 {
            let b = value[i]
            if i != 4 && !(48...57).contains(b) { return false }
            if b != month[i] { same = false }
        }
        return !same
    }

    /// Writes a non-negative whole number as a field without making a String (one per record otherwise).
    static func writeNumber(_ n: Int, to writer: CSVWriter) {
        Bytes.withDecimal(n) { writer.writeField(bytes: $0) }
    }
}
