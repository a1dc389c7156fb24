import Foundation

/// A geometry as a GeoPackage stores it (OGC GeoPackage 1.3, clause 2.1.3): the `GP` header (magic, version 0, flags,
/// `srs_id`, envelope) followed by the geometry as little-endian WKB. Only what the published layers need: points and
/// multipolygons in one planar coordinate system.
package enum GeoPackageGeometry: Sendable, Equatable {
    /// A point (x, y).
    case point(x: Double, y: Double)
    /// Polygons, each a list of rings (the first the exterior), each ring a closed list of (x, y).
    case multiPolygon([[[(x: Double, y: Double)]]])

    /// Equal when their WKB is: same type, same coordinates in the same order.
    package static func == (a: GeoPackageGeometry, b: GeoPackageGeometry) -> Bool { a.wkb == b.wkb }

    /// The geometry type name of `gpkg_geometry_columns` (`POINT`, `MULTIPOLYGON`).
    package var typeName: String {
        switch self {
        case .point: "POINT"
        case .multiPolygon: "MULTIPOLYGON"
        }
    }

    /// Its bounding box (min x, min y, max x, max y); nil for an empty multipolygon.
    package var envelope: (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        switch self {
        case let .point(x, y): return (x, y, x, y)
        case let .multiPolygon(polygons):
            let points = polygons.lazy.flatMap { $0.lazy.flatMap { $0 } }
            guard let first = points.first else { return nil }
            var e = (minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
            for p in points {
                e.minX = min(e.minX, p.x); e.maxX = max(e.maxX, p.x)
                e.minY = min(e.minY, p.y); e.maxY = max(e.maxY, p.y)
            }
            return e
        }
    }

    /// The GeoPackage blob: header with the envelope [minx, maxx, miny, maxy] for polygons (none for a point, as GDAL
    /// writes them), flags byte `0b0000_00E1` (little endian, envelope code E), then little-endian WKB.
    package func blob(srsID: Int32) -> Data {
        var d = Data([0x47, 0x50, 0x00])  // "GP", version 0
        let envelope: (minX: Double, minY: Double, maxX: Double, maxY: Double)?
        switch self {
        case .point: envelope = nil
        case .multiPolygon: envelope = self.envelope
        }
        let empty: UInt8 = { if case let .multiPolygon(p) = self, p.isEmpty { return 0x10 } else { return 0 } }()
        d.append(0x01 | (envelope == nil ? 0 : 0x02) | empty)
        Self.append(UInt32(bitPattern: srsID), to: &d)
        if let e = envelope { for v in [e.minX, e.maxX, e.minY, e.maxY] { Self.append(v, to: &d) } }
        d.append(wkb)
        return d
    }

    /// Little-endian WKB (ISO/OGC simple features: 1 point, 3 polygon, 6 multipolygon).
    package var wkb: Data {
        var d = Data()
        switch self {
        case let .point(x, y):
            d.append(1); Self.append(UInt32(1), to: &d); Self.append(x, to: &d); Self.append(y, to: &d)
        case let .multiPolygon(polygons):
            d.append(1); Self.append(UInt32(6), to: &d); Self.append(UInt32(polygons.count), to: &d)
            for polygon in polygons {
                d.append(1); Self.append(UInt32(3), to: &d); Self.append(UInt32(polygon.count), to: &d)
                for ring in polygon {
                    Self.append(UInt32(ring.count), to: &d)
                    for p in ring { Self.append(p.x, to: &d); Self.append(p.y, to: &d) }
                }
            }
        }
        return d
    }

    private static func append(_ v: UInt32, to d: inout Data) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
    private static func append(_ v: Double, to d: inout Data) { withUnsafeBytes(of: v.bitPattern.littleEndian) { d.append(contentsOf: $0) } }

    /// Parses `MULTIPOLYGON(((x y,x y,...),(...)),((...)))` or `POLYGON((x y,...))` as stage 3 writes outlines (WKT in
    /// National Grid metres); nil with the reason when the text is neither.
    package static func parseWKT(_ text: String) -> Result<GeoPackageGeometry, WKTError> {
        var s = Substring(text).drop { $0 == " " }
        let isMulti: Bool
        if s.uppercased().hasPrefix("MULTIPOLYGON") { isMulti = true; s = s.dropFirst("MULTIPOLYGON".count) }
        else if s.uppercased().hasPrefix("POLYGON") { isMulti = false; s = s.dropFirst("POLYGON".count) }
        else { return .failure(WKTError(text: text, reason: "not a POLYGON or MULTIPOLYGON")) }
        var polygons: [[[(x: Double, y: Double)]]] = []
        var polygon: [[(x: Double, y: Double)]] = []
        var ring: [(x: Double, y: Double)] = []
        var depth = 0, number = "", pair: [Double] = []
        let ringDepth = isMulti ? 3 : 2
        func flushNumber() -> Bool {
            guard !number.isEmpty else { return true }
            guard let v = Double(number) else { return false }
            pair.append(v); number = ""
            return true
        }
        func flushPoint() -> Bool {
            guard flushNumber() else { return false }
            if pair.isEmpty { return true }
            guard pair.count >= 2 else { return false }
            ring.append((pair[0], pair[1])); pair = []
            return true
        }
        for ch in s {
            switch ch {
            case "(":
                depth += 1
            case ")":
                if depth == ringDepth {
                    guard flushPoint() else { return .failure(WKTError(text: text, reason: "a coordinate is not a number pair")) }
                    polygon.append(ring); ring = []
                } else if depth == ringDepth - 1 {
                    polygons.append(polygon); polygon = []
                }
                depth -= 1
            case ",":
                if depth == ringDepth, !flushPoint() { return .failure(WKTError(text: text, reason: "a coordinate is not a number pair")) }
            case " ", "\t", "\n":
                if depth == ringDepth, !flushNumber() { return .failure(WKTError(text: text, reason: "a coordinate is not a number")) }
            default:
                guard depth == ringDepth else { return .failure(WKTError(text: text, reason: "unexpected character \(ch)")) }
                number.append(ch)
            }
            if depth < 0 { return .failure(WKTError(text: text, reason: "unbalanced parentheses")) }
        }
        guard depth == 0 else { return .failure(WKTError(text: text, reason: "unbalanced parentheses")) }
        return .success(.multiPolygon(polygons))
    }

    /// A WKT outline that could not be read, with its first characters.
    package struct WKTError: Error, CustomStringConvertible {
        /// The text.
        package let text: String
        /// What is wrong.
        package let reason: String
        /// A sentence naming the outline's start.
        package var description: String { "outline \(text.prefix(40))…: \(reason)" }
    }
}
