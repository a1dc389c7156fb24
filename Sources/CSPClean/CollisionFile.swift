import CSPCore
import CSPCSV

/// `02-clean/collisions.csv`: one row per record kept although another record shares its key (an ID collision:
/// data.police.uk publishes one Crime ID for two rows of a month that differ in place, crime type or outcome). Each
/// row names the record (`source_file`, `source_record`), another record kept with the same key (the key's first in
/// input order, or for that one the second), the fields in which the two differ and how many records share the key.
/// The records themselves are in their entity file, flagged (`crime_ref_collision`) and counted once, as `out`: this
/// file is a list, not an issue file, and stays outside the conservation counts.
///
/// Written (header only when there is none) whenever a source's duplicate rule checks for collisions
/// (`DedupeRule.sameRecord`), so an empty file says "checked, none found".
final class CollisionFile {
    /// The file's name in the stage folder.
    static let fileName = StageSideFiles.collisions
    /// The header.
    static let header = ["entity", "key_column", "key", "source_file", "source_record", "other_source_file", "other_source_record",
                         "differing_fields", "records_with_key"]

    private let writer: CSVWriter
    /// Data rows written.
    private(set) var rows = 0

    /// Creates the file in the stage folder and writes the header.
    init(context: StageContext) throws {
        let path = context.outputPath(Self.fileName)
        do { writer = try CSVWriter(path: path) } catch { throw StageError.io(path: path, operation: "create", reason: (error as? CSVFileError)?.reason ?? "\(error)") }
        try writer.writeRow(Self.header)
    }

    /// One collided record and the other record it is reported with.
    struct Entry {
        let entity: String
        let keyColumn: String
        let key: String
        let file: String
        let line: Int
        let otherFile: String
        let otherLine: Int
        /// Names of the fields that differ, in the rule's order.
        let differing: [String]
        let recordsWithKey: Int
    }

    /// Writes one row.
    func write(_ e: Entry) throws {
        try writer.writeRow([e.entity, e.keyColumn, e.key, e.file, String(e.line), e.otherFile, String(e.otherLine),
                             e.differing.joined(separator: ";"), String(e.recordsWithKey)])
        rows += 1
    }

    /// Closes the file.
    func close() throws { try writer.close() }
}
