/// A position on the Ordnance Survey National Grid (British National Grid, EPSG:27700), in
/// metres: the eastings and northings police exports carry. Planar, so distances between
/// nearby grid points are plain Euclidean distances (to within the grid's scale factor,
/// 0.9996 on the central meridian and about 1.0004 at the edges of Great Britain).
public struct GridPoint: Sendable, Hashable, Codable, CustomStringConvertible, BitwiseCopyable {
    /// Metres east of the false origin (0 to 700,000 across Great Britain).
    public var easting: Double
    /// Metres north of the false origin (0 to 1,300,000 across Great Britain).
    public var northing: Double

    /// Creates a grid point from an easting and a northing in metres.
    public init(easting: Double, northing: Double) {
        self.easting = easting
        self.northing = northing
    }

    /// The Euclidean distance to `other`, in grid metres.
    public func distance(to other: GridPoint) -> Double {
        let de = easting - other.easting, dn = northing - other.northing
        return (de * de + dn * dn).squareRoot()
    }

    /// `"E 502000.0 N 221800.0"`, for messages.
    public var description: String { "E \(easting) N \(northing)" }
}
