import CSPCSV
import Foundation

/// Stage 1's coverage calendar (`01-ingest/coverage.csv`): one row per source × force × month of the span of the
/// monthly exports read, saying whether the month's file is there, and how it looks.
///
/// A file's month and force come from a data.police.uk name `YYYY-MM-<force>-<type>.csv`; for other exports the
/// month is the name of a `YYYY-MM` folder holding the file and the force is blank. Sources whose files have no
/// month have no rows. The span runs from the first to the last month of any source's files or of any `YYYY-MM`
/// folder the sources' patterns reach (an empty month folder makes that month `missing` for every source).
///
/// Status of a row, in precedence order:
/// - `missing`: no file for the source, force and month.
/// - `duplicated`: two or more files for the same source, force and month, or a file refused because stage 1 had
///   already read its bytes or its real path (counted for the month of the file it repeats; see `IngestStage`).
/// - `short`: fewer rows than half the median rows of the up to six months with a file on each side.
/// - `present`: otherwise.
public struct CoverageCalendar: Sendable {
    /// One row of the calendar.
    public struct Row: Sendable, Equatable {
        /// Source id.
        public var source: String
        /// Force slug from a data.police.uk file name; blank for exports that have none.
        public var force: String
        /// `YYYY-MM`.
        public var month: String
        /// `present`, `missing`, `short` or `duplicated`.
        public var status: String
        /// Files read for the month (their lineage names).
        public var files: [String] = []
        /// Records in those files (rejected ones included).
        public var rows = 0
        /// Street files: records with no location, no LSOA, no Crime ID, and with a Crime ID already seen in the file.
        public var noLocation: Int? = nil, noLSOA: Int? = nil, noCrimeID: Int? = nil, repeatedCrimeID: Int? = nil
        /// Files of the month that stage 1 did not read, each with why (not written to `coverage.csv`: the warnings,
        /// the ledger and `describe` say it).
        public var refused: [String] = []

        /// Creates a row with no files.
        public init(source: String, force: String, month: String, status: String) {
            self.source = source; self.force = force; self.month = month; self.status = status
        }
    }

    /// Figures of one file read, collected while stage 1 reads it.
    public struct FileFigures: Sendable {
        /// Source id.
        public var source: String
        /// Lineage name of the file.
        public var file: String
        /// Absolute path.
        public var path: String
        /// Records read.
        public var rows = 0
        /// Street figures (nil for other kinds).
        public var noLocation: Int? = nil, noLSOA: Int? = nil, noCrimeID: Int? = nil, repeatedCrimeID: Int? = nil
        /// Why stage 1 did not read the file (its bytes or real path were read already, or a newer file for the same
        /// month won); nil when it was read.
        public var refused: String? = nil
        /// The absolute path of the file whose bytes this one repeats: the file counts for that file's month.
        public var sameAs: String? = nil

        /// Creates the figures of a file before it is read.
        public init(source: String, file: String, path: String) { self.source = source; self.file = file; self.path = path }
    }

    /// The file name, in every stage folder that carries it.
    public static let fileName = "coverage.csv"

    /// The header of `coverage.csv`.
    public static let header = ["source", "force", "month", "status", "files", "rows", "no_location_share", "no_lsoa_share",
                                "no_crime_id_share", "repeated_crime_id_share", "file_names"]

    /// Statuses that make a gap: a warning, and a failure under `quality.require_complete_months`.
    public static let gapStatuses: Set<String> = ["missing", "short", "duplicated"]

    /// The rows, by source (pipeline order), force, month.
    public var rows: [Row]

    /// `YYYY-MM` and force of a file: from a data.police.uk name, else month from a `YYYY-MM` parent folder.
    public static func monthAndForce(of path: String) -> (month: String, force: String)? {
        let name = (path as NSString).lastPathComponent
        let base = (name as NSString).deletingPathExtension
        if let m = month(prefixOf: base) {
            let rest = base.dropFirst(7)
            guard rest.hasPrefix("-") else { return (m, "") }
            let slug = rest.dropFirst()
            // <force>-<type>: the type is street, outcomes or stop-and-search (which has dashes of its own).
            for type in ["-stop-and-search", "-street", "-outcomes"] where slug.hasSuffix(type) {
                return (m, String(slug.dropLast(type.count)))
            }
            if let dash = slug.lastIndex(of: "-") { return (m, String(slug[..<dash])) }
            return (m, "")
        }
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        if let m = month(prefixOf: folder), folder.count == 7 { return (m, "") }
        return nil
    }

    /// The month of a data.police.uk file name (`YYYY-MM-<force>-<type>.csv`), nil for other names.
    public static func nameMonth(of path: String) -> String? {
        month(prefixOf: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// The month of the `YYYY-MM` folder holding `path`, nil when its folder is not named so.
    public static func folderMonth(of path: String) -> String? {
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return folder.count == 7 ? month(prefixOf: folder) : nil
    }

    /// `YYYY-MM` when `text` starts with one.
    static func month(prefixOf text: String) -> String? {
        let u = Array(text.utf8.prefix(7))
        guard u.count == 7, u[4] == UInt8(ascii: "-"), u[0...3].allSatisfy({ (48...57).contains($0) }), u[5...6].allSatisfy({ (48...57).contains($0) }) else { return nil }
        let s = String(decoding: u, as: UTF8.self)
        return monthIndex(s) == nil ? nil : s
    }

    /// `year * 12 + month - 1` of a `YYYY-MM`, nil when it is not one.
    public static func monthIndex(_ text: String) -> Int? {
        let p = text.split(separator: "-")
        guard p.count == 2, p[0].count == 4, p[1].count == 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return nil }
        return y * 12 + m - 1
    }

    /// The `YYYY-MM` of a month index.
    public static func monthText(_ index: Int) -> String { String(format: "%04d-%02d", index / 12, index % 12 + 1) }

    /// Builds the calendar from the files read (in source order) and the month folders seen. `expectedForces` (source
    /// id → force slugs, from `coverage.expected_forces`) adds a row for every month of each expected force of the
    /// source: `missing` where it has no file.
    public init(sources: [String], files: [FileFigures], monthFolders: [String], expectedForces: [String: [String]] = [:]) {
        var months = Set(monthFolders.compactMap(Self.monthIndex))
        var bySource: [String: [String: [String: [FileFigures]]]] = [:]  // source → force → month → files
        for f in files {
            guard let (m, force) = Self.monthAndForce(of: f.sameAs ?? f.path), let month = Self.monthIndex(m) else { continue }
            months.insert(month)
            bySource[f.source, default: [:]][force, default: [:]][m, default: []].append(f)
        }
        for (source, forces) in expectedForces { for force in forces where bySource[source]?[force] == nil { bySource[source, default: [:]][force] = [:] } }
        guard let first = months.min(), let last = months.max() else { rows = []; return }
        let span = (first...last).map(Self.monthText)
        var out: [Row] = []
        for source in sources {
            guard let forces = bySource[source] else { continue }
            for force in forces.keys.sorted() {
                let byMonth = forces[force]!
                var part: [Row] = span.map { m in
                    let fs = byMonth[m] ?? []
                    var r = Row(source: source, force: force, month: m, status: fs.isEmpty ? "missing" : (fs.count > 1 ? "duplicated" : "present"))
                    r.files = fs.map(\.file)
                    r.refused = fs.compactMap { f in f.refused.map { "\(f.file) (\($0))" } }
                    r.rows = fs.reduce(0) { $0 + $1.rows }
                    func sum(_ k: KeyPath<FileFigures, Int?>) -> Int? { fs.contains { $0[keyPath: k] != nil } ? fs.reduce(0) { $0 + ($1[keyPath: k] ?? 0) } : nil }
                    r.noLocation = sum(\.noLocation); r.noLSOA = sum(\.noLSOA); r.noCrimeID = sum(\.noCrimeID); r.repeatedCrimeID = sum(\.repeatedCrimeID)
                    return r
                }
                // Short: fewer rows than half the median of the up to six months with a file on each side.
                for i in part.indices where part[i].status == "present" {
                    let before = part[..<i].filter { $0.status != "missing" }.suffix(6).map(\.rows)
                    let after = part[(i + 1)...].filter { $0.status != "missing" }.prefix(6).map(\.rows)
                    let around = (before + after).sorted()
                    guard !around.isEmpty else { continue }
                    let median = around.count % 2 == 1 ? Double(around[around.count / 2]) : Double(around[around.count / 2 - 1] + around[around.count / 2]) / 2
                    if Double(part[i].rows) < median / 2 { part[i].status = "short" }
                }
                out += part
            }
        }
        rows = out
    }

    /// Creates a calendar from rows (as read back from `coverage.csv`).
    public init(rows: [Row]) { self.rows = rows }

    /// The rows that are gaps (missing, short, duplicated).
    public var gaps: [Row] { rows.filter { Self.gapStatuses.contains($0.status) } }

    /// A sentence for a gap, naming the source, force, month and why.
    public static func describe(_ r: Row) -> String {
        let who = "source `\(r.source)`" + (r.force.isEmpty ? "" : " (\(r.force))")
        switch r.status {
        case "missing": return "\(who): month \(r.month) is missing (no file)"
        case "short": return "\(who): month \(r.month) is short: \(r.rows) rows in \(r.files.joined(separator: ", ")), fewer than half the median of the months around it"
        case "duplicated":
            let files = "\(who): month \(r.month) has \(r.files.count) files (\(r.files.joined(separator: ", ")))"
            if !r.refused.isEmpty { return files + ": not read: " + r.refused.joined(separator: "; ") }
            return files + ": each was read (files with a data.police.uk name fail the run unless `quality.same_month` says which wins)"
        default: return "\(who): month \(r.month) is \(r.status)"
        }
    }

    /// Writes `coverage.csv`; returns the rows written.
    public func write(to path: String) throws -> Int {
        func share(_ n: Int?, _ of: Int) -> String {
            guard let n else { return "" }
            return of > 0 ? String(format: "%.4f", Double(n) / Double(of)) : ""
        }
        let w: CSVWriter
        do { w = try CSVWriter(path: path) } catch { throw StageError.io(path: path, operation: "create", reason: "\(error)") }
        try w.writeRow(Self.header)
        for r in rows {
            // Spreadsheet-safe like every CSV a person opens (a force slug or file name could start with `=`).
            try w.writeRow([r.source, r.force, r.month, r.status, String(r.files.count), String(r.rows), share(r.noLocation, r.rows), share(r.noLSOA, r.rows),
                            share(r.noCrimeID, r.rows), share(r.repeatedCrimeID, r.rows), r.files.joined(separator: ";")].map(SpreadsheetSafe.textCell))
        }
        try w.close()
        return rows.count
    }

    /// Reads a `coverage.csv` (stage 1's, or a later stage's copy); nil when the file is absent.
    public static func read(path: String) throws -> CoverageCalendar? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw StageError.io(path: path, operation: "read", reason: "\(error)") }
        let h = reader.header
        func col(_ n: String) -> Int? { h.firstIndex(of: n) }
        guard let s = col("source"), let f = col("force"), let m = col("month"), let st = col("status") else {
            throw StageError.malformedInput(file: path, line: 1, message: "not a coverage calendar: the header lacks source, force, month or status")
        }
        var rows: [Row] = []
        while let r = reader.next() {
            guard r.fields.count == h.count else { continue }
            var row = Row(source: r.fields[s], force: r.fields[f], month: r.fields[m], status: r.fields[st])
            if let i = col("rows") { row.rows = Int(r.fields[i]) ?? 0 }
            if let i = col("file_names") { row.files = r.fields[i].isEmpty ? [] : r.fields[i].split(separator: ";").map(String.init) }
            rows.append(row)
        }
        return CoverageCalendar(rows: rows)
    }
}
