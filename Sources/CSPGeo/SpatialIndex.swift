/// Point-in-polygon lookups against the features of a layer, fast enough for millions of
/// points.
///
/// **How it works.** Each feature's edges are bucketed into horizontal bands so that the
/// even-odd ray cast for one point looks only at the few edges whose height range holds the
/// point (``contains(feature:_:)``). Over the whole layer sits a uniform grid of cells, about
/// 16 per edge. A cell that no boundary crosses is resolved when the index is built (the
/// feature holding its centre, or none), so most lookups cost one array read; a cell that
/// boundaries cross lists the features whose edges cross it, and only those are ray-cast.
///
/// **Boundary rule.** Containment is the even-odd rule with a half-open crossing test: an edge
/// counts for a ray cast east from the point when its lower end is at or below the point's
/// northing and its upper end strictly above, and it meets that northing strictly east of the
/// point. Both features sharing an edge store it identically, so every point of a shared
/// boundary belongs to exactly one of them: a point on a shared north–south edge goes to the
/// feature to its east, a point on a shared east–west edge to the feature to its north, and
/// a shared vertex to the feature north-east of it. Equivalently each feature owns its west
/// and south boundaries and not its east and north ones. Where features overlap, the first
/// in feature order wins. The answer for a given point is always the same.
public struct SpatialIndex: Sendable {
    /// One non-horizontal edge, lower end first, with its inverse slope precomputed.
    struct Edge: Sendable {
        var x0: Double
        var y0: Double
        var y1: Double
        /// d(easting)/d(northing) along the edge.
        var slope: Double
    }

    /// Per feature: bounds and where its bands start in `bandStarts`.
    struct FeatureBands: Sendable {
        var minX, minY, maxX, maxY: Double
        var inverseBandHeight: Double
        var bandCount: Int
        /// Index of the feature's first entry in `bandStarts` (it has `bandCount + 1`).
        var firstBand: Int
        /// False for a feature without polygons, which contains nothing.
        var isEmpty: Bool
    }

    var features: [FeatureBands] = []
    var bandStarts: [Int32] = []
    var edges: [Edge] = []

    // The uniform grid over the layer's bounds.
    var gridMinX = 0.0, gridMinY = 0.0, gridMaxX = -1.0, gridMaxY = -1.0
    var inverseCellWidth = 0.0, inverseCellHeight = 0.0
    var columns = 0, rows = 0
    /// Per cell: the first feature wholly containing the cell, or -1.
    var cellOwner: [Int32] = []
    /// Per cell: where its candidate list starts in `candidates` (`columns * rows + 1` entries).
    var cellStarts: [Int32] = []
    /// Feature indices crossing each cell, ascending, all below the cell's owner.
    var candidates: [Int32] = []

    /// The number of cells in the grid, for diagnostics.
    public var cellCount: Int { columns * rows }

    /// An empty index, filled by ``AreaLayer/unarchived(_:)``.
    init() {}

    /// Builds the index for `features` (their order decides overlaps).
    public init(features areas: [AreaFeature]) {
        buildBands(areas)
        buildGrid(areas)
    }

    /// The index of the first feature containing `p` under the boundary rule, or nil.
    public func locate(_ p: GridPoint) -> Int? {
        let found = locateIndex(p.easting, p.northing)
        return found < 0 ? nil : found
    }

    /// Whether feature `feature` contains `p` under the boundary rule (see the type's summary),
    /// ignoring every other feature.
    public func contains(feature: Int, _ p: GridPoint) -> Bool {
        SpatialIndex.contains(features[feature], p.easting, p.northing, bandStarts, edges)
    }

    /// ``locate(_:)`` on raw coordinates; -1 for none.
    func locateIndex(_ px: Double, _ py: Double) -> Int {
        guard px >= gridMinX, px <= gridMaxX, py >= gridMinY, py <= gridMaxY else { return -1 }
        let column = Swift.min(Int((px - gridMinX) * inverseCellWidth), columns - 1)
        let row = Swift.min(Int((py - gridMinY) * inverseCellHeight), rows - 1)
        let cell = row * columns + column
        let start = Int(cellStarts[cell]), end = Int(cellStarts[cell + 1])
        if start == end { return Int(cellOwner[cell]) }
        for slot in start..<end {
            let f = Int(candidates[slot])
            if SpatialIndex.contains(features[f], px, py, bandStarts, edges) { return f }
        }
        return Int(cellOwner[cell])
    }

    /// The even-odd ray cast of one feature, using only the edges of the point's band.
    @inline(__always)
    static func contains(_ f: FeatureBands, _ px: Double, _ py: Double,
                         _ starts: [Int32], _ edges: [Edge]) -> Bool {
        guard px >= f.minX, px <= f.maxX, py >= f.minY, py <= f.maxY, !f.isEmpty else { return false }
        let band = Swift.min(Int((py - f.minY) * f.inverseBandHeight), f.bandCount - 1)
        let lo = Int(starts[f.firstBand + band]), hi = Int(starts[f.firstBand + band + 1])
        var inside = false
        for i in lo..<hi {
            let e = edges[i]
            if e.y0 <= py, py < e.y1, e.x0 + (py - e.y0) * e.slope > px {
                inside.toggle()
            }
        }
        return inside
    }
}
