import CSPCore
import CSPSchema
import CSPStorage
import CSPGeo
import GRDB

/// A map of the report: one layer's areas (wards, or 2021 LSOAs) drawn once as SVG paths (British National Grid,
/// north up, equal scale on both axes so shapes are not stretched), then, per theme, each area shaded by its
/// published rate per 1,000 residents in quintiles, with a legend of the class breaks, outlined areas (hotspots),
/// printed labels for the top areas and each area's name and rate on hover (SVG `<title>`).
struct AssessWardMap {
    /// One area's outline, already projected to the map's pixel space.
    struct Ward {
        let code: String
        let name: String
        let path: String
        /// Where its label goes: the centroid of its largest ring, in pixels.
        let label: (x: Double, y: Double)
    }

    /// The geography layer drawn (`ward`, `lsoa21`).
    let layer: String
    let wards: [Ward]
    let width: Double
    let height: Double

    /// The partnership's areas of `layer` from the warehouse that stage 4 published: the `geometry` table's outlines
    /// (WKT in National Grid metres) of the areas that `areas` places in the partnership's local authority (or in no
    /// authority: a layer read from one council's file). nil when the warehouse holds no outlines for the layer.
    static func load(warehouse: AssessWarehouse, laCode: String, layer: String = "ward", width: Double = 360) throws -> AssessWardMap? {
        guard try warehouse.tableExists("geometry") else { return nil }
        let outlines = try warehouse.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT g.code, g.name, g.wkt FROM geometry g JOIN areas a ON a.layer = g.layer AND a.code = g.code
                WHERE g.layer = ? AND (a.la_code = ? OR a.la_code IS NULL) ORDER BY g.code
                """, arguments: [layer, laCode]).map { (code: $0["code"] as String, name: $0["name"] as String? ?? "", rings: WKT.rings($0["wkt"] as String? ?? "")) }
        }
        let points = outlines.flatMap { $0.rings.flatMap { $0 } }
        guard let minX = points.map(\.easting).min(), let maxX = points.map(\.easting).max(),
              let minY = points.map(\.northing).min(), let maxY = points.map(\.northing).max(), maxX > minX, maxY > minY else { return nil }
        let scale = (width - 10) / (maxX - minX)
        let height = (maxY - minY) * scale + 10
        func pixel(_ p: GridPoint) -> (x: Double, y: Double) { ((p.easting - minX) * scale + 5, (maxY - p.northing) * scale + 5) }
        let wards = outlines.map { f -> Ward in
            var d = ""
            for ring in f.rings {
                // Whole pixels, consecutive repeats dropped: the outline keeps its shape at a fraction of the size.
                var last: (Int, Int)?
                var first = true
                for p in ring {
                    let q = pixel(p)
                    let x = Int(q.x.rounded()), y = Int(q.y.rounded())
                    if let l = last, l == (x, y) { continue }
                    d += first ? "M\(x) \(y)" : "L\(x) \(y)"
                    first = false
                    last = (x, y)
                }
                d += "Z"
            }
            let largest = f.rings.max { abs(Self.signedArea($0)) < abs(Self.signedArea($1)) } ?? []
            return Ward(code: f.code, name: f.name, path: d, label: Self.centroid(largest).map(pixel) ?? (5, 5))
        }
        return AssessWardMap(layer: layer, wards: wards, width: width, height: height)
    }

    /// Twice the signed area of a ring (shoelace), in square metres.
    static func signedArea(_ ring: [GridPoint]) -> Double {
        guard ring.count > 2 else { return 0 }
        var a = 0.0
        for i in ring.indices {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            a += p.easting * q.northing - q.easting * p.northing
        }
        return a
    }

    /// The centroid of a ring's region; its mean vertex when it has no area.
    static func centroid(_ ring: [GridPoint]) -> GridPoint? {
        guard let o = ring.first else { return nil }
        var a = 0.0, cx = 0.0, cy = 0.0
        for i in ring.indices {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            let (px, py, qx, qy) = (p.easting - o.easting, p.northing - o.northing, q.easting - o.easting, q.northing - o.northing)
            let cross = px * qy - qx * py
            a += cross; cx += (px + qx) * cross; cy += (py + qy) * cross
        }
        guard a != 0 else {
            let n = Double(ring.count)
            return GridPoint(easting: ring.reduce(0) { $0 + $1.easting } / n, northing: ring.reduce(0) { $0 + $1.northing } / n)
        }
        return GridPoint(easting: o.easting + cx / (3 * a), northing: o.northing + cy / (3 * a))
    }

    /// The outlines, once per report, referenced by every theme's map.
    var definitions: String {
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
            + wards.map { "<path id=\"\(layer)-\(HTML.escape($0.code))\" d=\"\($0.path)\"/>" }.joined() + "</defs></svg>"
    }

    static let shades = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

    /// The quintile class (0–4) of each published rate among `rates` (sorted): the share of rates below it.
    static func quintile(_ rate: Double, of rates: [Double]) -> Int {
        min(4, rates.filter { $0 < rate }.count * 5 / max(1, rates.count))
    }

    /// The classes that hold rates, each with its lowest and highest published rate, for the legend.
    static func breaks(_ rates: [Double]) -> [(shade: Int, low: Double, high: Double)] {
        let sorted = rates.sorted()
        var out: [Int: (Double, Double)] = [:]
        for r in sorted {
            let k = quintile(r, of: sorted)
            out[k] = (out[k]?.0 ?? r, r)
        }
        return out.keys.sorted().map { ($0, out[$0]!.0, out[$0]!.1) }
    }

    /// One theme's map: areas by quintile of their published rate per 1,000 (grey: withheld or no rate), the areas
    /// of `outlined` (codes; default the published hotspots) outlined in red, the `labelled` top areas (default the
    /// three highest published rates) named on the map. A withheld area shows no rate, shade or outline: those would
    /// give its count back. An area whose count is published as a band is grey too, its tooltip giving the band's rates.
    func svg(_ layer: DisclosedLayer, outlined: Set<String>? = nil, outlineMeaning: String = "hotspot", labelled count: Int = 3) -> String {
        let rates = layer.rows.filter { !$0.withheld }.compactMap(\.rate).sorted()
        let hot = outlined ?? Set(layer.rows.filter(\.isHotspot).map(\.code))
        let top = Set(layer.rows.filter { !$0.withheld && $0.rate != nil }.sorted { $0.rate! != $1.rate! ? $0.rate! > $1.rate! : $0.name < $1.name }
            .prefix(count).map(\.code))
        func shade(_ r: DisclosedLayer.Row?) -> String {
            guard let r, !r.withheld, let rate = r.rate, !rates.isEmpty else { return "#ddd" }
            return Self.shades[Self.quintile(rate, of: rates)]
        }
        let legendRows = Self.breaks(rates)
        let legendHeight = Double(legendRows.count + 2) * 14 + 8
        var s = "<svg class=\"map\" width=\"\(Int(width))\" height=\"\(Int(height + legendHeight))\" viewBox=\"0 0 \(Int(width)) \(Int(height + legendHeight))\" role=\"img\">"
        var labels = ""
        for w in wards {
            let r = layer.row(w.code) ?? layer.row(w.name)
            // A count published as a band shows its band of rates (no shade: a band does not rank).
            let rate = r.map { $0.rateBand.map { AssessFormat.band($0, 1) } ?? ($0.withheld ? AssessMarker.suppressed : ($0.rate.map { AssessFormat.fixed($0, 1) } ?? AssessMarker.notAvailable)) } ?? AssessMarker.notAvailable
            let isHot = r.map { !$0.withheld && hot.contains($0.code) } ?? false
            s += "<use href=\"#\(self.layer)-\(HTML.escape(w.code))\" fill=\"\(shade(r))\" stroke=\"\(isHot ? "#c0392b" : "#555")\" stroke-width=\"\(isHot ? 2 : 0.4)\">"
            s += "<title>\(HTML.escape(w.name)): \(rate) per 1,000\(isHot ? " (\(outlineMeaning))" : "")</title></use>"
            if let r, top.contains(r.code) {
                labels += String(format: "<text class=\"maplbl\" x=\"%.0f\" y=\"%.0f\">", w.label.x, w.label.y) + HTML.escape(w.name) + "</text>"
            }
        }
        s += labels
        // Legend: the class breaks of the published rates, then withheld and the outline.
        var y = height + 12
        s += String(format: "<text class=\"lbl\" x=\"5\" y=\"%.0f\">Rate per 1,000 residents</text>", y)
        for b in legendRows {
            y += 14
            s += String(format: "<rect x=\"5\" y=\"%.0f\" width=\"14\" height=\"10\" fill=\"%@\" stroke=\"#555\" stroke-width=\"0.4\"/>", y - 9, Self.shades[b.shade])
            s += String(format: "<text class=\"lbl\" x=\"24\" y=\"%.0f\">%@ to %@</text>", y, AssessFormat.fixed(b.low, 1), AssessFormat.fixed(b.high, 1))
        }
        y += 14
        s += String(format: "<rect x=\"5\" y=\"%.0f\" width=\"14\" height=\"10\" fill=\"#ddd\" stroke=\"#555\" stroke-width=\"0.4\"/>", y - 9)
        let key = layer.rows.contains { $0.band != nil } ? "withheld, a band or no rate" : "withheld or no rate"
        s += String(format: "<text class=\"lbl\" x=\"24\" y=\"%.0f\">%@</text>", y, key)
        s += String(format: "<rect x=\"160\" y=\"%.0f\" width=\"14\" height=\"10\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>", y - 9)
        s += String(format: "<text class=\"lbl\" x=\"179\" y=\"%.0f\">%@</text>", y, HTML.escape(outlineMeaning))
        return s + "</svg>"
    }
}
