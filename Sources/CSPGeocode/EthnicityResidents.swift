import CSPCore
import CSPCSV
import CSPSchema
import Foundation

/// `population_ethnicity.csv`: Census 2021 residents by broad ethnic group (TS021) of the partnership and of its police
/// force area, the denominators of the stop-and-search rates by ethnicity (stage 5, `stop-search-disparity.csv`).
///
/// Read from four `reference:` files, all declared inputs of stage 3:
/// - `residents_by_ethnicity`: one row per 2021 LSOA and group (`LSOA21CD, ethnic_group, usual_residents`);
/// - `lsoa21_councils`: each 2021 LSOA's best-fit council (`LSOA21CD, LAD25CD`: the council holding its
///   population-weighted centroid, so every council is a sum of whole LSOAs);
/// - `council_forces`: council → Community Safety Partnership → police force area (`LAD24CD, CSP24CD, CSP24NM,
///   PFA24CD, PFA24NM`);
/// - `force_slugs` (optional): force name → data.police.uk file slug (`force_name, slug`); without it the slug is the
///   force name in lower case with `&` as `and` and every other run of non-letters as `-`.
/// The partnership is `area.partnership` (a CSP code: the councils of that CSP) or else `area.la_code`; its force is
/// the force of its councils, and the force area is every council of that force. A council's LSOAs are those whose
/// best-fit council has the same code (LAD25 and LAD24 codes are the same but for Barnsley and Sheffield, whose
/// partnerships would get no LSOA: that is an error, never a zero).
struct EthnicityResidents {
    /// One row of the file.
    struct Row: Equatable {
        /// `partnership` or `force`.
        var kind: String
        /// The partnership's council or CSP code, the force's PFA24 code.
        var code: String
        /// The area's name.
        var name: String
        /// The data.police.uk slug of the force's files (blank for a partnership row).
        var forceSlug: String
        /// The Census group.
        var group: EthnicGroup
        /// Usual residents of the group.
        var residents: Int
        /// LSOAs summed.
        var lsoas: Int
    }

    /// The file's header (the warehouse table `population_ethnicity`).
    static let header = ["area_kind", "area_code", "area_name", "force_slug", "ethnic_group", "residents", "lsoas"]
    /// The reference keys read.
    static let referenceKeys = ["residents_by_ethnicity", "lsoa21_councils", "council_forces", "force_slugs"]

    /// Why the residents cannot be worked out.
    struct Failure: Error, CustomStringConvertible {
        /// The file that could not give the residents.
        let file: String
        /// What is wrong, as a sentence.
        let message: String
        /// `file: message`.
        var description: String { "\(file): \(message)" }
    }

    /// The rows, or nil when the pipeline declares no `residents_by_ethnicity`.
    static func rows(pipeline: PipelineDefinition, inputs: StageInputs) throws -> [Row]? {
        guard let residentsPath = pipeline.referencePath("residents_by_ethnicity") else { return nil }
        guard let lsoaPath = pipeline.referencePath("lsoa21_councils"), let forcePath = pipeline.referencePath("council_forces") else {
            throw StageError.configuration("reference `residents_by_ethnicity` needs `lsoa21_councils` (LSOA21 → council) and `council_forces` (council → CSP → force) beside it")
        }
        let lookup = try table(try inputs.path(forcePath), ["LAD24CD", "CSP24CD", "CSP24NM", "PFA24CD", "PFA24NM"])
        let partnership = pipeline.area.partnership.flatMap { $0.isEmpty ? nil : $0 }
        let ownRows = lookup.rows.filter { row in partnership.map { row[1] == $0 } ?? (row[0] == pipeline.area.laCode) }
        guard let first = ownRows.first else {
            throw Failure(file: forcePath, message: "no row for the partnership \(partnership ?? pipeline.area.laCode): its force cannot be found")
        }
        let councils = Set(ownRows.map { $0[0] })
        let forces = Set(ownRows.map { $0[3] })
        guard forces.count == 1 else {
            throw Failure(file: forcePath, message: "the councils of \(partnership ?? pipeline.area.laCode) lie in \(forces.count) forces (\(forces.sorted().joined(separator: ", "))); one is needed")
        }
        let forceCode = first[3], forceName = first[4]
        let forceCouncils = Set(lookup.rows.filter { $0[3] == forceCode }.map { $0[0] })
        var slug = defaultSlug(forceName)
        if let slugPath = pipeline.referencePath("force_slugs") {
            let slugs = try table(try inputs.path(slugPath), ["force_name", "slug"])
            if let s = slugs.rows.first(where: { $0[0] == forceName }) { slug = s[1] }
        }
        let lsoas = try table(try inputs.path(lsoaPath), ["LSOA21CD", "LAD25CD"])
        var councilOf: [String: String] = [:]
        for r in lsoas.rows { councilOf[r[0]] = r[1] }
        for c in councils.union(forceCouncils).sorted() where !councilOf.values.contains(c) {
            throw Failure(file: lsoaPath, message: "council \(c) (of \(forceName)) has no LSOA: its residents would be missing")
        }
        let residents = try table(try inputs.path(residentsPath), ["LSOA21CD", "ethnic_group", "usual_residents"])
        var sums: [String: [EthnicGroup: (residents: Int, lsoas: Set<String>)]] = ["partnership": [:], "force": [:]]
        for (i, r) in residents.rows.enumerated() {
            guard let council = councilOf[r[0]], forceCouncils.contains(council) else { continue }
            guard let group = EthnicGroup.of(r[1]), group.hasResidents else {
                throw Failure(file: residentsPath, message: "line \(i + 2): ethnic group `\(r[1])` is none of the five Census 2021 groups")
            }
            guard let n = Int(r[2]), n >= 0 else {
                throw Failure(file: residentsPath, message: "line \(i + 2): usual_residents `\(r[2])` is not a whole number")
            }
            for kind in councils.contains(council) ? ["partnership", "force"] : ["force"] {
                sums[kind, default: [:]][group, default: (0, [])].residents += n
                sums[kind, default: [:]][group, default: (0, [])].lsoas.insert(r[0])
            }
        }
        let ownCode = partnership ?? pipeline.area.laCode
        let ownName = partnership != nil ? first[2] : pipeline.area.name
        var out: [Row] = []
        for (kind, code, name, s) in [("partnership", ownCode, ownName, ""), ("force", forceCode, forceName, slug)] {
            for g in EthnicGroup.census {
                let v = sums[kind]?[g] ?? (0, [])
                guard !v.lsoas.isEmpty else { throw Failure(file: residentsPath, message: "no residents of group \(g.rawValue) for \(name) (\(code))") }
                out.append(Row(kind: kind, code: code, name: name, forceSlug: s, group: g, residents: v.residents, lsoas: v.lsoas.count))
            }
        }
        return out
    }

    /// Writes `rows` under the header; returns the rows written.
    static func write(_ rows: [Row], to path: String) throws -> Int {
        let w = try CSVWriter(path: path)
        try w.writeRow(header)
        for r in rows { try w.writeRow([r.kind, r.code, r.name, r.forceSlug, r.group.rawValue, String(r.residents), String(r.lsoas)]) }
        try w.close()
        return rows.count
    }

    /// The file slug of a force name without a slug table: "Devon & Cornwall" → `devon-and-cornwall`.
    static func defaultSlug(_ name: String) -> String {
        var out = "", dash = false
        for ch in name.lowercased().replacingOccurrences(of: "&", with: "and") {
            if ch.isLetter || ch.isNumber { out.append(ch); dash = false } else if !dash && !out.isEmpty { out.append("-"); dash = true }
        }
        return out.hasSuffix("-") ? String(out.dropLast()) : out
    }

    /// The named columns of every row of a CSV file (UTF-8, a BOM skipped).
    static func table(_ path: String, _ columns: [String]) throws -> (header: [String], rows: [[String]]) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw StageError.io(path: path, operation: "read", reason: "\(error)") }
        let header = reader.header.map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
        let idx = try columns.map { c -> Int in
            guard let i = header.firstIndex(of: c) else { throw Failure(file: path, message: "no column `\(c)` (header: \(header.joined(separator: ", ")))") }
            return i
        }
        var rows: [[String]] = []
        while let r = reader.next() {
            guard idx.allSatisfy({ $0 < r.fields.count }) else { throw Failure(file: path, message: "line \(r.line): \(r.fields.count) fields, fewer than the header's") }
            rows.append(idx.map { r.fields[$0] })
        }
        if let e = reader.readError { throw StageError.io(path: path, operation: "read", reason: "\(e)") }
        return (header, rows)
    }
}
