import CSPCore
import CSPSchema
import CSPStorage
import CSPGeo
import GRDB

/// The ward map of the report: the partnership's wards drawn once as SVG paths (British National Grid,
/// north up), then, per theme, each ward shaded by its rate per 1,000 residents in quintiles, hotspots outlined.
struct AssessWardMap {
    /// One ward's outline, already projected to the map's pixel space.
    struct Ward {
        let code: String
        let name: String
        let path: String
    }

    let wards: [Ward]
    let width: Double
    let height: Double

    /// The partnership's wards from the warehouse that stage 4 published: the `geometry` table's ward outlines (WKT
    /// in National Grid metres) of the wards `areas` places in the partnership's local authority. nil when the
    /// warehouse holds no ward outlines (the report then has no map).
    static func load(warehouse: AssessWarehouse, laCode: String, width: Double = 360) throws -> AssessWardMap? {
        guard try warehouse.tableExists("geometry") else { return nil }
        let outlines = try warehouse.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT g.code, g.name, g.wkt FROM geometry g JOIN areas a ON a.layer = g.layer AND a.code = g.code
                WHERE g.layer = 'ward' AND a.la_code = ? ORDER BY g.code
                """, arguments: [laCode]).map { (code: $0["code"] as String, name: $0["name"] as String? ?? "", rings: WKT.rings($0["wkt"] as String? ?? "")) }
        }
        let points = outlines.flatMap { $0.rings.flatMap { $0 } }
        guard let minX = points.map(\.easting).min(), let maxX = points.map(\.easting).max(),
              let minY = points.map(\.northing).min(), let maxY = points.map(\.northing).max(), maxX > minX, maxY > minY else { return nil }
        let scale = (width - 10) / (maxX - minX)
        let height = (maxY - minY) * scale + 10
        let wards = outlines.map { f -> Ward in
            var d = ""
            for ring in f.rings {
                // Whole pixels, consecutive repeats dropped: the outline keeps its shape at a fraction of the size.
                var last: (Int, Int)?
                var first = true
                for p in ring {
                    let x = Int(((p.easting - minX) * scale + 5).rounded()), y = Int(((maxY - p.northing) * scale + 5).rounded())
                    if let l = last, l == (x, y) { continue }
                    d += first ? "M\(x) \(y)" : "L\(x) \(y)"
                    first = false
                    last = (x, y)
                }
                d += "Z"
            }
            return Ward(code: f.code, name: f.name, path: d)
        }
        return AssessWardMap(wards: wards, width: width, height: height)
    }

    /// The outlines, once per report, referenced by every theme's map.
    var definitions: String {
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
            + wards.map { "<path id=\"ward-\(HTML.escape($0.code))\" d=\"\($0.path)\"/>" }.joined() + "</defs></svg>"
    }

    static let shades = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

    /// One theme's map: wards by quintile of their published rate per 1,000 (grey: withheld or no rate), published
    /// hotspots outlined in red. A withheld ward shows no rate, shade or outline: those would give its count back.
    func svg(_ layer: DisclosedLayer) -> String {
        let rates = layer.rows.compactMap(\.rate).sorted()
        func shade(_ rate: Double?) -> String {
            guard let rate, !rates.isEmpty else { return "#ddd" }
            let below = rates.filter { $0 < rate }.count
            return Self.shades[min(4, below * 5 / rates.count)]
        }
        var s = "<svg class=\"map\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        for w in wards {
            let r = layer.row(w.name) ?? layer.row(w.code)
            let rate = r.map { $0.withheld ? AssessMarker.suppressed : ($0.rate.map { AssessFormat.fixed($0, 1) } ?? AssessMarker.notAvailable) } ?? AssessMarker.notAvailable
            let hot = r?.isHotspot == true
            s += "<use href=\"#ward-\(HTML.escape(w.code))\" fill=\"\(shade(r?.rate))\" stroke=\"\(hot ? "#c0392b" : "#555")\" stroke-width=\"\(hot ? 2 : 0.5)\">"
            s += "<title>\(HTML.escape(w.name)): \(rate) per 1,000\(hot ? " (hotspot)" : "")</title></use>"
        }
        return s + "</svg>"
    }
}
