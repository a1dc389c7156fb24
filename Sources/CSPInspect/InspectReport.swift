import CSPSchema
import CSPStorage
/// What `csp inspect` prints: enough to write a source's mapping.
public struct InspectReport: Sendable, Codable, Equatable {
    /// One problem found.
    public struct Problem: Sendable, Codable, Equatable {
        /// Physical line.
        public var line: Int
        /// Rule id.
        public var rule: String
        /// Sentence.
        public var message: String
    }
    /// `csv` or `xml`.
    public var format: String
    /// Encoding the file was read with (detected unless given).
    public var encoding: String
    /// File size.
    public var bytes: Int
    /// Data records (CSV rows after the header; XML record elements), problems included.
    public var records: Int
    /// CSV header, or the distinct field paths of the XML records.
    public var columns: [String]
    /// XML: the record element used.
    public var recordElement: String?
    /// First problems found (at most 100).
    public var errors: [Problem]
    /// Problems in all.
    public var errorCount: Int
    /// `--count-by`: records per value of that column.
    public var counts: [String: Int]?

    /// Whether the file is clean.
    public var isClean: Bool { errorCount == 0 }

    enum CodingKeys: String, CodingKey {
        case format, encoding, bytes, records, columns, recordElement = "record_element", errors, errorCount = "error_count", counts
    }
}
