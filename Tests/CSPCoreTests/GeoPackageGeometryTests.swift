import CSPStorage
import Foundation
import Testing

/// GeoPackage geometry blobs against the bytes OGC GeoPackage 1.3 (clause 2.1.3) and ISO WKB spell out, written by
/// hand here: header `GP`, version 0, flags, srs_id, envelope, then little-endian WKB.
@Suite struct GeoPackageGeometryTests {
    /// Little-endian bytes of a double, from its IEEE 754 bit pattern written out.
    static func le(_ bits: UInt64) -> [UInt8] { (0..<8).map { UInt8((bits >> (8 * UInt64($0))) & 0xFF) } }

    @Test func pointBlobHasNoEnvelope() {
        let blob = [UInt8](GeoPackageGeometry.point(x: 1, y: 2).blob(srsID: 27700))
        // 27700 = 0x6C34; 1.0 = 0x3FF0000000000000; 2.0 = 0x4000000000000000.
        let expected: [UInt8] = [0x47, 0x50, 0x00, 0x01, 0x34, 0x6C, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00]
            + Self.le(0x3FF0_0000_0000_0000) + Self.le(0x4000_0000_0000_0000)
        #expect(blob == expected)
    }

    @Test func multiPolygonBlobHasItsEnvelope() {
        let ring = [(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 0.0, y: 0.0)]
        let blob = [UInt8](GeoPackageGeometry.multiPolygon([[ring]]).blob(srsID: 27700))
        #expect(Array(blob[0..<8]) == [0x47, 0x50, 0x00, 0x03, 0x34, 0x6C, 0x00, 0x00])  // flags: little endian, envelope [minx maxx miny maxy]
        // Envelope minx 0, maxx 2, miny 0, maxy 1.
        #expect(Array(blob[8..<40]) == Self.le(0) + Self.le(0x4000_0000_0000_0000) + Self.le(0) + Self.le(0x3FF0_0000_0000_0000))
        // WKB: multipolygon (6) of 1 polygon (3) of 1 ring of 4 points.
        #expect(Array(blob[40..<58]) == [0x01, 0x06, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0x03, 0, 0, 0, 0x01, 0, 0, 0])
        #expect(Array(blob[58..<62]) == [0x04, 0, 0, 0])
        #expect(blob.count == 62 + 4 * 16)
    }

    @Test func wktOfStageThreeParses() throws {
        let g = try GeoPackageGeometry.parseWKT("MULTIPOLYGON(((0 0,10 0,10 10,0 0),(1 1,2 1,2 2,1 1)),((20 20,30 20,30 30,20 20)))").get()
        guard case let .multiPolygon(polygons) = g else { Issue.record("not a multipolygon"); return }
        #expect(polygons.count == 2)
        #expect(polygons[0].count == 2)        // exterior and one hole
        #expect(polygons[1][0].count == 4)
        #expect(polygons[0][1][2].x == 2 && polygons[0][1][2].y == 2)
        #expect(g.envelope?.maxX == 30 && g.envelope?.minY == 0)
        #expect(throws: (any Error).self) { try GeoPackageGeometry.parseWKT("POINT(1 2)").get() }
        #expect(throws: (any Error).self) { try GeoPackageGeometry.parseWKT("MULTIPOLYGON(((0 0,1 x,0 0)))").get() }
    }
}
