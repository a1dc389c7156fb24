import CSPCSV
import Foundation

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

    /// The CSV file at `path`, read whole with the project's reader.
    public static func read(_ path: String) -> FixtureTable {
        let reader = try! CSVReader(path: path)
        var rows: [[String]] = []
        while let r = reader.next() { rows.append(r.fields) }
        return FixtureTable(header: reader.header, rows: rows)
    }

    /// The quirks planted in the committed fixtures (`Fixtures/raw/expected.json`): id → documented count.
    public static func plantedQuirks() throws -> [String: Int] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: StageTestSupport.repositoryRoot + "/Fixtures/raw/expected.json"))) as! [String: Any]
        var e: [String: Int] = [:]
        for q in json["quirks"] as! [[String: Any]] { e[q["id"] as! String] = q["count"] as? Int }
        return e
    }
}

/// Stage files read once per test run and shared by the tests of a suite (thread-safe).
public final class FixtureTableCache: @unchecked Sendable {
    private var tables: [String: FixtureTable] = [:]
    private let lock = NSLock()

    public init() {}

    /// The CSV file at `path`, read on first use.
    public func table(_ path: String) -> FixtureTable {
        lock.lock(); defer { lock.unlock() }
        if let t = tables[path] { return t }
        let t = FixtureTable.read(path)
        tables[path] = t
        return t
    }
}
