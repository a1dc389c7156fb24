/// One area of a boundary layer (a ward, an LSOA, an SNT area, a named place): its code, its
/// name and its polygons in National Grid metres.
public struct AreaFeature: Sendable, Hashable {
    /// The area's code as the file gives it (`"E05008779"`, `"E01017371"`).
    public let code: String
    /// The area's name (`"Arlesey"`); the code again when the file has no name for it.
    public let name: String
    /// One polygon for a Polygon, several for a MultiPolygon or KML MultiGeometry.
    public let polygons: [AreaPolygon]

    /// Creates a feature.
    public init(code: String, name: String, polygons: [AreaPolygon]) {
        self.code = code
        self.name = name
        self.polygons = polygons
    }

    /// The rectangle holding every ring; nil for a feature without polygons.
    public var bounds: GridBounds? {
        GridBounds(enclosing: polygons.lazy.flatMap(\.exterior))
    }
}
