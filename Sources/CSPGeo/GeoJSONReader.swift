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
/// **Parsing.** The whole file is parsed in memory by ``JSONParser`` (bytes to doubles, rings packed; why not
/// Foundation's `JSONSerialization` is written there). A file of all England's wards (hundreds of MB) is better
/// split per council, as ONS publishes it: the national pipeline reads 318 council files as one layer.
///
/// **Rings.** An open ring (last position not equal to the first) is closed by repeating its
/// first position: both formats require closed rings, but closing is unambiguous and the ray
/// cast treats every ring as closed anyway. A ring with fewer than four positions after
/// closing is an error, as is a position that is not finite, not a valid longitude/latitude,
/// or outside Great Britain's National Grid once converted (which catches swapped axes and a
/// wrong coordinate system). Every error names the file, the feature (1-based), its code
/// when known and the line where the feature starts; a file that is not JSON gets the line and column.
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
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch {
            throw .notFeatureCollection(path: source, reason: "it is not valid JSON (\(error))")
        }
        guard root.isObject else {
            throw .notFeatureCollection(path: source, reason: "the top level is not an object")
        }
        guard root["type"]?.stringValue == "FeatureCollection" else {
            throw .notFeatureCollection(path: source, reason: "its \"type\" is not \"FeatureCollection\"")
        }
        guard case .array(let features)? = root["features"] else {
            if case .positions? = root["features"] {
                throw .notFeatureCollection(path: source, reason: "its \"features\" are arrays of numbers, not features")
            }
            throw .notFeatureCollection(path: source, reason: "it has no \"features\" array")
        }
        var system = coordinateSystem ?? .wgs84
        if coordinateSystem == nil { system = try GeoJSONReader.declaredSystem(root, path: source) }
        let converter = RingConverter(system: system)
        var areas: [(feature: AreaFeature, properties: [String?])] = []
        areas.reserveCapacity(features.count)
        for (offset, feature) in features.enumerated() {
            var code: String?
            do throws(FeatureProblem) {
                guard feature.isObject else {
                    throw .malformedCoordinates("the feature is not an object")
                }
                let properties = feature["properties"]
                code = GeoJSONReader.text(properties?[codeProperty])
                guard let code else { throw .missingProperty(codeProperty) }
                var name = code
                if let nameProperty {
                    guard let value = GeoJSONReader.text(properties?[nameProperty]) else {
                        throw .missingProperty(nameProperty)
                    }
                    name = value
                }
                guard let geometry = feature["geometry"], geometry.isObject else { throw .missingGeometry }
                let polygons = try GeoJSONReader.polygons(geometry, converter)
                areas.append((AreaFeature(code: code, name: name, polygons: polygons), wanted.map { GeoJSONReader.text(properties?[$0]) }))
            } catch {
                var line: Int?
                if case .object(_, let at) = feature { line = JSONParser.position(of: at, in: data).line }
                throw .invalidFeature(path: source, feature: offset + 1, code: code, line: line, problem: error)
            }
        }
        return areas
    }

    /// The system named by the collection's `crs` member; WGS84 when there is none.
    static func declaredSystem(_ collection: JSONValue, path: String) throws(BoundaryError) -> CoordinateSystem {
        guard let crs = collection["crs"], crs.isObject else { return .wgs84 }
        guard let name = crs["properties"]?["name"]?.stringValue else {
            throw .unsupportedCRS(path: path, name: "a crs without properties.name")
        }
        let upper = name.uppercased()
        if upper.hasSuffix("27700") && upper.contains("EPSG") { return .osgb36 }
        if upper.hasSuffix("CRS84") || (upper.hasSuffix("4326") && upper.contains("EPSG")) { return .wgs84 }
        throw .unsupportedCRS(path: path, name: name)
    }

    /// A property value as text: strings as they are, integral numbers without a fraction;
    /// nil for absent, null, blank or other values.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let string)?:
            return string.trimmingCharacters(in: .whitespaces).isEmpty ? nil : string
        case .number(let double)?:
            if double.rounded() == double, abs(double) < 1e15 { return String(Int64(double)) }
            return "\(double)"
        default:
            return nil
        }
    }

    /// The polygons of a Polygon or MultiPolygon geometry.
    static func polygons(_ geometry: JSONValue, _ converter: RingConverter) throws(FeatureProblem) -> [AreaPolygon] {
        let type = geometry["type"]?.stringValue ?? "geometry without a type"
        guard let coordinates = geometry["coordinates"]?.arrayValue else {
            if type == "Polygon" || type == "MultiPolygon" { throw .malformedCoordinates("no \"coordinates\" array") }
            throw .unsupportedGeometry(type)
        }
        switch type {
        case "Polygon":
            return [try polygon(coordinates, converter)]
        case "MultiPolygon":
            var result: [AreaPolygon] = []
            for item in coordinates {
                guard case .array(let rings) = item else { throw .malformedCoordinates("a polygon is not an array of rings") }
                result.append(try polygon(rings, converter))
            }
            guard !result.isEmpty else { throw .malformedCoordinates("the MultiPolygon has no polygons") }
            return result
        default:
            throw .unsupportedGeometry(type)
        }
    }

    /// One polygon from its array of rings (exterior first).
    static func polygon(_ rings: [JSONValue], _ converter: RingConverter) throws(FeatureProblem) -> AreaPolygon {
        var converted: [[GridPoint]] = []
        for item in rings {
            switch item {
            case .positions(let xs, let ys):
                converted.append(try converter.ring(xs, ys))
            case .array(let positions) where positions.isEmpty:
                converted.append(try converter.ring([], []))
            case .array:
                throw .malformedCoordinates("a position is not an array of two or three numbers")
            default:
                throw .malformedCoordinates("a ring is not an array of positions")
            }
        }
        guard let exterior = converted.first else { throw .malformedCoordinates("the polygon has no rings") }
        return AreaPolygon(exterior: exterior, holes: Array(converted.dropFirst()))
    }


}
