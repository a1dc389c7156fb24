extension SpatialIndex {
    /// Target number of grid cells per edge of the layer.
    static let cellsPerEdge = 16
    /// The most cells the grid may have (8 bytes each).
    static let maxCells = 1 << 21

    /// Fills `features`, `bandStarts` and `edges`: each feature's non-horizontal edges, lower
    /// end first, bucketed into bands of equal height over the feature's bounds.
    mutating func buildBands(_ areas: [AreaFeature]) {
        for area in areas {
            var featureEdges: [Edge] = []
            for polygon in area.polygons {
                for ring in polygon.rings {
                    for i in 0..<Swift.max(ring.count - 1, 0) {
                        if let edge = SpatialIndex.edge(ring[i], ring[i + 1]) { featureEdges.append(edge) }
                    }
                }
            }
            guard let bounds = area.bounds, !featureEdges.isEmpty else {
                features.append(FeatureBands(minX: 0, minY: 0, maxX: -1, maxY: -1, inverseBandHeight: 0,
                                             bandCount: 1, firstBand: bandStarts.count, isEmpty: true))
                bandStarts.append(contentsOf: [Int32(edges.count), Int32(edges.count)])
                continue
            }
            let height = bounds.max.northing - bounds.min.northing
            let bandCount = Swift.max(1, Swift.min(featureEdges.count / 2, 4096))
            let inverse = height > 0 ? Double(bandCount) / height : 0
            func band(_ y: Double) -> Int {
                Swift.max(0, Swift.min(Int((y - bounds.min.northing) * inverse), bandCount - 1))
            }
            var buckets = [[Edge]](repeating: [], count: bandCount)
            for edge in featureEdges {
                for b in band(edge.y0)...band(edge.y1) { buckets[b].append(edge) }
            }
            features.append(FeatureBands(minX: bounds.min.easting, minY: bounds.min.northing,
                                         maxX: bounds.max.easting, maxY: bounds.max.northing,
                                         inverseBandHeight: inverse, bandCount: bandCount,
                                         firstBand: bandStarts.count, isEmpty: false))
            for bucket in buckets {
                bandStarts.append(Int32(edges.count))
                edges.append(contentsOf: bucket)
            }
            bandStarts.append(Int32(edges.count))
        }
    }

    /// The canonical form of the edge from `a` to `b` (the same whichever way it runs), or nil
    /// when it is horizontal and so never crossed by an eastward ray under the half-open rule.
    static func edge(_ a: GridPoint, _ b: GridPoint) -> Edge? {
        if a.northing == b.northing { return nil }
        let (lo, hi) = a.northing < b.northing ? (a, b) : (b, a)
        return Edge(x0: lo.easting, y0: lo.northing, y1: hi.northing,
                    slope: (hi.easting - lo.easting) / (hi.northing - lo.northing))
    }

    /// Fills the uniform grid: which features' boundaries cross each cell, and for the others
    /// which feature (if any) holds the whole cell.
    mutating func buildGrid(_ areas: [AreaFeature]) {
        let boxes = areas.compactMap(\.bounds)
        guard let layerBounds = boxes.dropFirst().reduce(boxes.first, { $0?.union($1) }) else {
            columns = 0; rows = 0; cellStarts = [0]
            return
        }
        let totalEdges = areas.reduce(0) { sum, area in
            sum + area.polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + Swift.max($1.count - 1, 0) } }
        }
        let width = Swift.max(layerBounds.max.easting - layerBounds.min.easting, 1e-3)
        let height = Swift.max(layerBounds.max.northing - layerBounds.min.northing, 1e-3)
        let target = Double(Swift.max(64, Swift.min(totalEdges * SpatialIndex.cellsPerEdge, SpatialIndex.maxCells)))
        let cellSide = (width * height / target).squareRoot()
        columns = Swift.max(1, Swift.min(Int((width / cellSide).rounded(.up)), 4096))
        rows = Swift.max(1, Swift.min(Int((height / cellSide).rounded(.up)), 4096))
        gridMinX = layerBounds.min.easting; gridMinY = layerBounds.min.northing
        gridMaxX = layerBounds.max.easting; gridMaxY = layerBounds.max.northing
        inverseCellWidth = Double(columns) / width
        inverseCellHeight = Double(rows) / height
        let cellWidth = width / Double(columns), cellHeight = height / Double(rows)
        let slack = 1e-6 * Swift.max(cellWidth, cellHeight) + 1e-6

        // Which features' boundaries touch each cell (conservatively: the cell grown by `slack`).
        var crossing = [[Int32]](repeating: [], count: columns * rows)
        for (f, area) in areas.enumerated() {
            for polygon in area.polygons {
                for ring in polygon.rings {
                    for i in 0..<Swift.max(ring.count - 1, 0) {
                        markCells(ring[i], ring[i + 1], feature: Int32(f), cellWidth: cellWidth,
                                  cellHeight: cellHeight, slack: slack, into: &crossing)
                    }
                }
            }
        }

        // The first feature wholly holding each uncrossed cell, tested at the cell's centre.
        cellOwner = [Int32](repeating: -1, count: columns * rows)
        for (f, area) in areas.enumerated() {
            guard let box = area.bounds else { continue }
            let c0 = column(of: box.min.easting), c1 = column(of: box.max.easting)
            let r0 = row(of: box.min.northing), r1 = row(of: box.max.northing)
            for r in r0...r1 {
                for c in c0...c1 {
                    let cell = r * columns + c
                    if cellOwner[cell] >= 0 || crossing[cell].contains(Int32(f)) { continue }
                    let centre = GridPoint(easting: gridMinX + (Double(c) + 0.5) * cellWidth,
                                           northing: gridMinY + (Double(r) + 0.5) * cellHeight)
                    if contains(feature: f, centre) { cellOwner[cell] = Int32(f) }
                }
            }
        }

        cellStarts.reserveCapacity(columns * rows + 1)
        for cell in 0..<(columns * rows) {
            cellStarts.append(Int32(candidates.count))
            let owner = cellOwner[cell]
            for f in crossing[cell] where owner < 0 || f < owner { candidates.append(f) }
        }
        cellStarts.append(Int32(candidates.count))
    }

    /// The grid column holding easting `x`, clamped to the grid.
    func column(of x: Double) -> Int {
        Swift.max(0, Swift.min(Int((x - gridMinX) * inverseCellWidth), columns - 1))
    }

    /// The grid row holding northing `y`, clamped to the grid.
    func row(of y: Double) -> Int {
        Swift.max(0, Swift.min(Int((y - gridMinY) * inverseCellHeight), rows - 1))
    }

    /// Appends `feature` to every cell the segment from `a` to `b` may touch. Features arrive
    /// in ascending order, so each list stays sorted and a repeat is always the last entry.
    private func markCells(_ a: GridPoint, _ b: GridPoint, feature: Int32, cellWidth: Double,
                           cellHeight: Double, slack: Double, into crossing: inout [[Int32]]) {
        let c0 = column(of: Swift.min(a.easting, b.easting) - slack)
        let c1 = column(of: Swift.max(a.easting, b.easting) + slack)
        let r0 = row(of: Swift.min(a.northing, b.northing) - slack)
        let r1 = row(of: Swift.max(a.northing, b.northing) + slack)
        let dx = b.easting - a.easting, dy = b.northing - a.northing
        let tolerance = (dx * dx + dy * dy).squareRoot() * slack
        for r in r0...r1 {
            let y0 = gridMinY + Double(r) * cellHeight - slack, y1 = y0 + cellHeight + 2 * slack
            for c in c0...c1 {
                let cell = r * columns + c
                if crossing[cell].last == feature { continue }
                if c1 > c0 && r1 > r0 {
                    // Skip cells whose four corners all lie strictly on one side of the line.
                    let x0 = gridMinX + Double(c) * cellWidth - slack, x1 = x0 + cellWidth + 2 * slack
                    var above = 0, below = 0
                    for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
                        let side = dx * (y - a.northing) - dy * (x - a.easting)
                        if side > tolerance { above += 1 } else if side < -tolerance { below += 1 }
                    }
                    if above == 4 || below == 4 { continue }
                }
                crossing[cell].append(feature)
            }
        }
    }
}
