import CSPCore
import CSPCSV

/// How an area's figure in `population.csv` was obtained: its `method` column (and the warehouse's
/// `population.method`). The vocabulary is written out in `NormaliseCatalog.population`.
enum PopulationMethod: String, CaseIterable {
    /// The population table's own figure for the area (`unit: ward`, ward layer).
    case given
    /// The units (LSOAs with boundaries, or wards) inside the area: a unit inside it whole, a unit it shares with
    /// other areas in proportion to the share of the unit's area inside it (about 900 sample points per unit).
    case apportioned
    /// The residents of the whole LSOAs whose best fit (the LSOA lookup: the area holding the LSOA's
    /// population-weighted centroid) is the area; for a partnership or force, the LSOAs a record would give to it.
    case bestFit = "best-fit"
    /// 0 residents by best fit: no LSOA of the lookup has the area as its best fit. A known zero of the method, not
    /// an unknown: the council's residents are the sum of its LSOAs all the same.
    case bestFitNone = "best-fit-none"
    /// No figure: some of the area's LSOAs (by the lookup) have no row in the population table.
    case bestFitIncomplete = "best-fit-incomplete"
    /// A local authority: the sum of its wards' figures.
    case wards
}

/// One row of `population.csv`: `layer,code,population,method,note`.
struct PopulationRow: Equatable {
    /// Area layer (`ward`, `la`, `csp`, `pfa`, or a pipeline layer).
    var layer: String
    /// Area code.
    var code: String
    /// Residents, whole people; nil when unknown (`best-fit-incomplete`).
    var population: Int?
    /// How the figure was obtained.
    var method: PopulationMethod
    /// Why a figure is 0 or missing; blank otherwise.
    var note: String = ""

    /// The file's header.
    static let header = ["layer", "code", "population", "method", "note"]

    /// The note of a ward with 0 residents by best fit, as an analyst reads it.
    static let bestFitNoneNote = "0 residents by best fit (no LSOA's population-weighted centroid lies in it)"

    /// Writes `rows` to `path` under the header; returns the rows written.
    static func write(_ rows: [PopulationRow], to path: String) throws -> Int {
        let w = try CSVWriter(path: path)
        try w.writeRow(header)
        for r in rows { try w.writeRow([r.layer, r.code, r.population.map(String.init) ?? "", r.method.rawValue, r.note]) }
        try w.close()
        return rows.count
    }
}

/// The residents of every area when the population unit is an LSOA vintage placed through its lookup table, without
/// LSOA boundaries (the national pipeline): each LSOA's residents go whole to the ward the lookup names (its best
/// fit), so a ward's, a council's, a partnership's and a force's residents are sums of whole LSOAs and their totals
/// equal the table's. Best fit cannot split an LSOA, so a ward that is no LSOA's best fit gets 0 residents
/// (`best-fit-none`, with the reason in `note`): 43 of the 7,588 May 2025 wards, 20 of them in the City of London.
/// A ward with an LSOA that has no row in the population table gets no figure (`best-fit-incomplete`), and so do
/// its council and the partnership and force of that LSOA: never a partial sum.
struct PopulationByLookup {
    /// The rows: every ward of the ward layer, the other layers' areas with residents, each council, then each
    /// partnership (`csp`) and force (`pfa`) with residents when `partnerships` is given.
    let rows: [PopulationRow]

    /// Places the table's rows (`code`, `value`) through the lookup of `source.unit`'s vintage in `g`.
    init(_ g: Geography, source: PopulationSource, rows table: [[String]], partnerships: PartnershipAssignment?) throws {
        let vintage = String(source.unit.dropFirst(5))
        guard let entries = g.lsoa[vintage] else { throw StageError.configuration("population unit \(source.unit) names no LSOA lookup") }
        var residents: [String: Double] = [:]
        for (i, r) in table.enumerated() where entries[r[0]] != nil {
            residents[r[0], default: 0] += try GeographyReference.people(r, line: i + 2, source: source)
        }
        let wardLayer = g.layers[0]
        var totals: [[Double]] = g.layers.map { [Double](repeating: 0, count: $0.areas.count) }
        var lsoas = [Int](repeating: 0, count: wardLayer.areas.count)
        var missing: [Int: [String]] = [:]
        var csp: [Int32: Double] = [:], pfa: [String: Double] = [:]
        var cspMissing = Set<Int32>(), pfaMissing = Set<String>()
        // LSOAs in code order, so that the notes and sums do not depend on the dictionary's order.
        for (code, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard case .placed(let ward, let layers, _) = entry else { continue }
            lsoas[ward] += 1
            let d = partnerships?.decide(ward: ward) { code }
            let force = d.flatMap { $0.force >= 0 ? partnerships?.partnerships[Int($0.force)].pfaCode : nil }
            guard let v = residents[code] else {
                missing[ward, default: []].append(code)
                if let p = d?.partnership, p >= 0 { cspMissing.insert(p) }
                if let force { pfaMissing.insert(force) }
                continue
            }
            for (li, a) in layers.enumerated() where a >= 0 { totals[li][Int(a)] += v }
            if let p = d?.partnership, p >= 0 { csp[p, default: 0] += v }
            if let force { pfa[force, default: 0] += v }
        }
        var out: [PopulationRow] = []
        var council: [String: Double] = [:], councilMissing = Set<String>()
        for (w, f) in wardLayer.areas.features.enumerated() {
            let la = wardLayer.laCodes[w]
            if let codes = missing[w] {
                councilMissing.insert(la)
                let shown = codes.prefix(3).joined(separator: ", ") + (codes.count > 3 ? " and \(codes.count - 3) more" : "")
                out.append(PopulationRow(layer: wardLayer.id, code: f.code, population: nil, method: .bestFitIncomplete,
                                         note: "no figure: LSOA \(shown) of its \(lsoas[w]) not in \(source.table)"))
            } else if lsoas[w] == 0 {
                out.append(PopulationRow(layer: wardLayer.id, code: f.code, population: 0, method: .bestFitNone, note: PopulationRow.bestFitNoneNote))
            } else {
                out.append(PopulationRow(layer: wardLayer.id, code: f.code, population: Int(totals[0][w].rounded()), method: .bestFit))
            }
            council[la, default: 0] += totals[0][w]
        }
        for (li, layer) in g.layers.enumerated().dropFirst() {
            for (i, f) in layer.areas.features.enumerated() where totals[li][i] > 0 {
                out.append(PopulationRow(layer: layer.id, code: f.code, population: Int(totals[li][i].rounded()), method: .bestFit))
            }
        }
        for (la, p) in council.sorted(by: { $0.key < $1.key }) {
            out.append(councilMissing.contains(la)
                ? PopulationRow(layer: "la", code: la, population: nil, method: .bestFitIncomplete, note: "no figure: a ward of the council has none")
                : PopulationRow(layer: "la", code: la, population: Int(p.rounded()), method: .wards))
        }
        if let partnerships {
            for k in Set(csp.keys).union(cspMissing).sorted() {
                let code = partnerships.partnerships[Int(k)].code
                out.append(cspMissing.contains(k)
                    ? PopulationRow(layer: "csp", code: code, population: nil, method: .bestFitIncomplete, note: "no figure: an LSOA of the partnership has none")
                    : PopulationRow(layer: "csp", code: code, population: Int(csp[k]!.rounded()), method: .bestFit))
            }
            for code in Set(pfa.keys).union(pfaMissing).sorted() {
                out.append(pfaMissing.contains(code)
                    ? PopulationRow(layer: "pfa", code: code, population: nil, method: .bestFitIncomplete, note: "no figure: an LSOA of the force area has none")
                    : PopulationRow(layer: "pfa", code: code, population: Int(pfa[code]!.rounded()), method: .bestFit))
            }
        }
        rows = out
    }
}
