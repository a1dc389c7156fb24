import CSPCore
import CSPSchema
import CSPCSV

/// Before stage 1 reads a record: every column a source mapping names must be in the header of every CSV file of
/// the source. A missing column fails the stage (exit 65) naming the file, the mapping, the missing columns and the
/// header found; the columns the mapping leaves unread are listed in the log, not an error. (XML records have no
/// header: a path that matches nothing gives blanks, checked per record by the mapping's required fields.)
enum MappingHeaderCheck {
    /// What the check found in one file: the columns the mapping does not read (nil when the file cannot be opened:
    /// stage 1's reading reports that with its own rule).
    static func check(source: SourceDefinition, file: String, lineage: String) throws -> [String]? {
        guard let mapping = source.mapping, source.format == .csv else { return nil }
        let options = CSVReadOptions(delimiter: source.delimiter == "\\t" ? UInt8(ascii: "\t") : source.delimiter.utf8.first!,
                                     encoding: TextEncoding(name: source.encoding) ?? .utf8)
        guard let reader = try? CSVReader(path: file, options: options) else { return nil }
        let header = reader.header
        if header.isEmpty { return nil }
        let names = Set(header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        let missing = mapping.columns.filter { !header.contains($0) && !names.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
        guard missing.isEmpty else {
            throw StageError.malformedInput(file: lineage, line: 1, message: "source `\(source.id)`: the header lacks \(missing.map { "`\($0)`" }.joined(separator: ", ")), "
                + "which the mapping \(mapping.file) reads; the header is \(header.joined(separator: ","))")
        }
        let read = Set(mapping.columns.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        return header.filter { !read.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }
}
