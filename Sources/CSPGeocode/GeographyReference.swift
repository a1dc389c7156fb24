import CSPCore
import CSPSchema
import CSPStorage
import CSPCSV
import CSPGeo
import Foundation

/// The reference outputs of stage 3: `areas.csv` (every area of every layer), `population.csv` (population of
/// every area) and `geometry.csv` (every area's outline). Their rows are not records: they do not enter the
/// conservation counts.
enum GeographyReference {
    /// `layer,code,name,la_code,ward_code`: every area of every layer, then each local authority (`la`).
    /// `ward_code` is the ward holding the whole area (for wards, the ward itself); blank when it spans several.
    /// Returns the rows written.
    /// With a CSP lookup, each partnership (`csp`) and force area (`pfa`) follows.
    static func writeAreas(_ g: Geography, partnerships: PartnershipAssignment? = nil, to path: String) throws -> Int {
        let w = try CSVWriter(path: path)
        try w.writeRow(["layer", "code", "name", "la_code", "ward_code"])
        var rows = 0
        let wards = g.layers[0]
        var las: [(String, String)] = []
        for (i, la) in wards.laCodes.enumerated() where !las.contains(where: { $0.0 == la }) { las.append((la, wards.laNames[i])) }
        for (li, layer) in g.layers.enumerated() {
            for (i, f) in layer.areas.features.enumerated() {
                let ward: Int32 = li == 0 ? Int32(i) : Geography.holding(layer.areas, i, in: wards.areas)
                let la: String
                if li == 0 { la = wards.laCodes[i] } else {
                    let (m, _) = Geography.majority(layer.areas, i, in: wards.areas)
                    la = m >= 0 ? wards.laCodes[m] : ""
                }
                try w.writeRow([layer.id, f.code, f.name, la, ward >= 0 ? wards.areas.features[Int(ward)].code : ""])
                rows += 1
            }
        }
        for (code, name) in las { try w.writeRow(["la", code, name, code, ""]); rows += 1 }
        if let partnerships {
            var forces = Set<String>()
            for p in partnerships.partnerships { try w.writeRow(["csp", p.code, p.name, "", ""]); rows += 1 }
            for p in partnerships.partnerships where forces.insert(p.pfaCode).inserted { try w.writeRow(["pfa", p.pfaCode, p.pfaName, "", ""]); rows += 1 }
        }
        try w.close()
        return rows
    }

    /// `layer,code,name,wkt`: every area's outline as WKT in British National Grid metres (EPSG:27700), rounded to
    /// whole metres with repeated points dropped, so that stage 5 draws maps from what stage 4 publishes and never
    /// opens a boundary file. Areas in `areas.csv` order. Returns the rows written.
    static func writeGeometry(_ g: Geography, to path: String) throws -> Int {
        let w = try CSVWriter(path: path)
        try w.writeRow(["layer", "code", "name", "wkt"])
        var rows = 0
        for layer in g.layers {
            for f in layer.areas.features {
                try w.writeRow([layer.id, f.code, f.name, WKT.multipolygon(f.polygons)])
                rows += 1
            }
        }
        try w.close()
        return rows
    }

    /// `layer,code,population,method,note` (`PopulationRow`): the population reference apportioned to every area by
    /// the share of each unit (ward or LSOA) inside it (sampled on a grid of about 900 points per unit), rounded to
    /// whole people; units that nest in an area give it their whole population (`method` `apportioned`; `given` for
    /// the wards of a ward table). Then each local authority (`wards`: the sum of its wards). Areas that get no
    /// residents are left out: their population is unknown. Returns the rows written.
    /// An LSOA unit whose vintage has a lookup table but no boundaries is given whole to the areas the lookup places
    /// it in (best fit, `PopulationByLookup`): every ward gets a row, 0 with its reason when it is no LSOA's best fit;
    /// with a CSP lookup, each partnership (`csp`) and force (`pfa`) too, decided as for a record in that LSOA.
    static func writePopulation(_ g: Geography, source: PopulationSource, partnerships: PartnershipAssignment? = nil, inputs: StageInputs, to path: String) throws -> Int {
        let t = try Geography.csv(try inputs.path(source.table), columns: [source.codeColumn, source.valueColumn])
        if source.unit.hasPrefix("lsoa:"), g.lsoaLayers[String(source.unit.dropFirst(5))] == nil {
            return try PopulationRow.write(try PopulationByLookup(g, source: source, rows: t.rows, partnerships: partnerships).rows, to: path)
        }
        let unitLayer: AreaLayer
        if source.unit == "ward" { unitLayer = g.layers[0].areas } else {
            let v = String(source.unit.dropFirst(5))
            guard let l = g.lsoaLayers[v] else { throw StageError.configuration("population unit \(source.unit) has no LSOA boundaries") }
            unitLayer = l
        }
        var byUnit: [Int: Double] = [:]
        for (i, r) in t.rows.enumerated() {
            guard let u = unitLayer.index(ofCode: r[0]) else { continue }
            byUnit[u, default: 0] += try people(r, line: i + 2, source: source)
        }
        var totals: [[Double]] = g.layers.map { [Double](repeating: 0, count: $0.areas.count) }
        for (u, pop) in byUnit.sorted(by: { $0.key < $1.key }) {
            for (li, layer) in g.layers.enumerated() {
                if source.unit == "ward" && li == 0 { totals[0][u] += pop; continue }
                let h = Geography.holding(unitLayer, u, in: layer.areas)
                if h >= 0 { totals[li][Int(h)] += pop; continue }
                for (a, share) in Geography.shares(unitLayer, u, in: layer.areas) { totals[li][a] += pop * share }
            }
        }
        return try PopulationRow.write(rows(g, totals, wardMethod: source.unit == "ward" ? .given : .apportioned), to: path)
    }

    /// The rows of each layer's area totals (whole people; areas with none are left out), then each local authority
    /// (the sum of its wards).
    static func rows(_ g: Geography, _ totals: [[Double]], wardMethod: PopulationMethod) -> [PopulationRow] {
        var la: [String: Double] = [:]
        for (i, p) in totals[0].enumerated() { la[g.layers[0].laCodes[i], default: 0] += p }
        var out: [PopulationRow] = []
        for (li, layer) in g.layers.enumerated() {
            for (i, f) in layer.areas.features.enumerated() where totals[li][i] > 0 {
                out.append(PopulationRow(layer: layer.id, code: f.code, population: Int(totals[li][i].rounded()), method: li == 0 ? wardMethod : .apportioned))
            }
        }
        for (code, p) in la.sorted(by: { $0.key < $1.key }) where p > 0 { out.append(PopulationRow(layer: "la", code: code, population: Int(p.rounded()), method: .wards)) }
        return out
    }

    /// The population of a table row (`code`, `value`; thousands separators and spaces allowed).
    static func people(_ r: [String], line: Int, source: PopulationSource) throws -> Double {
        guard let v = Double(r[1].filter { $0 != "," && $0 != " " }) else {
            throw StageError.configuration("population \(source.table) line \(line), `\(source.valueColumn)`: `\(r[1])` for \(r[0]) is not a number")
        }
        return v
    }
}
