import Foundation

/// Reads a GeoJSON FeatureCollection of Polygon and MultiPolygon features (holes allowed) into
/// an ``AreaLayer``.
///
/// **Coordinates.** RFC 7946 GeoJSON is WGS84 longitude, latitude (CRS84), and that is the
/// default. A legacy `crs` member naming EPSG:27700 (`"urn:ogc:def:crs:EPSG::27700"`,
/// `"EPSG:27700"`) makes the positions British National Grid eastings, northings; one naming
/// CRS84 or EPSG:4326 keeps longitude, latitude; any other is refused. Setting
/// ``coordinateSystem`` overrides whatever the file declares.
///
/// **Parsing.** The whole file goes through Foundation's `JSONSerialization`. ONS ward and
/// LSOA files for one local authority are 0.1–0.5 MB: the 157 LSOAs of Central Bedfordshire
/// (0.48 MB, 9,500 vertices) parse in about 25 ms and load completely (parse, transform,
/// index) in 60–85 ms in a release build. The file is read once per run, so a dedicated
/// streaming parser would not pay for itself. Files of all England
/// (hundreds of MB) should be cut to the area first.
///
/// **Rings.** An open ring (last position not equal to the first) is closed by repeating its
/// first position: both formats require closed rings, but closing is unambiguous and the ray
/// cast treats every ring as closed anyway. A ring with fewer than four positions after
/// closing is an error, as is a position that is not finite, not a valid longitude/latitude,
/// or outside Great Britain's National Grid once converted (which catches swapped axes and a
/// wrong coordinate system). Every error names the file, the feature (1-based) and its code
/// when known.
public struct GeoJSONReader: Sendable {
    /// The feature property holding the area code (`"WD22CD"`, `"LSOA11CD"`).
    public var codeProperty: String
    /// The feature property holding the area name (`"WD22NM"`); nil uses the code as name.
    public var nameProperty: String?
    /// The system of the positions; nil reads the file's `crs` member (CRS84 when absent).
    public var coordinateSystem: CoordinateSystem?

    /// Creates a reader; see the properties for the parameters.
    public init(codeProperty: String, nameProperty: String? = nil, coordinateSystem: CoordinateSystem? = nil) {
        self.codeProperty = codeProperty
        self.nameProperty = nameProperty
        self.coordinateSystem = coordinateSystem
    }

    /// Reads the file at `path`.
    public func read(path: String) throws(BoundaryError) -> AreaLayer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        return try read(data: data, source: path)
    }

    /// Reads GeoJSON held in memory; `source` names it in errors and in the layer.
    public func read(data: Data, source: String) throws(BoundaryError) -> AreaLayer {
        AreaLayer(source: source, features: try features(data: data, source: source, properties: []).map(\.feature))
    }

    /// The features of the file at `path` with the text of each of `properties` (nil where a feature lacks it),
    /// without building an index: for a layer assembled from many files (one per council), indexed once.
    public func features(path: String, properties: [String]) throws(BoundaryError) -> [(feature: AreaFeature, properties: [String?])] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        return try features(data: data, source: path, properties: properties)
    }

    /// The features of GeoJSON held in memory, with the text of each of `properties`.
    public func features(data: Data, source: String, properties wanted: [String]) throws(BoundaryError) -> [(feature: AreaFeature, properties: [String?])] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .notFeatureCollection(path: source, reason: "it is not valid JSON")
        }
        guard let collection = root as? [String: Any] else {
            throw .notFeatureCollection(path: source, reason: "the top level is not an object")
        }
        guard collection["type"] as? String == "FeatureCollection" else {
            throw .notFeatureCollection(path: source, reason: "its \"type\" is not \"FeatureCollection\"")
        }
        guard let features = collection["features"] as? [Any] else {
            throw .notFeatureCollection(path: source, reason: "it has no \"features\" array")
        }
        var system = coordinateSystem ?? .wgs84
        if coordinateSystem == nil { system = try GeoJSONReader.declaredSystem(collection, path: source) }
        let converter = RingConverter(system: system)
        var areas: [(feature: AreaFeature, properties: [String?])] = []
        areas.reserveCapacity(features.count)
        for (offset, item) in features.enumerated() {
            var code: String?
            do throws(FeatureProblem) {
                guard let feature = item as? [String: Any] else {
                    throw .malformedCoordinates("the feature is not an object")
                }
                let properties = feature["properties"] as? [String: Any] ?? [:]
                code = GeoJSONReader.text(properties[codeProperty])
                guard let code else { throw .missingProperty(codeProperty) }
                var name = code
                if let nameProperty {
                    guard let value = GeoJSONReader.text(properties[nameProperty]) else {
                        throw .missingProperty(nameProperty)
                    }
                    name = value
                }
                guard let geometry = feature["geometry"] as? [String: Any] else { throw .missingGeometry }
                let polygons = try GeoJSONReader.polygons(geometry, converter)
                areas.append((AreaFeature(code: code, name: name, polygons: polygons), wanted.map { GeoJSONReader.text(properties[$0]) }))
            } catch {
                throw .invalidFeature(path: source, feature: offset + 1, code: code, line: nil, problem: error)
            }
        }
        return areas
    }

    /// The system named by the collection's `crs` member; WGS84 when there is none.
    static func declaredSystem(_ collection: [String: Any], path: String) throws(BoundaryError) -> CoordinateSystem {
        guard let crs = collection["crs"] as? [String: Any] else { return .wgs84 }
        guard let name = (crs["properties"] as? [String: Any])?["name"] as? String else {
            throw .unsupportedCRS(path: path, name: String(describing: crs))
        }
        let upper = name.uppercased()
        if upper.hasSuffix("27700") && upper.contains("EPSG") { return .osgb36 }
        if upper.hasSuffix("CRS84") || (upper.hasSuffix("4326") && upper.contains("EPSG")) { return .wgs84 }
        throw .unsupportedCRS(path: path, name: name)
    }

    /// A property value as text: strings as they are, integral numbers without a fraction;
    /// nil for absent, null, blank or other values.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String:
            let trimmed = string.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : string
        case let number as NSNumber:
            let double = number.doubleValue
            if double.rounded() == double, abs(double) < 1e15 { return String(Int64(double)) }
            return "\(double)"
        default:
            return nil
        }
    }

    /// The polygons of a Polygon or MultiPolygon geometry.
    static func polygons(_ geometry: [String: Any], _ converter: RingConverter) throws(FeatureProblem) -> [AreaPolygon] {
        let type = geometry["type"] as? String ?? "geometry without a type"
        guard let coordinates = geometry["coordinates"] as? [Any] else {
            if type == "Polygon" || type == "MultiPolygon" { throw .malformedCoordinates("no \"coordinates\" array") }
            throw .unsupportedGeometry(type)
        }
        switch type {
        case "Polygon":
            return [try polygon(coordinates, converter)]
        case "MultiPolygon":
            var result: [AreaPolygon] = []
            for item in coordinates {
                guard let rings = item as? [Any] else { throw .malformedCoordinates("a polygon is not an array of rings") }
                result.append(try polygon(rings, converter))
            }
            guard !result.isEmpty else { throw .malformedCoordinates("the MultiPolygon has no polygons") }
            return result
        default:
            throw .unsupportedGeometry(type)
        }
    }

    /// One polygon from its array of rings (exterior first).
    static func polygon(_ rings: [Any], _ converter: RingConverter) throws(FeatureProblem) -> AreaPolygon {
        var converted: [[GridPoint]] = []
        for item in rings {
            guard let positions = item as? [Any] else { throw .malformedCoordinates("a ring is not an array of positions") }
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(positions.count); ys.reserveCapacity(positions.count)
            for position in positions {
                guard let pair = position as? [Any], pair.count >= 2,
                      let x = number(pair[0]), let y = number(pair[1]) else {
                    throw .malformedCoordinates("a position is not an array of two or three numbers")
                }
                xs.append(x); ys.append(y)
            }
            converted.append(try converter.ring(xs, ys))
        }
        guard let exterior = converted.first else { throw .malformedCoordinates("the polygon has no rings") }
        return AreaPolygon(exterior: exterior, holes: Array(converted.dropFirst()))
    }

    /// A JSON number as a Double.
    static func number(_ value: Any) -> Double? {
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        return (value as? NSNumber)?.doubleValue
    }
}
