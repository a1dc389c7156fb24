import CSPXML

/// Why a boundary file could not be loaded. Every case names the file; problems with one
/// feature also name the feature (its 1-based position in the file and its code when known)
/// and, for KML, the line where the feature starts.
public enum BoundaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the operating system's explanation.
    case cannotRead(path: String, reason: String)
    /// The file is not a GeoJSON FeatureCollection (not JSON, or the wrong shape).
    case notFeatureCollection(path: String, reason: String)
    /// The GeoJSON `crs` member names a system other than CRS84, EPSG:4326 or EPSG:27700.
    case unsupportedCRS(path: String, name: String)
    /// One feature is unusable; `problem` says how.
    case invalidFeature(path: String, feature: Int, code: String?, line: Int?, problem: FeatureProblem)
    /// The KML file could not be read as XML (malformed, or hostile and refused).
    case xml(XMLReadError)

    /// The file concerned.
    public var path: String {
        switch self {
        case .cannotRead(let path, _), .notFeatureCollection(let path, _), .unsupportedCRS(let path, _),
             .invalidFeature(let path, _, _, _, _):
            path
        case .xml(let error):
            switch error {
            case .cannotOpen(let path, _), .malformed(let path, _, _, _), .doctypeForbidden(let path, _),
                 .entityForbidden(let path, _, _), .tooDeep(let path, _, _), .valueTooLong(let path, _, _, _):
                path
            }
        }
    }

    /// The line where the problem was found, when known.
    public var line: Int? {
        switch self {
        case .invalidFeature(_, _, _, let line, _): line
        case .xml(let error): error.line > 0 ? error.line : nil
        default: nil
        }
    }

    /// A stable identifier for the kind of problem, for logs and quality reports.
    public var rule: String {
        switch self {
        case .cannotRead: "geo.cannot-read"
        case .notFeatureCollection: "geo.not-feature-collection"
        case .unsupportedCRS: "geo.unsupported-crs"
        case .invalidFeature(_, _, _, _, let problem): problem.rule
        case .xml(let error): error.rule
        }
    }

    /// A sentence an analyst can act on.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "Cannot read the boundary file \(path): \(reason). Check that the path is right and the file is readable."
        case .notFeatureCollection(let path, let reason):
            return "The boundary file \(path) is not a GeoJSON FeatureCollection: \(reason)."
        case .unsupportedCRS(let path, let name):
            return "The boundary file \(path) declares the coordinate system \"\(name)\"; only CRS84/EPSG:4326 "
                + "(longitude, latitude) and EPSG:27700 (British National Grid) are supported. "
                + "Reproject the file, or say which system it uses if the declaration is wrong."
        case .invalidFeature(let path, let feature, let code, let line, let problem):
            let which = "feature \(feature)" + (code.map { " (\($0))" } ?? "")
            let at = line.map { " at line \($0)" } ?? ""
            return "The boundary file \(path) has an unusable \(which)\(at): \(problem)."
        case .xml(let error):
            return error.description
        }
    }
}

/// What is wrong with one feature of a boundary file.
public enum FeatureProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The property (GeoJSON) or field (KML) holding the code or name is absent, null or empty.
    case missingProperty(String)
    /// The feature has no geometry.
    case missingGeometry
    /// The geometry is of a type other than Polygon or MultiPolygon (KML: Polygon, possibly
    /// inside MultiGeometry).
    case unsupportedGeometry(String)
    /// The coordinates are not arrays or tuples of numbers.
    case malformedCoordinates(String)
    /// A ring has fewer than four positions even after closing it.
    case ringTooShort(points: Int)
    /// A position is not finite, outside -180...180/-90...90 for WGS84, or (after conversion)
    /// outside Great Britain's National Grid (see ``OSGB36/isPlausible(_:)``).
    case coordinateOutOfRange(x: Double, y: Double, system: CoordinateSystem)

    /// A stable identifier for the kind of problem.
    public var rule: String {
        switch self {
        case .missingProperty: "geo.missing-property"
        case .missingGeometry: "geo.missing-geometry"
        case .unsupportedGeometry: "geo.unsupported-geometry"
        case .malformedCoordinates: "geo.malformed-coordinates"
        case .ringTooShort: "geo.ring-too-short"
        case .coordinateOutOfRange: "geo.coordinate-out-of-range"
        }
    }

    /// The problem in words, completing "…has an unusable feature 3 (E05008779): ".
    public var description: String {
        switch self {
        case .missingProperty(let name):
            "it has no value for \"\(name)\"; check the property name (for example WD22CD, LSOA11CD)"
        case .missingGeometry:
            "it has no geometry"
        case .unsupportedGeometry(let type):
            "its geometry is a \(type), but only Polygon and MultiPolygon are boundaries"
        case .malformedCoordinates(let detail):
            "its coordinates are malformed (\(detail))"
        case .ringTooShort(let points):
            "a ring has \(points) position\(points == 1 ? "" : "s"); a closed ring needs at least 4"
        case .coordinateOutOfRange(let x, let y, .wgs84):
            "the position (\(x), \(y)) is not a longitude, latitude in Great Britain; are the axes swapped, "
                + "or is the file in British National Grid metres?"
        case .coordinateOutOfRange(let x, let y, .osgb36):
            "the position (\(x), \(y)) is not a British National Grid easting, northing; is the file in "
                + "longitude, latitude?"
        }
    }
}
