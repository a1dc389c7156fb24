/// One polygon of an area: an exterior ring and any holes, in National Grid metres.
///
/// Rings are stored closed (the last point repeats the first) and have at least four points.
/// Orientation does not matter: containment uses the even-odd rule over all rings.
public struct AreaPolygon: Sendable, Hashable {
    /// The outer boundary.
    public let exterior: [GridPoint]
    /// Inner boundaries (holes), each closed.
    public let holes: [[GridPoint]]

    /// Creates a polygon; open rings are closed by repeating their first point.
    /// Precondition: every ring has at least three distinct positions.
    public init(exterior: [GridPoint], holes: [[GridPoint]] = []) {
        self.exterior = AreaPolygon.closed(exterior)
        self.holes = holes.map(AreaPolygon.closed)
    }

    /// The exterior ring followed by the holes.
    public var rings: [[GridPoint]] { [exterior] + holes }

    /// `ring` with its first point appended when it does not already end there.
    static func closed(_ ring: [GridPoint]) -> [GridPoint] {
        guard let first = ring.first, ring.last != first else { return ring }
        return ring + [first]
    }
}
