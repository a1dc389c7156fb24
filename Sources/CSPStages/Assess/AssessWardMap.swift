import CSPCore
import CSPGeo

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

    /// The ward boundary files the map draws: the ward layer's files of the partnership's local authority.
    static func files(of pipeline: PipelineDefinition) -> [String] {
        guard let layer = pipeline.geography?.layers.first(where: { $0.id == "ward" }) else { return [] }
        return layer.files.filter { $0.laCode == nil || $0.laCode == pipeline.area.laCode }.map(\.path)
    }

    /// The wards of the pipeline's ward layer that belong to the partnership's local authority (empty when the
    /// pipeline declares no geography or its files cannot be read: the report then has no map).
    static func load(pipeline: PipelineDefinition, inputs: StageInputs, width: Double = 360) -> AssessWardMap? {
        guard let layer = pipeline.geography?.layers.first(where: { $0.id == "ward" }) else { return nil }
        var features: [AreaFeature] = []
        for file in layer.files where file.laCode == nil || file.laCode == pipeline.area.laCode {
            guard let path = try? inputs.path(file.path), let l = try? Geography.read(path, layer) else { return nil }
            features += l.features
        }
        let points = features.flatMap { $0.polygons.flatMap { $0.exterior } }
        guard let minX = points.map(\.easting).min(), let maxX = points.map(\.easting).max(),
              let minY = points.map(\.northing).min(), let maxY = points.map(\.northing).max(), maxX > minX, maxY > minY else { return nil }
        let scale = (width - 10) / (maxX - minX)
        let height = (maxY - minY) * scale + 10
        let wards = features.map { f -> Ward in
            var d = ""
            for polygon in f.polygons {
                for ring in polygon.rings {
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
            }
            return Ward(code: f.code, name: f.name, path: d)
        }
        return AssessWardMap(wards: wards.sorted { $0.code < $1.code }, width: width, height: height)
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
