import Foundation

/// Builds simple areas from National Grid points and writes them as boundary files, for
/// synthetic wards, SNT areas and named places in fixtures.
///
/// The files read back through ``GeoJSONReader`` and ``KMLReader`` to the same lookups:
/// - GeoJSON is written in National Grid metres with an EPSG:27700 `crs` member, each number
///   in Swift's shortest round-tripping form, so vertices come back bit for bit. Read it with
///   `GeoJSONReader(codeProperty: "code", nameProperty: "name")` (or the names passed here).
/// - KML is WGS84 by definition, so vertices are transformed on the way out and back; they
///   return within a few millimetres, identically for every feature sharing a vertex, so
///   shared boundaries stay shared and only points within millimetres of a boundary could
///   change area. Read it with `KMLReader(codeField: .data("code"))` (or the field passed here).
public enum PolygonBuilder {
    /// An area with one polygon; open rings are closed.
    public static func feature(code: String, name: String, ring: [GridPoint], holes: [[GridPoint]] = []) -> AreaFeature {
        AreaFeature(code: code, name: name, polygons: [AreaPolygon(exterior: ring, holes: holes)])
    }

    /// One single-ring area per `(code, name, ring)`, in order.
    public static func features(_ shapes: [(code: String, name: String, ring: [GridPoint])]) -> [AreaFeature] {
        shapes.map { feature(code: $0.code, name: $0.name, ring: $0.ring) }
    }

    /// An axis-aligned rectangle from `min` to `max` as an area.
    public static func rectangle(code: String, name: String, min: GridPoint, max: GridPoint) -> AreaFeature {
        feature(code: code, name: name, ring: [
            min, GridPoint(easting: max.easting, northing: min.northing), max,
            GridPoint(easting: min.easting, northing: max.northing), min,
        ])
    }

    /// A GeoJSON FeatureCollection of `features` in National Grid metres with an EPSG:27700
    /// `crs` member; the code and name go in the properties `codeProperty` and `nameProperty`.
    public static func geoJSON(_ features: [AreaFeature], codeProperty: String = "code", nameProperty: String = "name") -> String {
        var out = "{\n\"type\": \"FeatureCollection\",\n"
        out += "\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:EPSG::27700\" } },\n"
        out += "\"features\": [\n"
        for (i, feature) in features.enumerated() {
            out += "{ \"type\": \"Feature\", \"properties\": { \(json(codeProperty)): \(json(feature.code)), "
            out += "\(json(nameProperty)): \(json(feature.name)) }, \"geometry\": { "
            func ring(_ points: [GridPoint]) -> String {
                "[ " + points.map { "[ \($0.easting), \($0.northing) ]" }.joined(separator: ", ") + " ]"
            }
            func polygon(_ p: AreaPolygon) -> String {
                "[ " + p.rings.map(ring).joined(separator: ", ") + " ]"
            }
            if feature.polygons.count == 1 {
                out += "\"type\": \"Polygon\", \"coordinates\": " + polygon(feature.polygons[0])
            } else {
                out += "\"type\": \"MultiPolygon\", \"coordinates\": [ "
                    + feature.polygons.map(polygon).joined(separator: ", ") + " ]"
            }
            out += " } }" + (i == features.count - 1 ? "\n" : ",\n")
        }
        out += "]\n}\n"
        return out
    }

    /// A KML document of `features` in WGS84: one Placemark each, the name in `<name>`, the
    /// code in `<ExtendedData><Data name="codeField">`, one Polygon or a MultiGeometry.
    public static func kml(_ features: [AreaFeature], codeField: String = "code", documentName: String = "boundaries") -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>\(xml(documentName))</name>\n"
        for feature in features {
            out += "<Placemark>\n<name>\(xml(feature.name))</name>\n"
            out += "<ExtendedData><Data name=\"\(xml(codeField))\"><value>\(xml(feature.code))</value></Data></ExtendedData>\n"
            func ring(_ points: [GridPoint]) -> String {
                "<LinearRing><coordinates>" + points.map {
                    let p = OSGB36.toWGS84($0)
                    return "\(p.lon),\(p.lat)"
                }.joined(separator: " ") + "</coordinates></LinearRing>"
            }
            func polygon(_ p: AreaPolygon) -> String {
                "<Polygon><outerBoundaryIs>\(ring(p.exterior))</outerBoundaryIs>"
                    + p.holes.map { "<innerBoundaryIs>\(ring($0))</innerBoundaryIs>" }.joined()
                    + "</Polygon>\n"
            }
            if feature.polygons.count == 1 {
                out += polygon(feature.polygons[0])
            } else {
                out += "<MultiGeometry>\n" + feature.polygons.map(polygon).joined() + "</MultiGeometry>\n"
            }
            out += "</Placemark>\n"
        }
        out += "</Document>\n</kml>\n"
        return out
    }

    /// Writes ``geoJSON(_:codeProperty:nameProperty:)`` to `path` as UTF-8.
    public static func writeGeoJSON(_ features: [AreaFeature], to path: String,
                                    codeProperty: String = "code", nameProperty: String = "name") throws {
        try Data(geoJSON(features, codeProperty: codeProperty, nameProperty: nameProperty).utf8)
            .write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes ``kml(_:codeField:documentName:)`` to `path` as UTF-8.
    public static func writeKML(_ features: [AreaFeature], to path: String, codeField: String = "code") throws {
        try Data(kml(features, codeField: codeField).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// `text` as a JSON string literal.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `text` with XML's special characters escaped.
    static func xml(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
