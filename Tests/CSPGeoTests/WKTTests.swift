import Testing
@testable import CSPGeo

/// The outline codec stage 3 writes with and stage 5 reads with.
@Suite struct WKTTests {
    @Test func writesWholeMetresClosedRingsWithoutRepeats() {
        let square = AreaPolygon(exterior: [GridPoint(easting: 0.4, northing: 0), GridPoint(easting: 10, northing: 0), GridPoint(easting: 10.2, northing: 0.3),
                                            GridPoint(easting: 10, northing: 10), GridPoint(easting: 0, northing: 10)],
                                 holes: [[GridPoint(easting: 2, northing: 2), GridPoint(easting: 3, northing: 2), GridPoint(easting: 3, northing: 3)]])
        let other = AreaPolygon(exterior: [GridPoint(easting: 20, northing: 20), GridPoint(easting: 21, northing: 20), GridPoint(easting: 21, northing: 21)])
        #expect(WKT.multipolygon([square, other])
                == "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2)),((20 20,21 20,21 21,20 20)))")
    }

    @Test func readsBackEveryRingInOrder() {
        let text = "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2)),((20 20,21 20,21 21,20 20)))"
        let rings = WKT.rings(text)
        #expect(rings.map(\.count) == [5, 4, 4])
        #expect(rings[1][2] == GridPoint(easting: 3, northing: 3))
        #expect(WKT.rings("POLYGON((1.5 2.5,3 4,5 6,1.5 2.5))").first?.first == GridPoint(easting: 1.5, northing: 2.5))
        // Written and read again, an outline keeps its rings.
        let polygons = rings.map { AreaPolygon(exterior: $0) }
        #expect(WKT.rings(WKT.multipolygon(polygons)) == rings)
    }
}
