/// Outlines as WKT `MULTIPOLYGON`s in British National Grid metres (EPSG:27700): the one format stage 3 writes them in
/// (`geometry.csv`, the warehouse's `geometry` table) and stage 5 reads them back in, so that both sides share one
/// codec. Coordinates are whole metres.
public enum WKT {
    /// `MULTIPOLYGON(((x y,...),(hole...)),...)`: each ring rounded to whole metres, consecutive repeats dropped, closed.
    public static func multipolygon(_ polygons: [AreaPolygon]) -> String {
        var out = "MULTIPOLYGON("
        for (pi, polygon) in polygons.enumerated() {
            out += pi == 0 ? "(" : ",("
            for (ri, ring) in polygon.rings.enumerated() {
                var points: [(Int, Int)] = []
                for p in ring {
                    let q = (Int(p.easting.rounded()), Int(p.northing.rounded()))
                    if let l = points.last, l == q { continue }
                    points.append(q)
                }
                if let first = points.first, let last = points.last, first != last { points.append(first) }
                out += (ri == 0 ? "(" : ",(") + points.map { "\($0.0) \($0.1)" }.joined(separator: ",") + ")"
            }
            out += ")"
        }
        return out + ")"
    }

    /// The rings of a `MULTIPOLYGON` or `POLYGON`, in order (exteriors and holes alike), as grid points; text outside
    /// the innermost parentheses and unreadable numbers are ignored.
    public static func rings(_ text: String) -> [[GridPoint]] {
        var rings: [[GridPoint]] = []
        var depth = 0, innermost = 0
        var ring: [GridPoint] = []
        var token = "", pair: [Double] = []
        func endNumber() {
            if !token.isEmpty, let v = Double(token) { pair.append(v) }
            token = ""
        }
        func endPoint() {
            endNumber()
            if pair.count >= 2 { ring.append(GridPoint(easting: pair[0], northing: pair[1])) }
            pair = []
        }
        for c in text {
            switch c {
            case "(": depth += 1; innermost = depth; token = ""; pair = []
            case ")":
                if depth == innermost { endPoint(); if !ring.isEmpty { rings.append(ring) }; ring = [] }
                depth -= 1
            case ",": if depth == innermost { endPoint() }
            case " ": if depth == innermost { endNumber() }
            default: if depth == innermost { token.append(c) }
            }
        }
        return rings
    }
}
