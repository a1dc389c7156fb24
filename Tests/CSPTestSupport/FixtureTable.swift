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

    /// The position of a column (the test fails loudly when there is none). A stage 1 file of a mapped source names
    /// its columns as the export does (`Ward`, `Location/Ward`); asked by the name of csp's standard layout (`ward`),
    /// the export's name is found through `exportNames`.
    public func col(_ name: String) -> Int {
        if let i = header.firstIndex(of: name) { return i }
        func squeeze(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        guard let i = (Self.exportNames[name] ?? []).lazy.compactMap({ header.firstIndex(of: $0) }).first
                ?? header.firstIndex(where: { squeeze($0) == squeeze(name) }) else {
            preconditionFailure("no column `\(name)` in \(header.joined(separator: ","))")
        }
        return i
    }

    /// Whether the table has the column (by either name).
    public func has(_ name: String) -> Bool {
        header.contains(name) || (Self.exportNames[name] ?? []).contains { header.contains($0) }
            || header.contains { $0.lowercased().filter { $0.isLetter || $0.isNumber } == name.lowercased().filter { $0.isLetter || $0.isNumber } }
    }

    /// The demo's export column names (`Pipelines/mappings/`) for each standard-layout name the tests use.
    static let exportNames: [String: [String]] = [
        "ward": ["Ward", "WARD", "Location/Ward"], "ho_code": ["HOCode"], "easting": ["Easting", "EASTING", "Location/Easting"],
        "district": ["District", "DISTRICT"], "committed_from": ["CommittedFrom"], "committed_to": ["CommittedTo"], "crime_number": ["CrimeNo"],
        "category": ["Category"], "repeat_caller": ["RepeatCaller"], "incident_type": ["INC_TYPE", "IncidentType"], "property_type": ["PROP_TYPE", "PropertyType"],
        "motive": ["CAUSE", "Motive"], "fatal": ["FATAL", "Casualties/@fatal"], "injured": ["Casualties/@nonFatal"], "ethnicity": ["Ethnicity"],
        "young_person_id": ["YP_ID"], "date_of_birth": ["DOB"], "extracted": ["Extracted", "@extracted"],
        "northing": ["Northing", "NORTHING", "Location/Northing"], "call_time": ["CALL_DTTM", "CallDateTime"], "incident_id": ["INC_NO", "@id"],
        "beat": ["Beat", "Location/Beat"], "recorded": ["Recorded"], "opened": ["Opened"], "incident_number": ["IncidentNumber"],
        "offence_date": ["OffenceDate"], "offence_category": ["OffenceCategory"], "outcome": ["Outcome"], "outcome_date": ["OutcomeDate"],
        "first_time_entrant": ["FirstTimeEntrant"], "ppo": ["PPO"], "sex": ["Sex"], "special_service_type": ["SpecialServiceType"],
    ]

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
