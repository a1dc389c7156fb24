import Testing
@testable import CSPGeo

@Suite("PolygonBuilder")
struct PolygonBuilderTests {
    /// Synthetic areas: a 3 x 2 block of 1 km "wards" around Dunstable (shared edges), plus a
    /// named place with a hole and a two-part area.
    static let areas: [AreaFeature] = {
        var result: [AreaFeature] = []
        for row in 0..<2 {
            for column in 0..<3 {
                let e = 500_000 + Double(column) * 1_000, n = 220_000 + Double(row) * 1_000
                result.append(PolygonBuilder.rectangle(code: "W\(row)\(column)", name: "Ward \"\(row)\(column)\" & Co",
                                                       min: GridPoint(easting: e, northing: n),
                                                       max: GridPoint(easting: e + 1_000, northing: n + 1_000)))
            }
        }
        let place = PolygonBuilder.feature(
            code: "NP1", name: "Planets <Estate>",
            ring: [GridPoint(easting: 504_000, northing: 220_000), GridPoint(easting: 505_000, northing: 220_000),
                   GridPoint(easting: 504_500, northing: 221_000)],
            holes: [[GridPoint(easting: 504_400, northing: 220_200), GridPoint(easting: 504_600, northing: 220_200),
                     GridPoint(easting: 504_500, northing: 220_400)]])
        result.append(place)
        result.append(AreaFeature(code: "TWO", name: "Two parts", polygons: [
            AreaPolygon(exterior: [GridPoint(easting: 506_000, northing: 220_000), GridPoint(easting: 506_500, northing: 220_000),
                                   GridPoint(easting: 506_500, northing: 220_500)]),
            AreaPolygon(exterior: [GridPoint(easting: 507_000, northing: 220_000), GridPoint(easting: 507_500, northing: 220_000),
                                   GridPoint(easting: 507_500, northing: 220_500)]),
        ]))
        return result
    }()

    /// Points on a 25 m lattice, offset so none sits within 1 cm of a boundary, plus the vertices
    /// and edge midpoints of the wards for the exact GeoJSON round trip.
    static let probes: [GridPoint] = {
        var points: [GridPoint] = []
        for i in 0..<330 {
            for j in 0..<90 {
                points.append(GridPoint(easting: 499_800 + Double(i) * 25 + 0.37, northing: 219_800 + Double(j) * 25 + 0.41))
            }
        }
        return points
    }()

    @Test func geoJSONRoundTripIsExact() throws {
        let fixtures = try GeoFixtures()
        let path = fixtures.path("synthetic.geojson")
        try PolygonBuilder.writeGeoJSON(PolygonBuilderTests.areas, to: path, codeProperty: "WD09CD", nameProperty: "WD09NM")
        let layer = try GeoJSONReader(codeProperty: "WD09CD", nameProperty: "WD09NM").read(path: path)
        #expect(layer.features == PolygonBuilderTests.areas)
        let original = AreaLayer(source: "memory", features: PolygonBuilderTests.areas)
        var boundary: [GridPoint] = []
        for e in stride(from: 500_000.0, through: 503_000, by: 500) {
            for n in stride(from: 220_000.0, through: 222_000, by: 500) { boundary.append(GridPoint(easting: e, northing: n)) }
        }
        for p in PolygonBuilderTests.probes + boundary {
            #expect(layer.locate(p) == original.locate(p), "\(p)")
        }
    }

    @Test func kmlRoundTripGivesTheSameLookups() throws {
        let fixtures = try GeoFixtures()
        let path = fixtures.path("synthetic.kml")
        try PolygonBuilder.writeKML(PolygonBuilderTests.areas, to: path, codeField: "code")
        let layer = try KMLReader(codeField: .data("code")).read(path: path)
        #expect(layer.features.map(\.code) == PolygonBuilderTests.areas.map(\.code))
        #expect(layer.features.map(\.name) == PolygonBuilderTests.areas.map(\.name))
        #expect(layer.features.map(\.polygons.count) == PolygonBuilderTests.areas.map(\.polygons.count))
        let original = AreaLayer(source: "memory", features: PolygonBuilderTests.areas)
        var worst = 0.0
        for (a, b) in zip(layer.features, PolygonBuilderTests.areas) {
            for (ra, rb) in zip(a.polygons.flatMap(\.rings), b.polygons.flatMap(\.rings)) {
                for (pa, pb) in zip(ra, rb) { worst = max(worst, pa.distance(to: pb)) }
            }
        }
        #expect(worst < 0.01, "vertices moved by up to \(worst) m")
        var located = 0
        for p in PolygonBuilderTests.probes {
            let expected = original.locate(p)
            #expect(layer.locate(p) == expected, "\(p)")
            if expected != nil { located += 1 }
        }
        #expect(located > 10_000)
    }

    @Test func escapesTextInBothFormats() {
        let json = PolygonBuilder.geoJSON([PolygonBuilderTests.areas[0]])
        #expect(json.contains(#""Ward \"00\" & Co""#))
        #expect(json.contains("urn:ogc:def:crs:EPSG::27700"))
        let kml = PolygonBuilder.kml([PolygonBuilderTests.areas[6]])
        #expect(kml.contains("Planets &lt;Estate&gt;"))
        #expect(kml.contains("<innerBoundaryIs>"))
    }
}
