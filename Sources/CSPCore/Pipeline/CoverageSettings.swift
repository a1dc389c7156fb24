import CSPCSV

/// `coverage:`: what the coverage calendar expects beyond the files it finds.
///
/// `expected_forces` names the forces whose data.police.uk files the listed sources should have every month: the
/// distinct values of `column` in `table` (for example the PFA24 force names of the LAD24 → CSP24 → PFA24 lookup) plus
/// `extra` (British Transport Police, which polices no council), each turned into its file-name slug through `slugs`
/// (a reference table: force name → slug). An expected force with no file in a month is `missing` in the calendar,
/// so a force whose files are absent is named, not silently left out.
public struct CoverageSettings: Sendable, Codable, Equatable {
    /// Expected forces, if declared.
    public var expectedForces: ExpectedForces?
}

/// `coverage.expected_forces`.
public struct ExpectedForces: Sendable, Codable, Equatable {
    /// Source ids the forces are expected for.
    public var sources: [String]
    /// CSV of force names (absolute path) and its column.
    public var table: String
    /// Column of `table` holding force names.
    public var column: String
    /// Encoding of `table`.
    public var encoding: String
    /// Force names expected besides the table's.
    public var extra: [String]
    /// Force name → slug table (absolute path) and its two columns.
    public var slugTable: String
    /// Column of force names in `slugTable`.
    public var slugNameColumn: String
    /// Column of slugs in `slugTable`.
    public var slugColumn: String

    /// Creates the setting; see the properties.
    public init(sources: [String], table: String, column: String, encoding: String, extra: [String], slugTable: String, slugNameColumn: String, slugColumn: String) {
        self.sources = sources; self.table = table; self.column = column; self.encoding = encoding; self.extra = extra
        self.slugTable = slugTable; self.slugNameColumn = slugNameColumn; self.slugColumn = slugColumn
    }

    /// The data.police.uk file slug of each force name, from the slug table at `path(slugTable)` (a name listed twice:
    /// the last row).
    public func slugOf(path: (String) throws -> String) throws -> [String: String] {
        Dictionary(try rows(slugTable, [slugNameColumn, slugColumn], encoding: .utf8, path: path).map { ($0[0], $0[1]) }, uniquingKeysWith: { $1 })
    }

    /// The named columns of the reference at `path(file)`; a file that cannot be opened is `StageError.io`.
    private func rows(_ file: String, _ names: [String], encoding: TextEncoding, path: (String) throws -> String) throws -> [[String]] {
        let p = try path(file)
        return try ReferenceColumns.read(p, columns: names, encoding: encoding) { StageError.io(path: p, operation: "read", reason: "\($0)") }.rows
    }

    /// The expected slugs by source id, reading the two tables at `path(file)` (the stage's declared inputs). A force
    /// name that the slug table does not list is a configuration error naming the name and the table.
    public func slugsBySource(path: (String) throws -> String) throws -> [String: [String]] {
        var names: [String] = []
        for r in try rows(table, [column], encoding: TextEncoding(name: encoding) ?? .utf8, path: path) where !r[0].isEmpty && !names.contains(r[0]) { names.append(r[0]) }
        for e in extra where !names.contains(e) { names.append(e) }
        let slugOf = try self.slugOf(path: path)
        let slugs = try names.map { n -> String in
            guard let s = slugOf[n], !s.isEmpty else {
                throw StageError.configuration("coverage.expected_forces: force `\(n)` (from \(table)) has no slug in \(slugTable) (column `\(slugNameColumn)`)")
            }
            return s
        }
        return Dictionary(uniqueKeysWithValues: sources.map { ($0, slugs) })
    }
}

extension PipelineLoader {
    /// Parses `coverage:`.
    static func parseCoverage(_ c: YAMLCursor, sourceIDs: Set<String>, str: (YAMLCursor) throws -> String, path: (YAMLCursor) throws -> String) throws -> CoverageSettings {
        let f = try c.fields(allowed: ["expected_forces"])
        var settings = CoverageSettings()
        if let e = f["expected_forces"] {
            let v = try e.fields(allowed: ["sources", "table", "column", "encoding", "extra", "slugs"], required: ["sources", "table", "column", "slugs"])
            let sources = try v["sources"]!.sequence().map(str)
            for (i, s) in sources.enumerated() where !sourceIDs.contains(s) {
                throw try v["sources"]!.sequence()[i].error(.badValue("`\(s)` is not one of the pipeline's sources"))
            }
            let encoding = try Self.encoding(v["encoding"], str: str)
            let s = try v["slugs"]!.fields(allowed: ["table", "name", "slug"], required: ["table", "name", "slug"])
            settings.expectedForces = ExpectedForces(sources: sources, table: try path(v["table"]!), column: try str(v["column"]!), encoding: encoding,
                                                     extra: try v["extra"].map { try $0.sequence().map(str) } ?? [],
                                                     slugTable: try path(s["table"]!), slugNameColumn: try str(s["name"]!), slugColumn: try str(s["slug"]!))
        }
        return settings
    }
}
