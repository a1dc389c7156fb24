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
