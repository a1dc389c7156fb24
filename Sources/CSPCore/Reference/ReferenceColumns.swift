import CSPCSV
import CSPStorage
import Foundation

/// Named columns of a reference CSV (BOM and CRLF allowed), row by row, values trimmed: for lookups read whole
/// (ONS code tables, the force slug table) where `ReferenceTable`'s one-row-per-key rule does not hold.
public enum ReferenceColumns {
    /// The header and, per row, the values of `columns` in that order ("" past a short row). A missing column or a
    /// malformed row is a configuration error naming the file (and line); `openError` maps a failure to open it, and a
    /// failed read after opening is `StageError.io`.
    /// Values are trimmed by `Text.trim` (Foundation's trimming bridged through NSString was 11% of the national
    /// geocode stage, reading its 35,672-row lookups).
    public static func read(_ path: String, columns: [String], encoding: TextEncoding = .utf8,
                            openError: (Error) -> Error) throws -> (header: [String], rows: [[String]]) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, options: CSVReadOptions(encoding: encoding)) } catch { throw openError(error) }
        let header = reader.header.map(Text.trim)
        let idx = try columns.map { c -> Int in
            guard let i = header.firstIndex(of: c) else {
                throw StageError.configuration("reference \(path) has no column `\(c)`; its header is \(header.joined(separator: ","))")
            }
            return i
        }
        var rows: [[String]] = []
        // Only the wanted fields become Strings (a national lookup row has up to 12 columns, 2 to 5 wanted).
        try reader.forEach { r in
            if let p = r.problem { throw StageError.configuration("reference \(path) line \(r.line): \(p.description)") }
            rows.append(idx.map { $0 < r.count ? Text.trim(r.string($0)) : "" })
        }
        // A read that failed after opening ends the records early: the table is not whole.
        if let e = reader.readError { throw StageError.io(path: path, operation: "read", reason: e.description) }
        return (header, rows)
    }
}
