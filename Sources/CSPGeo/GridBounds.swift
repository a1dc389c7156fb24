/// An axis-aligned rectangle on the National Grid, closed on every side.
public struct GridBounds: Sendable, Hashable {
    /// The south-west corner.
    public var min: GridPoint
    /// The north-east corner.
    public var max: GridPoint

    /// Creates bounds from two corners.
    public init(min: GridPoint, max: GridPoint) {
        self.min = min
        self.max = max
    }

    /// The smallest bounds holding every point of `points`; nil when it is empty.
    public init?<S: Sequence>(enclosing points: S) where S.Element == GridPoint {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        var lo = first, hi = first
        while let p = iterator.next() {
            lo.easting = Swift.min(lo.easting, p.easting); lo.northing = Swift.min(lo.northing, p.northing)
            hi.easting = Swift.max(hi.easting, p.easting); hi.northing = Swift.max(hi.northing, p.northing)
        }
        self.init(min: lo, max: hi)
    }

    /// Whether `p` lies inside or on the rectangle.
    @inlinable public func contains(_ p: GridPoint) -> Bool {
        p.easting >= min.easting && p.easting <= max.easting
            && p.northing >= min.northing && p.northing <= max.northing
    }

    /// The smallest bounds holding both.
    public func union(_ other: GridBounds) -> GridBounds {
        GridBounds(
            min: GridPoint(easting: Swift.min(min.easting, other.min.easting),
                           northing: Swift.min(min.northing, other.min.northing)),
            max: GridPoint(easting: Swift.max(max.easting, other.max.easting),
                           northing: Swift.max(max.northing, other.max.northing)))
    }

    /// These bounds grown by `metres` on every side.
    public func expanded(by metres: Double) -> GridBounds {
        GridBounds(min: GridPoint(easting: min.easting - metres, northing: min.northing - metres),
                   max: GridPoint(easting: max.easting + metres, northing: max.northing + metres))
    }
}
