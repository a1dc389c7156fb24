import CSPGeo
import Foundation

/// Binary spatial weights over a set of areas: for each area, the areas that count as its neighbours (w_ij = 1)
/// and, implicitly, all others (w_ij = 0). The weights of the local statistics (``GetisOrd``).
///
/// Method. Built from the areas' polygons in British National Grid metres (``CSPGeo`` projects WGS84 boundary
/// files to the grid when it reads them), by one of two criteria:
/// - **Queen contiguity**: two areas are neighbours when their boundaries share at least one vertex, two vertices
///   counting as the same when they are at most `tolerance` metres apart (default 0.5 m). Vertices are found with a
///   hash grid of cells `tolerance` wide: every vertex is snapped to its cell and compared only with the vertices of
///   its own and the eight surrounding cells, so the work grows with the number of vertices, not with the square of
///   the number of rings. As in PySAL (`libpysal.weights.Queen`, Rey & Anselin 2007), contiguity is by shared
///   vertices: a vertex lying on another area's edge between two of that area's vertices (a T-junction) is not a
///   contact. ONS boundary files are topologically clean (neighbours share their vertices exactly), and the
///   tolerance also absorbs the rounding of files that were re-projected or re-saved.
/// - **Distance band**: two areas are neighbours when their centroids are at most `metres` apart (`≤`, as
///   `libpysal.weights.DistanceBand`). The centroid is the area-weighted centroid of all the area's polygons, holes
///   subtracted (the centroid of the region, as GEOS/shapely compute it), found with the same hash grid (cells
///   `metres` wide).
///
/// An area with no neighbour (an island: a detached area in a contiguity layer, an outlying one in a distance band,
/// a feature without polygons) is kept and listed in ``islands`` rather than refused; the statistics decide what to
/// do with it. Self-weights are not stored: Gi* adds w_ii = 1 itself.
///
/// Storage is compressed sparse rows: the neighbours of area i are `neighbourIndices[offsets[i]..<offsets[i + 1]]`,
/// ascending, without i. Reference: Rey, S. J. and Anselin, L. (2007), PySAL: a Python library of spatial analytical
/// methods, *Review of Regional Studies* 37(1), 5–27.
struct SpatialWeights: Sendable, Equatable {
    /// How the neighbours were decided, for the methods text and lineage.
    enum Criterion: Sendable, Equatable {
        /// Shared boundary vertex, within the tolerance in metres.
        case queen(toleranceMetres: Double)
        /// Centroids within the band, in metres.
        case distanceBand(metres: Double)
        /// Neighbour lists given by the caller.
        case given
    }

    /// The areas' codes, in the order of the features or lists the weights were built from.
    let codes: [String]
    /// How the neighbours were decided.
    let criterion: Criterion
    /// Start of each area's neighbours in ``neighbourIndices``; `count + 1` entries, the last one the total.
    let offsets: [Int]
    /// The neighbours of every area, area by area, each area's ascending.
    let neighbourIndices: [Int]

    /// Weights from neighbour lists (`neighbours[i]` are the indices of area i's neighbours); repeated entries and
    /// area i itself are dropped. The lists need not be symmetric.
    /// Precondition: `codes` and `neighbours` have the same length and every index is in range.
    init(codes: [String], neighbours: [[Int]]) {
        precondition(codes.count == neighbours.count, "one neighbour list per area")
        var offsets = [0]
        offsets.reserveCapacity(codes.count + 1)
        var indices: [Int] = []
        for (i, list) in neighbours.enumerated() {
            let sorted = Set(list).subtracting([i]).sorted()
            precondition(sorted.allSatisfy { (0..<codes.count).contains($0) }, "neighbour index out of range")
            indices.append(contentsOf: sorted)
            offsets.append(indices.count)
        }
        self.init(codes: codes, criterion: .given, offsets: offsets, neighbourIndices: indices)
    }

    private init(codes: [String], criterion: Criterion, offsets: [Int], neighbourIndices: [Int]) {
        self.codes = codes
        self.criterion = criterion
        self.offsets = offsets
        self.neighbourIndices = neighbourIndices
    }

    /// The number of areas.
    var count: Int { codes.count }

    /// The neighbours of area `i`, ascending, without `i`.
    func neighbours(of i: Int) -> ArraySlice<Int> {
        neighbourIndices[offsets[i]..<offsets[i + 1]]
    }

    /// The number of neighbours of each area (without itself).
    var cardinalities: [Int] {
        (0..<count).map { offsets[$0 + 1] - offsets[$0] }
    }

    /// The indices of the areas without any neighbour.
    var islands: [Int] {
        (0..<count).filter { offsets[$0 + 1] == offsets[$0] }
    }

    /// The number of neighbour pairs {i, j}, for symmetric weights (both criteria give symmetric weights).
    var pairCount: Int { neighbourIndices.count / 2 }

    /// Queen contiguity of `features`: neighbours share a boundary vertex, to within `tolerance` metres.
    /// Precondition: `tolerance` is positive and finite.
    static func queen(_ features: [AreaFeature], tolerance: Double = 0.5) -> SpatialWeights {
        precondition(tolerance > 0 && tolerance.isFinite, "the vertex tolerance must be a positive number of metres")
        var xs: [Double] = [], ys: [Double] = [], owners: [Int] = []
        let vertices = features.reduce(0) { total, f in total + f.polygons.reduce(0) { $0 + $1.exterior.count + $1.holes.reduce(0) { $0 + $1.count } } }
        xs.reserveCapacity(vertices); ys.reserveCapacity(vertices); owners.reserveCapacity(vertices)
        for (f, feature) in features.enumerated() {
            for polygon in feature.polygons {
                for ring in polygon.rings {
                    // Rings are closed: the last vertex repeats the first.
                    for p in ring.dropLast() where p.easting.isFinite && p.northing.isFinite {
                        xs.append(p.easting); ys.append(p.northing); owners.append(f)
                    }
                }
            }
        }
        let pairs = closePairs(xs: xs, ys: ys, owners: owners, areas: features.count, within: tolerance)
        return SpatialWeights(codes: features.map(\.code), criterion: .queen(toleranceMetres: tolerance), pairs: pairs)
    }

    /// Distance-band weights of `features`: neighbours have area-weighted centroids at most `metres` apart.
    /// A feature without a centroid (no polygons, or no area) is an island.
    /// Precondition: `metres` is positive and finite.
    static func distanceBand(_ features: [AreaFeature], metres: Double) -> SpatialWeights {
        distanceBand(codes: features.map(\.code), centroids: features.map(centroid(of:)), metres: metres)
    }

    /// Distance-band weights of points (one per area; nil for an area without one, which is an island).
    /// Precondition: `metres` is positive and finite.
    static func distanceBand(codes: [String], centroids: [GridPoint?], metres: Double) -> SpatialWeights {
        precondition(metres > 0 && metres.isFinite, "the distance band must be a positive number of metres")
        precondition(codes.count == centroids.count, "one centroid per area")
        var xs: [Double] = [], ys: [Double] = [], owners: [Int] = []
        for (i, c) in centroids.enumerated() {
            guard let c, c.easting.isFinite, c.northing.isFinite else { continue }
            xs.append(c.easting); ys.append(c.northing); owners.append(i)
        }
        let pairs = closePairs(xs: xs, ys: ys, owners: owners, areas: codes.count, within: metres)
        return SpatialWeights(codes: codes, criterion: .distanceBand(metres: metres), pairs: pairs)
    }

    /// The area-weighted centroid of a feature's polygons (holes subtracted), in grid metres; nil when the feature
    /// has no polygons or no area. Each ring is summed by the shoelace formula relative to the feature's first vertex
    /// (which keeps the products small), whatever the ring's orientation.
    static func centroid(of feature: AreaFeature) -> GridPoint? {
        guard let origin = feature.polygons.first?.exterior.first else { return nil }
        var area = 0.0, momentX = 0.0, momentY = 0.0
        for polygon in feature.polygons {
            for (r, ring) in polygon.rings.enumerated() {
                var a = 0.0, mx = 0.0, my = 0.0
                for k in 0..<max(ring.count - 1, 0) {
                    let x0 = ring[k].easting - origin.easting, y0 = ring[k].northing - origin.northing
                    let x1 = ring[k + 1].easting - origin.easting, y1 = ring[k + 1].northing - origin.northing
                    let cross = x0 * y1 - x1 * y0
                    a += cross
                    mx += (x0 + x1) * cross
                    my += (y0 + y1) * cross
                }
                // Exterior rings add, holes subtract, whichever way each ring runs.
                let sign: Double = (a < 0) == (r == 0) ? -1 : 1
                area += sign * a / 2
                momentX += sign * mx / 6
                momentY += sign * my / 6
            }
        }
        guard area > 0, area.isFinite else { return nil }
        return GridPoint(easting: origin.easting + momentX / area, northing: origin.northing + momentY / area)
    }

    /// Weights from unordered pairs encoded `i * areas + j` with i < j, sorted and without repeats.
    private init(codes: [String], criterion: Criterion, pairs: [Int]) {
        let n = codes.count
        var degree = [Int](repeating: 0, count: n)
        for key in pairs {
            degree[key / n] += 1
            degree[key % n] += 1
        }
        var offsets = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { offsets[i + 1] = offsets[i] + degree[i] }
        var next = Array(offsets.dropLast())
        var indices = [Int](repeating: 0, count: pairs.count * 2)
        // Pairs are sorted by (i, j): each i's lower neighbours arrive before its higher ones, so each list is ascending.
        for key in pairs {
            let i = key / n, j = key % n
            indices[next[i]] = j; next[i] += 1
            indices[next[j]] = i; next[j] += 1
        }
        self.init(codes: codes, criterion: criterion, offsets: offsets, neighbourIndices: indices)
    }

    /// A cell of the hash grid.
    private struct Cell: Hashable {
        var x: Int
        var y: Int
    }

    /// The pairs of different owners having points at most `within` apart, each encoded `i * areas + j` with
    /// i < j, sorted and without repeats. Points are sorted by grid cell (cells `within` wide); a dictionary
    /// gives each occupied cell's first point, and each point is compared with the points of the 3 × 3 cells
    /// around its own.
    private static func closePairs(xs: [Double], ys: [Double], owners: [Int], areas: Int, within: Double) -> [Int] {
        let m = xs.count
        guard m > 1 else { return [] }
        // Cells as integers; points farther out than any grid (±10^15 cells) share the edge cells.
        let limit = 1e15
        func cell(_ v: Double) -> Int { Int(max(-limit, min(limit, (v / within).rounded(.down)))) }
        let rawX = xs.map(cell), rawY = ys.map(cell)
        let order = (0..<m).sorted { rawX[$0] != rawX[$1] ? rawX[$0] < rawX[$1] : rawY[$0] < rawY[$1] }
        // The points in cell order, as flat arrays.
        var px = [Double](repeating: 0, count: m), py = [Double](repeating: 0, count: m)
        var cx = [Int](repeating: 0, count: m), cy = [Int](repeating: 0, count: m), owner = [Int](repeating: 0, count: m)
        for (k, i) in order.enumerated() {
            px[k] = xs[i]; py[k] = ys[i]; cx[k] = rawX[i]; cy[k] = rawY[i]; owner[k] = owners[i]
        }
        var first: [Cell: Int] = [:]
        first.reserveCapacity(m)
        for k in 0..<m where k == 0 || cx[k] != cx[k - 1] || cy[k] != cy[k - 1] {
            first[Cell(x: cx[k], y: cy[k])] = k
        }
        let within2 = within * within
        var pairs: [Int] = []
        for k in 0..<m {
            let x = px[k], y = py[k], a = owner[k]
            for dx in -1...1 {
                for dy in -1...1 {
                    let nx = cx[k] + dx, ny = cy[k] + dy
                    guard var q = first[Cell(x: nx, y: ny)] else { continue }
                    while q < m && cx[q] == nx && cy[q] == ny {
                        let b = owner[q]
                        if a < b {
                            let ex = px[q] - x, ey = py[q] - y
                            if ex * ex + ey * ey <= within2 { pairs.append(a * areas + b) }
                        }
                        q += 1
                    }
                }
            }
        }
        pairs.sort()
        var unique: [Int] = []
        unique.reserveCapacity(pairs.count)
        for key in pairs where unique.last != key { unique.append(key) }
        return unique
    }
}
