/// A stage's CSV file read whole, for tests that look rows up by column name or lineage.
public struct FixtureTable: Sendable {
    /// The header.
    public let header: [String]
    /// The rows, in file order.
    public let rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]]) { self.header = header; self.rows = rows }

    /// The position of a column (the test fails loudly when there is none).
    public func col(_ name: String) -> Int { header.firstIndex(of: name)! }

    /// Rows keyed by lineage `file|line`.
    public var byLineage: [String: [String]] {
        let f = col("source_file"), l = col("source_record")
        return Dictionary(rows.map { ("\($0[f])|\($0[l])", $0) }, uniquingKeysWith: { a, _ in a })
    }
}
