import CSPCore
import CSPSchema
import CSPStorage
import CSPXML

/// Reads one XML export of a source into its stage 1 output, one row per record element.
struct XMLSourceReader {
    let source: SourceDefinition

    func read(path: String, lineageName: String, into sink: inout IngestSink) throws {
        let names = source.columns.map(\.name)
        _ = try sink.header(names, file: lineageName)
        let reader: XMLRecordReader
        do { reader = try XMLRecordReader(path: path, recordElement: source.record ?? "") } catch let e as XMLReadError {
            if case .cannotOpen(_, let reason) = e { throw StageError.inputMissing(path: path, what: "source `\(source.id)` (\(reason))") }
            try fail(e, path: path, lineageName: lineageName, sink: &sink)
            return
        }
        let writer = sink.writer
        while true {
            let record: XMLRecord?
            do { record = try reader.next() } catch let e as XMLReadError {
                try fail(e, path: path, lineageName: lineageName, sink: &sink)
                return
            }
            guard let record else { return }
            var row: [String] = []
            row.reserveCapacity(names.count + 2)
            for col in source.columns { row.append(record.value(col.from) ?? "") }
            row.append(lineageName)
            row.append(String(record.line))
            try writer.writeRow(row)
            sink.wrote()
        }
    }

    /// A malformed or hostile file: one reject for the unreadable rest, and the run will fail once everything is written.
    /// The error names the file as lineage does, so rejects read the same on every machine.
    private func fail(_ e: XMLReadError, path: String, lineageName: String, sink: inout IngestSink) throws {
        let text = e.description.replacingOccurrences(of: path, with: lineageName)
        try sink.reject(rule: e.rule, file: lineageName, line: e.line, field: "", value: "",
                        message: "\(text) Records after this point were not read.")
        sink.broken.append("source `\(source.id)`: \(text)")
    }
}
