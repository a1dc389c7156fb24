import CSPTestSupport
import Foundation
import Testing
@testable import CSPGeo

@Suite("SpatialIndex")
struct SpatialIndexTests {
    /// Two 1 km squares side by side (west, east) and one above the west one (north).
    static let squares = AreaLayer(source: "squares", features: [
        PolygonBuilder.rectangle(code: "W", name: "West", min: GridPoint(easting: 500_000, northing: 220_000),
                                 max: GridPoint(easting: 501_000, northing: 221_000)),
        PolygonBuilder.rectangle(code: "E", name: "East", min: GridPoint(easting: 501_000, northing: 220_000),
                                 max: GridPoint(easting: 502_000, northing: 221_000)),
        PolygonBuilder.rectangle(code: "N", name: "North", min: GridPoint(easting: 500_000, northing: 221_000),
                                 max: GridPoint(easting: 501_000, northing: 222_000)),
    ])

    @Test(arguments: [
        (501_000.0, 220_500.0, 1),  // shared north-south edge: the feature to the east
        (500_500.0, 221_000.0, 2),  // shared east-west edge: the feature to the north
        (501_000.0, 221_000.0, nil as Int?),  // corner of W, E and N: north-east of it is nothing
        (500_000.0, 220_500.0, 0),  // west edge of the layer: owned
        (502_000.0, 220_500.0, nil),  // east edge of the layer: not owned
        (500_500.0, 220_000.0, 0),  // south edge: owned
        (500_500.0, 222_000.0, nil),  // north edge: not owned
        (501_000.0, 220_000.0, 1),  // south-west corner of E
    ] as [(Double, Double, Int?)])
    func pointOnABoundaryGetsOneAnswer(e: Double, n: Double, expected: Int?) {
        let layer = SpatialIndexTests.squares
        let p = GridPoint(easting: e, northing: n)
        #expect(layer.locate(p) == expected)
        for _ in 0..<3 { #expect(layer.locate(p) == expected) }
        let owners = layer.features.indices.filter { layer.index.contains(feature: $0, p) }
        #expect(owners.count <= 1)
        #expect(owners.first == expected)
    }

    @Test func sharedDiagonalEdgeIsOwnedOnce() {
        // Two triangles sharing a diagonal, written in opposite directions.
        let a = GridPoint(easting: 0, northing: 0), b = GridPoint(easting: 1000, northing: 700)
        let layer = AreaLayer(source: "triangles", features: [
            PolygonBuilder.feature(code: "L", name: "Lower", ring: [a, GridPoint(easting: 1000, northing: 0), b, a]),
            PolygonBuilder.feature(code: "U", name: "Upper", ring: [b, GridPoint(easting: 0, northing: 700), a, b]),
        ])
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let t = Double(generator.next() % 1_000_000) / 1_000_000
            let p = GridPoint(easting: t * 1000, northing: t * 700)
            let owners = layer.features.indices.filter { layer.index.contains(feature: $0, p) }
            #expect(owners.count == 1, "\(p) owned by \(owners)")
            #expect(layer.locate(p) == owners.first)
        }
    }

    @Test func overlapsGoToTheFirstFeature() {
        let big = PolygonBuilder.rectangle(code: "BIG", name: "Big", min: GridPoint(easting: 0, northing: 0),
                                           max: GridPoint(easting: 10_000, northing: 10_000))
        let small = PolygonBuilder.rectangle(code: "S", name: "Small", min: GridPoint(easting: 4_000, northing: 4_000),
                                             max: GridPoint(easting: 5_000, northing: 5_000))
        #expect(AreaLayer(source: "a", features: [small, big]).locate(GridPoint(easting: 4_500, northing: 4_500)) == 0)
        #expect(AreaLayer(source: "b", features: [big, small]).locate(GridPoint(easting: 4_500, northing: 4_500)) == 0)
        #expect(AreaLayer(source: "a", features: [small, big]).locate(GridPoint(easting: 1_000, northing: 1_000)) == 1)
    }

    @Test func indexAgreesWithBruteForce() throws {
        // Random star-shaped polygons (overlapping, with holes) against a linear scan.
        var generator = SplitMix64(seed: 42)
        var features: [AreaFeature] = []
        for f in 0..<40 {
            let ce = 500_000 + Double(generator.next() % 20_000), cn = 220_000 + Double(generator.next() % 20_000)
            let count = 5 + Int(generator.next() % 60)
            var ring: [GridPoint] = []
            for k in 0..<count {
                let angle = Double(k) / Double(count) * 2 * .pi
                let r = 500 + Double(generator.next() % 3_000)
                ring.append(GridPoint(easting: ce + r * cos(angle), northing: cn + r * sin(angle)))
            }
            let hole = [(-100.0, -100.0), (100, -100), (100, 100), (-100, 100)].map {
                GridPoint(easting: ce + $0.0, northing: cn + $0.1)
            }
            features.append(PolygonBuilder.feature(code: "F\(f)", name: "F\(f)", ring: ring, holes: f % 3 == 0 ? [hole] : []))
        }
        let layer = AreaLayer(source: "random", features: features)
        for _ in 0..<20_000 {
            let p = GridPoint(easting: 497_000 + Double(generator.next() % 26_000_000) / 1000,
                              northing: 217_000 + Double(generator.next() % 26_000_000) / 1000)
            let brute = features.indices.first { layer.index.contains(feature: $0, p) }
            let slow = features.indices.first { SpatialIndexTests.evenOdd(features[$0], p) }
            #expect(layer.locate(p) == brute)
            #expect(brute == slow)
        }
    }

    @Test func nearestFindsPointsJustOutside() {
        let layer = SpatialIndexTests.squares
        let outside = GridPoint(easting: 502_030, northing: 220_500)
        #expect(layer.locate(outside) == nil)
        #expect(layer.nearest(to: outside, within: 50)?.feature == 1)
        #expect(abs((layer.nearest(to: outside, within: 50)?.distance ?? 0) - 30) < 1e-9)
        #expect(layer.nearest(to: outside, within: 20) == nil)
        #expect(layer.locate(outside, orNearestWithin: 50) == 1)
    }

    @Test func degenerateFeaturesDoNotBreakTheIndex() {
        let layer = AreaLayer(source: "odd", features: [
            AreaFeature(code: "EMPTY", name: "No polygons", polygons: []),
            AreaFeature(code: "FLAT", name: "Flat", polygons: [AreaPolygon(exterior: [
                GridPoint(easting: 0, northing: 0), GridPoint(easting: 10, northing: 0), GridPoint(easting: 5, northing: 0)])]),
            AreaFeature(code: "NORING", name: "Empty ring", polygons: [AreaPolygon(exterior: [])]),
            PolygonBuilder.rectangle(code: "OK", name: "Fine", min: GridPoint(easting: 0, northing: 0),
                                     max: GridPoint(easting: 10, northing: 10)),
        ])
        #expect(layer.locate(GridPoint(easting: 5, northing: 5)) == 3)
        #expect(layer.locate(GridPoint(easting: 5, northing: 0)) == 3)
        #expect(layer.locate(GridPoint(easting: 50, northing: 5)) == nil)
    }

    @Test func emptyLayerLocatesNothing() {
        let layer = AreaLayer(source: "empty", features: [])
        #expect(layer.locate(GridPoint(easting: 500_000, northing: 200_000)) == nil)
        #expect(layer.index.cellCount == 0)
    }

    /// The textbook even-odd test over every edge, for comparison.
    static func evenOdd(_ feature: AreaFeature, _ p: GridPoint) -> Bool {
        var inside = false
        for polygon in feature.polygons {
            for ring in polygon.rings {
                for i in 0..<(ring.count - 1) {
                    let a = ring[i], b = ring[i + 1]
                    guard (a.northing > p.northing) != (b.northing > p.northing) else { continue }
                    let (lo, hi) = a.northing < b.northing ? (a, b) : (b, a)
                    let x = lo.easting + (p.northing - lo.northing) * ((hi.easting - lo.easting) / (hi.northing - lo.northing))
                    if x > p.easting { inside.toggle() }
                }
            }
        }
        return inside
    }
}

