import CSPCore
import CSPCSV
import Foundation

/// `stop_search_force.csv`: every stop-and-search record stage 3 read, in the partnership or not, counted by force,
/// month, self- and officer-defined ethnicity, legislation, whether the outcome was linked to the object of search,
/// and where it was placed (`area`: kept in `stop_searches.csv`; `outside`: located outside the area; `none`: no
/// location). The force's searches without a location belong to the force, not to a council: these counts let stage 5
/// give the force's rates by ethnicity (`stop-search-disparity.csv`) beside the partnership's, so the share without a
/// location is visible. Only counts leave the stage: no record of a search outside the area is kept.
enum StopSearchForceCounts {
    /// The file's header (the warehouse table `stop_search_force`).
    static let header = ["force", "month", "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "outcome_linked", "placement", "searches"]
    /// The file's name.
    static let fileName = "stop_search_force.csv"

    /// Counts the stage 2 file `input` against the stage 3 file `output` (its lineage tells which records were kept);
    /// writes `path` and returns its rows.
    /// `partnership`: the pipeline's `area.partnership` (a CSP code), when it names one: stage 3 of the national
    /// pipeline keeps every search placed anywhere in England and Wales, and only those placed in that partnership
    /// (`csp_code`) are `area` (stage 5 assesses them), the rest `outside`.
    static func write(input: String, output: String, to path: String, partnership: String? = nil) throws -> Int {
        let kept = try lineage(output, partnership: partnership)
        let reader: CSVReader
        do { reader = try CSVReader(path: input) } catch { throw StageError.io(path: input, operation: "read", reason: "\(error)") }
        let h = reader.header
        let names = ["month", "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "outcome_linked", "longitude", "latitude", "source_file", "source_record"]
        let idx = try names.map { n -> Int in
            guard let i = h.firstIndex(of: n) else { throw StageError.malformedInput(file: input, line: 1, message: "stop_searches has no column `\(n)`") }
            return i
        }
        var counts: [[String]: Int] = [:]
        var forceOf: [String: String] = [:]
        while let r = reader.next() {
            guard r.fields.count == h.count else { throw StageError.malformedInput(file: input, line: r.line, message: "\(r.fields.count) fields, header has \(h.count)") }
            let v = idx.map { r.fields[$0] }
            let file = v[7]
            let force: String
            if let f = forceOf[file] { force = f } else {
                force = CoverageCalendar.monthAndForce(of: file)?.force ?? ""
                forceOf[file] = force
            }
            let placement = kept.contains(file + "\u{1F}" + v[8]) ? "area" : (v[5].isEmpty || v[6].isEmpty ? "none" : "outside")
            counts[[force, v[0], v[1], v[2], v[3], v[4], placement], default: 0] += 1
        }
        if let e = reader.readError { throw StageError.io(path: input, operation: "read", reason: "\(e)") }
        let w = try CSVWriter(path: path)
        try w.writeRow(header)
        let keys = counts.keys.sorted { $0.lexicographicallyPrecedes($1) }
        for k in keys { try w.writeRow(k + [String(counts[k]!)]) }
        try w.close()
        return keys.count
    }

    /// `source_file U+001F source_record` of every row of a stage 3 file (of `partnership` only, when given and the file
    /// has `csp_code`).
    static func lineage(_ path: String, partnership: String? = nil) throws -> Set<String> {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw StageError.io(path: path, operation: "read", reason: "\(error)") }
        guard let f = reader.header.firstIndex(of: "source_file"), let r = reader.header.firstIndex(of: "source_record") else {
            throw StageError.malformedInput(file: path, line: 1, message: "no lineage columns")
        }
        let csp = partnership.flatMap { p in p.isEmpty ? nil : reader.header.firstIndex(of: "csp_code").map { ($0, p) } }
        var out: Set<String> = []
        while let row = reader.next() {
            guard row.fields.count > max(f, r) else { continue }
            if let (c, code) = csp, row.fields[c] != code { continue }
            out.insert(row.fields[f] + "\u{1F}" + row.fields[r])
        }
        if let e = reader.readError { throw StageError.io(path: path, operation: "read", reason: "\(e)") }
        return out
    }
}
