/// How a CSV file is read. A plain value with documented defaults, passed to `CSVReader` or `CSV.parse`.
public struct CSVReadOptions: Sendable {
    /// The field separator byte; default `,`. Must not be `"`, CR or LF.
    public var delimiter: UInt8
    /// The encoding of the input bytes; default `.utf8`. Output is always UTF-8.
    public var encoding: TextEncoding
    /// The largest field value accepted, in UTF-8 bytes after unquoting; default 1 MiB.
    /// A longer field is reported as `CSVProblem.fieldTooLong` and its value is empty.
    public var maxFieldBytes: Int
    /// Whether the first record is a header; default true.
    public var hasHeader: Bool

    /// Creates options; every parameter has the documented default.
    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        encoding: TextEncoding = .utf8,
        maxFieldBytes: Int = 1_048_576,
        hasHeader: Bool = true
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.hasHeader = hasHeader
    }
}
