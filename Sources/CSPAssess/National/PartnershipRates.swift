import CSPCore
import CSPSchema
import GRDB

/// `tables/csp-crime-rates.csv`: recorded crimes (by data.police.uk crime type) and anti-social behaviour incidents
/// per Community Safety Partnership and month, with the rate per 1,000 residents of the partnership.
///
/// Published only when the warehouse's `crimes` carry `csp_code` (a pipeline with `geography.csp`, such as the
/// national one): nothing changes for a single-council pipeline. Counts come from the records stage 3 gave a
/// partnership (`csp_method` `council` or `old-district`); records without one are not in any row (stage 3's
/// `csp-assignment.csv` counts them). Residents are the `population` rows of layer `csp` (Census 2021 usual
/// residents of the LSOAs whose records would go to the partnership); a partnership without them has rate `*`.
/// A partnership appears for the months in which it has at least one record. `force_file` says whether the file of
/// the partnership's own force is in the month's coverage (`present`, `missing`, ...; `unknown` when the pipeline has
/// no `coverage.expected_forces` slug table naming the force's file): when it is not, the partnership's records are
/// only those other forces' files hold (British Transport Police's stations, a neighbour's border streets), the count
/// is kept but the month cannot answer the rate, which is `*`.
///
/// The counts are of data.police.uk street-level records, which the police publish at finer grain (by LSOA and
/// street) than these tables: they are not passed through the `DisclosurePolicy`, which protects the counts of
/// partner agencies' own records.
struct PartnershipRates {
    /// The file, under the stage's folder.
    static let file = "tables/csp-crime-rates.csv"
    /// The crime type given to `asb_incidents` rows.
    static let asbType = "Anti-social behaviour"
    /// The header.
    static let header = ["csp_code", "csp_name", "pfa_code", "pfa_name", "month", "crime_type", "count", "residents", "rate_per_1000", "force_file"]

    /// One row before formatting.
    struct Row: Equatable {
        var csp: String, cspName: String, pfa: String, pfaName: String, month: String, crimeType: String, count: Int, residents: Int?
        /// Coverage status of the partnership's force's file for the month.
        var forceFile = "unknown"
    }

    /// The force-name → file-slug table the stage reads (the pipeline's `coverage.expected_forces.slugs`), if any.
    static func declaredInputs(for pipeline: PipelineDefinition) -> [DeclaredInput] {
        pipeline.coverage?.expectedForces.map { [DeclaredInput(path: $0.slugTable, role: "reference:force_slugs")] } ?? []
    }

    /// The slug of each force name, from the pipeline's slug table (empty without one).
    static func slugs(pipeline: PipelineDefinition, inputs: StageInputs) throws -> [String: String] {
        try pipeline.coverage?.expectedForces?.slugOf { try inputs.path($0) } ?? [:]
    }

    /// The rows, by partnership code, month and crime type.
    let table: [Row]

    /// The table of `warehouse`, or nil when its crimes carry no `csp_code`.
    /// `coverage`: the warehouse's coverage calendar, as the stage loaded it. `slugs`: force name → data.police.uk file
    /// slug, to find each partnership's force in it. Names come with the records (`csp_name`, `pfa_name`, written by
    /// stage 3 from the same lookup rows as the codes).
    init?(warehouse: AssessWarehouse, coverage: CoverageCalendar?, slugs: [String: String] = [:]) throws {
        guard try warehouse.tableExists("crimes"), try warehouse.columns("crimes").contains("csp_code") else { return nil }
        var status: [String: String] = [:]  // slug U+001F month → status
        for r in coverage?.rows ?? [] { status[r.force + "\u{1F}" + r.month] = r.status }
        table = try warehouse.queue.read { db in
            var residents: [String: Int] = [:]
            if try db.tableExists("population") {
                for r in try GRDB.Row.fetchAll(db, sql: "SELECT code, population FROM population WHERE layer = 'csp'") { residents[r[0]] = r[1] }
            }
            let partnership = "csp_code, csp_name, pfa_code, pfa_name, month"
            let valid = "WHERE csp_code IS NOT NULL AND csp_code <> '' GROUP BY 1, 2, 3, 4, 5"
            var parts = ["SELECT \(partnership), offence_description AS crime_type, COUNT(*) AS n FROM crimes \(valid), 6"]
            if try db.tableExists("asb_incidents"), try db.columns(in: "asb_incidents").contains(where: { $0.name == "csp_code" }) {
                parts.append("SELECT \(partnership), '\(Self.asbType)', COUNT(*) FROM asb_incidents \(valid)")
            }
            let sql = parts.joined(separator: " UNION ALL ") + " ORDER BY 1, 5, 6, 3"
            return try GRDB.Row.fetchAll(db, sql: sql).map { r in
                let csp: String = r[0], pfa: String = r[2] ?? ""
                let month: String = r[4] ?? ""
                let m = String(month.prefix(7)), pfaName: String = r[3] ?? pfa
                return Row(csp: csp, cspName: r[1] ?? csp, pfa: pfa, pfaName: pfaName, month: m, crimeType: r[5] ?? "", count: r[6], residents: residents[csp],
                           forceFile: slugs[pfaName].flatMap { status[$0 + "\u{1F}" + m] } ?? (slugs[pfaName] == nil ? "unknown" : "missing"))
            }
        }
    }

    /// Creates the table from rows (tests).
    init(table: [Row]) { self.table = table }

    /// The CSV rows, header first; the rate to two decimals, `*` without residents.
    func rows() -> [[String]] {
        [Self.header] + table.map { r in
            let rate = r.forceFile == "missing" ? nil : r.residents.flatMap { $0 > 0 ? Double(r.count) * 1000 / Double($0) : nil }
            return [r.csp, r.cspName, r.pfa, r.pfaName, r.month, r.crimeType, String(r.count), r.residents.map(String.init) ?? AssessMarker.notAvailable,
                    AssessFormat.fixed(rate, 2), r.forceFile]
        }
    }

    /// Partnerships with at least one row, and those whose force's file was present.
    var partnerships: Set<String> { Set(table.map(\.csp)) }
    /// Partnerships with a row whose force's file is not missing.
    var covered: Set<String> { Set(table.filter { $0.forceFile != "missing" }.map(\.csp)) }
}
