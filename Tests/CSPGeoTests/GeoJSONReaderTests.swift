import Foundation
import Testing
@testable import CSPGeo

@Suite("GeoJSONReader")
struct GeoJSONReaderTests {
    /// A FeatureCollection with one square feature around Dunstable in lon/lat.
    static func collection(properties: String = "\"CD\": \"E05000001\", \"NM\": \"Square\"",
                           geometry: String? = nil, crs: String? = nil) -> String {
        let ring = "[[-0.53,51.88],[-0.51,51.88],[-0.51,51.89],[-0.53,51.89],[-0.53,51.88]]"
        let crsMember = crs.map { "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"\($0)\"}}," } ?? ""
        return """
            {"type": "FeatureCollection", \(crsMember) "features": [
              {"type": "Feature", "properties": {\(properties)},
               "geometry": \(geometry ?? "{\"type\": \"Polygon\", \"coordinates\": [\(ring)]}")}
            ]}
            """
    }

    private func read(_ text: String, code: String = "CD", name: String? = "NM",
                      system: CoordinateSystem? = nil) throws(BoundaryError) -> AreaLayer {
        try GeoJSONReader(codeProperty: code, nameProperty: name, coordinateSystem: system)
            .read(data: Data(text.utf8), source: "test.geojson")
    }

    @Test func readsAPolygon() throws {
        let layer = try read(GeoJSONReaderTests.collection())
        #expect(layer.features.map(\.code) == ["E05000001"])
        #expect(layer.features.map(\.name) == ["Square"])
        #expect(layer.locate(LonLat(lon: -0.52, lat: 51.885)) == 0)
        #expect(layer.locate(LonLat(lon: -0.50, lat: 51.885)) == nil)
    }

    @Test func missingCodePropertyNamesFileFeatureAndProperty() {
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: nil, line: 2,
                                                     problem: .missingProperty("WD22CD"))) {
            try read(GeoJSONReaderTests.collection(), code: "WD22CD")
        }
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: nil, line: 2,
                                                     problem: .missingProperty("CD"))) {
            try read(GeoJSONReaderTests.collection(properties: "\"CD\": null, \"NM\": \"x\""))
        }
    }

    @Test func missingNameNamesTheCode() {
        do {
            _ = try read(GeoJSONReaderTests.collection(), name: "WD22NM")
            Issue.record("accepted")
        } catch {
            #expect(error == .invalidFeature(path: "test.geojson", feature: 1, code: "E05000001", line: 2,
                                             problem: .missingProperty("WD22NM")))
            #expect(error.description.contains("test.geojson"))
            #expect(error.description.contains("feature 1 (E05000001)"))
            #expect(error.description.contains("WD22NM"))
        }
    }

    @Test func badGeometryTypeIsAnError() {
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: "E05000001", line: 2,
                                                     problem: .unsupportedGeometry("LineString"))) {
            try read(GeoJSONReaderTests.collection(
                geometry: "{\"type\": \"LineString\", \"coordinates\": [[-0.53,51.88],[-0.51,51.88]]}"))
        }
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: "E05000001", line: 2,
                                                     problem: .missingGeometry)) {
            try read(GeoJSONReaderTests.collection(geometry: "null"))
        }
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: "E05000001", line: 2,
                                                     problem: .ringTooShort(points: 2))) {
            try read(GeoJSONReaderTests.collection(
                geometry: "{\"type\": \"Polygon\", \"coordinates\": [[[-0.53,51.88],[-0.51,51.88]]]}"))
        }
        #expect(throws: BoundaryError.invalidFeature(path: "test.geojson", feature: 1, code: "E05000001", line: 2,
                                                     problem: .malformedCoordinates("a position is not an array of two or three numbers"))) {
            try read(GeoJSONReaderTests.collection(
                geometry: "{\"type\": \"Polygon\", \"coordinates\": [[[-0.53,\"x\"],[-0.51,51.88],[-0.5,51.9]]]}"))
        }
    }

    @Test func swappedAxesAreOutOfRange() {
        do {
            _ = try read(GeoJSONReaderTests.collection(
                geometry: "{\"type\": \"Polygon\", \"coordinates\": [[[51.88,-0.53],[51.88,-0.51],[51.89,-0.51],[51.88,-0.53]]]}"))
            Issue.record("accepted")
        } catch {
            #expect(error.rule == "geo.coordinate-out-of-range")
        }
    }

    @Test func openRingIsClosed() throws {
        let layer = try read(GeoJSONReaderTests.collection(
            geometry: "{\"type\": \"Polygon\", \"coordinates\": [[[-0.53,51.88],[-0.51,51.88],[-0.51,51.89],[-0.53,51.89]]]}"))
        #expect(layer.features[0].polygons[0].exterior.count == 5)
        #expect(layer.locate(LonLat(lon: -0.52, lat: 51.885)) == 0)
    }

    @Test func multiPolygonWithHole() throws {
        let outer = "[[-0.53,51.88],[-0.51,51.88],[-0.51,51.89],[-0.53,51.89],[-0.53,51.88]]"
        let hole = "[[-0.525,51.883],[-0.515,51.883],[-0.515,51.887],[-0.525,51.887],[-0.525,51.883]]"
        let other = "[[-0.50,51.88],[-0.49,51.88],[-0.49,51.89],[-0.50,51.88]]"
        let layer = try read(GeoJSONReaderTests.collection(
            geometry: "{\"type\": \"MultiPolygon\", \"coordinates\": [[\(outer), \(hole)], [\(other)]]}"))
        #expect(layer.features[0].polygons.count == 2)
        #expect(layer.locate(LonLat(lon: -0.528, lat: 51.885)) == 0)
        #expect(layer.locate(LonLat(lon: -0.52, lat: 51.885)) == nil)
        #expect(layer.locate(LonLat(lon: -0.492, lat: 51.882)) == 0)
    }

    @Test func crsMemberSelectsTheGrid() throws {
        let square = "{\"type\": \"Polygon\", \"coordinates\": [[[502000,221000],[503000,221000],[503000,222000],[502000,222000],[502000,221000]]]}"
        let layer = try read(GeoJSONReaderTests.collection(geometry: square, crs: "urn:ogc:def:crs:EPSG::27700"))
        #expect(layer.locate(GridPoint(easting: 502500, northing: 221500)) == 0)
        #expect(layer.features[0].polygons[0].exterior[0] == GridPoint(easting: 502000, northing: 221000))
        // Told explicitly, no crs member needed.
        let told = try read(GeoJSONReaderTests.collection(geometry: square), system: .osgb36)
        #expect(told.locate(GridPoint(easting: 502500, northing: 221500)) == 0)
        // Without either, metres are not longitudes.
        #expect(throws: BoundaryError.self) { try read(GeoJSONReaderTests.collection(geometry: square)) }
        #expect(throws: BoundaryError.unsupportedCRS(path: "test.geojson", name: "urn:ogc:def:crs:EPSG::3857")) {
            try read(GeoJSONReaderTests.collection(crs: "urn:ogc:def:crs:EPSG::3857"))
        }
        #expect(try read(GeoJSONReaderTests.collection(crs: "urn:ogc:def:crs:OGC:1.3:CRS84")).count == 1)
    }

    @Test func notAFeatureCollection() {
        #expect(throws: BoundaryError.notFeatureCollection(path: "test.geojson",
                                                            reason: "it is not valid JSON (line 1, column 10: expected a value, found the end of the file)")) {
            try read("{\"type\": ")
        }
        #expect(throws: BoundaryError.notFeatureCollection(path: "test.geojson", reason: "its \"type\" is not \"FeatureCollection\"")) {
            try read("{\"type\": \"Feature\"}")
        }
        #expect(throws: BoundaryError.self) {
            try GeoJSONReader(codeProperty: "CD").read(path: "/nonexistent/wards.geojson")
        }
    }

    @Test func numericCodesAreText() throws {
        let layer = try read(GeoJSONReaderTests.collection(properties: "\"CD\": 42, \"NM\": \"Answer\""))
        #expect(layer.features[0].code == "42")
    }
}
