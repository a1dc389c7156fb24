/// Turns the raw positions of one ring into a closed ring of National Grid points, checking
/// them on the way. Shared by the GeoJSON and KML readers.
///
/// Decisions: a ring whose last position differs from its first is closed by repeating the
/// first (GeoJSON and KML both require closed rings, but closing is unambiguous and ray
/// casting treats every ring as closed anyway); a ring with fewer than four positions after
/// closing is an error; so is any position that is not finite, not a valid longitude/latitude,
/// or outside Great Britain's National Grid once converted.
struct RingConverter: Sendable {
    /// The system the raw positions are in.
    let system: CoordinateSystem

    /// The closed ring of grid points for raw (x, y) positions: (lon, lat) or (easting, northing).
    func ring(_ xs: [Double], _ ys: [Double]) throws(FeatureProblem) -> [GridPoint] {
        var points: [GridPoint] = []
        points.reserveCapacity(xs.count + 1)
        for i in xs.indices {
            points.append(try point(xs[i], ys[i]))
        }
        if let first = points.first, points.last != first { points.append(first) }
        guard points.count >= 4 else { throw .ringTooShort(points: xs.count) }
        return points
    }

    /// One position, checked and converted.
    func point(_ x: Double, _ y: Double) throws(FeatureProblem) -> GridPoint {
        let grid: GridPoint
        switch system {
        case .wgs84:
            let position = LonLat(lon: x, lat: y)
            guard position.isValid else { throw .coordinateOutOfRange(x: x, y: y, system: system) }
            grid = OSGB36.fromWGS84(position)
        case .osgb36:
            grid = GridPoint(easting: x, northing: y)
        }
        guard OSGB36.isPlausible(grid) else { throw .coordinateOutOfRange(x: x, y: y, system: system) }
        return grid
    }
}
