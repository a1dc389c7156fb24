import CSPTestSupport
import Foundation
import Testing
@testable import CSPGeo

/// The real ONS boundary files in `../shared/realdata/ons-boundaries` (CRS84 GeoJSON).
@Suite("Real ONS boundaries")
struct RealBoundaryTests {
    /// The file's path; the test fails (`RealData.Missing`) when the real data is not next to the repository.
    private func file(_ name: String) throws -> String {
        try GeoFixtures.onsBoundaries().appendingPathComponent(name).path
    }

    @Test func centralBedfordshireWardsLoad() throws {
        let path = try file("ward_WD22_E06000056_central_bedfordshire.geojson")
        let layer = try GeoJSONReader(codeProperty: "WD22CD", nameProperty: "WD22NM").read(path: path)
        #expect(layer.count == 31)
        #expect(layer.features.allSatisfy { $0.code.hasPrefix("E05") && !$0.name.isEmpty })
        #expect(layer.features.first?.name == "Arlesey")
    }

    @Test func everyLSOAInternalPointFallsInItsOwnLSOA() throws {
        let path = try file("lsoa11_E06000056_central_bedfordshire.geojson")
        let layer = try GeoJSONReader(codeProperty: "LSOA11CD", nameProperty: "LSOA11NM").read(path: path)
        #expect(layer.count == 157)
        // The internal points come from the file's own LAT/LONG properties.
        let json = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: path)))
        let features = try #require(json["features"]?.arrayValue)
        var hits = 0, gridHits = 0
        var misses: [String] = []
        for (i, feature) in features.enumerated() {
            let properties = try #require(feature["properties"])
            let lon = try #require(properties["LONG"]?.numberValue)
            let lat = try #require(properties["LAT"]?.numberValue)
            if layer.locate(LonLat(lon: lon, lat: lat)) == i { hits += 1 } else { misses.append(layer.features[i].code) }
            // BNG_E/BNG_N are the same point on the grid, as a police export would give it.
            let e = try #require(properties["BNG_E"]?.numberValue)
            let n = try #require(properties["BNG_N"]?.numberValue)
            if layer.locate(GridPoint(easting: e, northing: n)) == i { gridHits += 1 }
        }
        print("LSOA11 internal points in their own LSOA: \(hits)/157 by LONG/LAT, \(gridHits)/157 by BNG_E/BNG_N; misses \(misses)")
        #expect(Double(hits) >= 0.99 * 157, "misses: \(misses)")
        #expect(Double(gridHits) >= 0.99 * 157)
    }

    @Test func dunstableIsInADunstableWard() throws {
        let path = try file("ward_WD22_E06000056_central_bedfordshire.geojson")
        let layer = try GeoJSONReader(codeProperty: "WD22CD", nameProperty: "WD22NM").read(path: path)
        let ward = try #require(layer.locate(LonLat(lon: -0.5206, lat: 51.8858)))
        #expect(layer.features[ward].name.contains("Dunstable"), "got \(layer.features[ward].name)")
    }

    @Test func lutonIsOutOfAreaButInALutonWard() throws {
        let central = try file("ward_WD22_E06000056_central_bedfordshire.geojson")
        let luton = try file("ward_WD25_E06000032_luton.geojson")
        let point = LonLat(lon: -0.4174, lat: 51.8787)
        let centralLayer = try GeoJSONReader(codeProperty: "WD22CD", nameProperty: "WD22NM").read(path: central)
        #expect(centralLayer.locate(point) == nil)
        let lutonLayer = try GeoJSONReader(codeProperty: "WD25CD", nameProperty: "WD25NM").read(path: luton)
        #expect(lutonLayer.count == 20)
        #expect(lutonLayer.locate(point) != nil)
    }

    @Test func wardsOfTheThreeAuthoritiesDoNotOverlap() throws {
        let c = try file("ward_WD25_E06000056_central_bedfordshire.geojson")
        let b = try file("ward_WD25_E06000055_bedford.geojson")
        let l = try file("ward_WD25_E06000032_luton.geojson")
        let reader = GeoJSONReader(codeProperty: "WD25CD", nameProperty: "WD25NM")
        let layers = try [c, b, l].map { try reader.read(path: $0) }
        #expect(layers.map(\.count) == [31, 28, 20])
        // The centre of every ward's bounding box is in at most one of the three layers.
        var multiple = 0
        var wards = 0
        for layer in layers {
            for feature in layer.features {
                guard let box = feature.bounds else { continue }
                let centre = GridPoint(easting: (box.min.easting + box.max.easting) / 2,
                                       northing: (box.min.northing + box.max.northing) / 2)
                if layers.filter({ $0.locate(centre) != nil }).count > 1 { multiple += 1 }
                wards += 1
            }
        }
        #expect(multiple == 0)
        #expect(wards == 79)
    }

    @Test func loadingIsQuick() throws {
        let path = try file("lsoa11_E06000056_central_bedfordshire.geojson")
        let start = ContinuousClock.now
        _ = try GeoJSONReader(codeProperty: "LSOA11CD").read(path: path)
        let elapsed = ContinuousClock.now - start
        print("Loaded 157 LSOA11 polygons (JSONParser, transform, index) in \(elapsed)")
        #expect(elapsed < .seconds(10))
    }
}
