/// A set of areas of one kind (wards, LSOAs, SNT areas, named places) with a spatial index
/// for point-in-polygon lookups.
///
/// **One coordinate system.** Polygons are stored in British National Grid metres
/// (EPSG:27700), whatever the file used: WGS84 boundary files (ONS GeoJSON, KML) are
/// transformed once, vertex by vertex, when they are loaded. The grid is planar and nearly
/// true to scale across Britain, so containment and distances need no spherical geometry;
/// police exports' OSGB36 eastings and northings are looked up with no transformation at
/// all, and WGS84 points (data.police.uk) are transformed once each by ``locate(_:)-(LonLat)``.
/// The transformation is accurate to about 5 m (see ``OSGB36``), the same for the boundary
/// and the point, so a WGS84 point and a WGS84 boundary keep their relative positions to
/// well under a millimetre over a few kilometres.
///
/// See ``SpatialIndex`` for the boundary rule: every point gets at most one feature, the
/// same every time.
public struct AreaLayer: Sendable {
    /// Where the layer came from (a file path), for messages and lineage.
    public let source: String
    /// The areas, in file order; lookups answer an index into this array.
    public let features: [AreaFeature]
    /// The index used by ``locate(_:)-(GridPoint)``.
    public let index: SpatialIndex
    /// The first area of each code, for ``index(ofCode:)`` (a national ward layer has 7,589 areas).
    private let codeIndex: [String: Int]

    /// Creates a layer from features in National Grid metres and builds its index.
    public init(source: String, features: [AreaFeature]) {
        self.init(source: source, features: features, index: SpatialIndex(features: features))
    }

    /// A layer with an index already built for `features` (read back from an archive).
    init(source: String, features: [AreaFeature], index: SpatialIndex) {
        self.source = source
        self.features = features
        self.index = index
        var codes: [String: Int] = [:]
        for (i, f) in features.enumerated() where codes[f.code] == nil { codes[f.code] = i }
        codeIndex = codes
    }

    /// The number of areas.
    public var count: Int { features.count }

    /// The index of the area holding `p`, or nil when none does.
    public func locate(_ p: GridPoint) -> Int? {
        index.locate(p)
    }

    /// The index of the area holding the WGS84 position `p` (transformed to the grid once),
    /// or nil when none does or `p` is not a valid longitude and latitude.
    public func locate(_ p: LonLat) -> Int? {
        guard p.isValid else { return nil }
        return index.locate(OSGB36.fromWGS84(p))
    }

    /// The area holding `p`, or nil.
    public func feature(containing p: GridPoint) -> AreaFeature? {
        locate(p).map { features[$0] }
    }

    /// The index of the first area with code `code`, or nil.
    public func index(ofCode code: String) -> Int? {
        codeIndex[code]
    }

    /// The area whose boundary is nearest to `p`, if within `metres`; ties go to the first.
    /// For points that fall just outside every area (a location anonymised or rounded across
    /// the edge of the district). Scans the edges of the areas whose bounds are near `p`,
    /// so it is much slower than ``locate(_:)-(GridPoint)``: call it only for misses.
    public func nearest(to p: GridPoint, within metres: Double) -> (feature: Int, distance: Double)? {
        var best: (feature: Int, distance: Double)?
        for (f, feature) in features.enumerated() {
            guard let box = feature.bounds, box.expanded(by: metres).contains(p) else { continue }
            var nearest = Double.infinity
            for polygon in feature.polygons {
                for ring in polygon.rings {
                    for i in 0..<Swift.max(ring.count - 1, 0) {
                        nearest = Swift.min(nearest, AreaLayer.distance(p, ring[i], ring[i + 1]))
                    }
                }
            }
            if nearest <= metres, nearest < (best?.distance ?? .infinity) { best = (f, nearest) }
        }
        return best
    }

    /// ``locate(_:)-(GridPoint)``, falling back to ``nearest(to:within:)``.
    public func locate(_ p: GridPoint, orNearestWithin metres: Double) -> Int? {
        locate(p) ?? nearest(to: p, within: metres)?.feature
    }

    /// The distance from `p` to the segment from `a` to `b`.
    static func distance(_ p: GridPoint, _ a: GridPoint, _ b: GridPoint) -> Double {
        let dx = b.easting - a.easting, dy = b.northing - a.northing
        let lengthSquared = dx * dx + dy * dy
        var t = lengthSquared > 0
            ? ((p.easting - a.easting) * dx + (p.northing - a.northing) * dy) / lengthSquared : 0
        t = Swift.max(0, Swift.min(1, t))
        return p.distance(to: GridPoint(easting: a.easting + t * dx, northing: a.northing + t * dy))
    }
}
