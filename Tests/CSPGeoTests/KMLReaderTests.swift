import Testing
@testable import CSPGeo
import CSPXML

@Suite("KMLReader")
struct KMLReaderTests {
    /// Two placemarks around Dunstable: a MultiGeometry of two squares, the first with a square
    /// hole; and a plain polygon. Written in WGS84 from grid corners, as a real KML would be.
    static func twoPlacemarks(prefix: String = "") -> String {
        func ring(_ e0: Double, _ n0: Double, _ side: Double) -> String {
            [(e0, n0), (e0 + side, n0), (e0 + side, n0 + side), (e0, n0 + side), (e0, n0)].map {
                let p = OSGB36.toWGS84(GridPoint(easting: $0.0, northing: $0.1))
                return "\(p.lon),\(p.lat),0"
            }.joined(separator: "\n            ")
        }
        let p = prefix.isEmpty ? "" : prefix + ":"
        let ns = prefix.isEmpty ? "xmlns=\"http://www.opengis.net/kml/2.2\"" : "xmlns:\(prefix)=\"http://www.opengis.net/kml/2.2\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <\(p)kml \(ns)>
            <\(p)Document>
              <\(p)Placemark>
                <\(p)name>Dunstable Town Centre</\(p)name>
                <\(p)ExtendedData>
                  <\(p)Data name="code"><\(p)value>NP01</\(p)value></\(p)Data>
                  <\(p)Data name="kind"><\(p)value>town centre</\(p)value></\(p)Data>
                </\(p)ExtendedData>
                <\(p)MultiGeometry>
                  <\(p)Polygon>
                    <\(p)outerBoundaryIs><\(p)LinearRing><\(p)coordinates>
                        \(ring(502000, 221000, 1000))
                    </\(p)coordinates></\(p)LinearRing></\(p)outerBoundaryIs>
                    <\(p)innerBoundaryIs><\(p)LinearRing><\(p)coordinates>
                        \(ring(502400, 221400, 200))
                    </\(p)coordinates></\(p)LinearRing></\(p)innerBoundaryIs>
                  </\(p)Polygon>
                  <\(p)Polygon>
                    <\(p)outerBoundaryIs><\(p)LinearRing><\(p)coordinates>\(ring(504000, 221000, 500))</\(p)coordinates></\(p)LinearRing></\(p)outerBoundaryIs>
                  </\(p)Polygon>
                </\(p)MultiGeometry>
              </\(p)Placemark>
              <\(p)Placemark>
                <\(p)name>Houghton Hall</\(p)name>
                <\(p)ExtendedData><\(p)SchemaData schemaUrl="#s"><\(p)SimpleData name="code">NP02</\(p)SimpleData></\(p)SchemaData></\(p)ExtendedData>
                <\(p)Polygon><\(p)outerBoundaryIs><\(p)LinearRing><\(p)coordinates>\(ring(501000, 224000, 800))</\(p)coordinates></\(p)LinearRing></\(p)outerBoundaryIs></\(p)Polygon>
              </\(p)Placemark>
            </\(p)Document>
            </\(p)kml>
            """
    }

    @Test(arguments: ["", "kml"])
    func readsPlacemarksWithHolesAndMultiGeometry(prefix: String) throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("places.kml", KMLReaderTests.twoPlacemarks(prefix: prefix))
        let layer = try KMLReader(codeField: .data("code")).read(path: path)
        #expect(layer.features.map(\.code) == ["NP01", "NP02"])
        #expect(layer.features.map(\.name) == ["Dunstable Town Centre", "Houghton Hall"])
        #expect(layer.features[0].polygons.count == 2)
        #expect(layer.features[0].polygons[0].holes.count == 1)
        #expect(layer.locate(GridPoint(easting: 502100, northing: 221100)) == 0)  // inside
        #expect(layer.locate(GridPoint(easting: 502500, northing: 221500)) == nil)  // in the hole
        #expect(layer.locate(GridPoint(easting: 502350, northing: 221500)) == 0)  // beside the hole
        #expect(layer.locate(GridPoint(easting: 504250, northing: 221250)) == 0)  // second part
        #expect(layer.locate(GridPoint(easting: 503500, northing: 221500)) == nil)  // between parts
        #expect(layer.locate(GridPoint(easting: 501400, northing: 224400)) == 1)
        #expect(layer.locate(GridPoint(easting: 600000, northing: 300000)) == nil)  // far away
        #expect(layer.locate(OSGB36.toWGS84(GridPoint(easting: 501400, northing: 224400))) == 1)
    }

    @Test func codeAndNameDefaultToThePlacemarkName() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("places.kml", KMLReaderTests.twoPlacemarks())
        let layer = try KMLReader().read(path: path)
        #expect(layer.features.map(\.code) == ["Dunstable Town Centre", "Houghton Hall"])
        #expect(layer.features.map(\.name) == layer.features.map(\.code))
    }

    @Test func missingCodeFieldNamesTheFeature() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("places.kml", KMLReaderTests.twoPlacemarks())
        #expect(throws: BoundaryError.invalidFeature(path: path, feature: 1, code: nil, line: 4,
                                                     problem: .missingProperty("ExtendedData ward"))) {
            try KMLReader(codeField: .data("ward")).read(path: path)
        }
    }

    @Test func hostileKMLIsRefused() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("evil.kml", """
            <?xml version="1.0"?>
            <!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <kml><Document><Placemark><name>&b;</name></Placemark></Document></kml>
            """)
        do {
            _ = try KMLReader().read(path: path)
            Issue.record("the hostile file was accepted")
        } catch {
            #expect(error == .xml(.doctypeForbidden(path: path, line: 2)))
            #expect(error.description.contains(path))
            #expect(error.line == 2)
        }
    }

    @Test func malformedKMLNamesFileAndLine() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("broken.kml", """
            <?xml version="1.0"?>
            <kml><Document>
            <Placemark><name>A</name>
            <Polygon><outerBoundaryIs><LinearRing><coordinates>0,51 1,51 1,52 0,51</coordinates></LinearRing></outerBoundaryIs>
            </Placemark>
            </Document></kml>
            """)
        do {
            _ = try KMLReader().read(path: path)
            Issue.record("the malformed file was accepted")
        } catch {
            #expect(error.rule == "xml.malformed")
            #expect(error.line == 5)
            #expect(error.path == path)
            #expect(error.description.contains("line 5"))
        }
    }

    @Test func badCoordinatesNameFeatureCodeAndLine() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("bad.kml", """
            <kml><Document>
            <Placemark><name>Good</name><Polygon><outerBoundaryIs><LinearRing><coordinates>-0.52,51.88 -0.51,51.88 -0.51,51.89 -0.52,51.88</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
            <Placemark><name>Swapped</name><Polygon><outerBoundaryIs><LinearRing><coordinates>51.88,-0.52 51.88,-0.51 51.89,-0.51 51.88,-0.52</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
            <Placemark><name>Short</name><Polygon><outerBoundaryIs><LinearRing><coordinates>-0.52,51.88 -0.51,51.88</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
            </Document></kml>
            """)
        do {
            _ = try KMLReader().read(path: path)
            Issue.record("accepted")
        } catch {
            guard case .invalidFeature(_, 2, "Swapped", 3, .coordinateOutOfRange) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("feature 2 (Swapped) at line 3"))
        }
        let short = try fixtures.write("short.kml", """
            <kml><Placemark><name>Short</name><Polygon><outerBoundaryIs><LinearRing><coordinates>-0.52,51.88 -0.51,51.88</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>
            """)
        #expect(throws: BoundaryError.invalidFeature(path: short, feature: 1, code: "Short", line: 1,
                                                     problem: .ringTooShort(points: 2))) {
            try KMLReader().read(path: short)
        }
    }

    @Test func placemarkWithoutPolygonIsAnError() throws {
        let fixtures = try GeoFixtures()
        let path = try fixtures.write("point.kml", """
            <kml><Placemark><name>Label</name><Point><coordinates>-0.52,51.88</coordinates></Point></Placemark></kml>
            """)
        do {
            _ = try KMLReader().read(path: path)
            Issue.record("accepted")
        } catch {
            #expect(error.rule == "geo.unsupported-geometry")
        }
    }
}
