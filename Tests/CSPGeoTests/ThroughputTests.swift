import CSPTestSupport
import Foundation
import Testing
@testable import CSPGeo

/// Prints lookup and transformation rates against the real LSOA layer. Not a timed test: it
/// asserts only that the answers agree with a linear scan. Measure by hand in release:
/// `swift test -c release -Xswiftc -enable-testing --filter CSPGeoTests.ThroughputTests`.
@Suite("Throughput (report only)")
struct ThroughputTests {
    @Test func lsoaLookups() throws {
        let directory = try GeoFixtures.onsBoundaries()
        let path = directory.appendingPathComponent("lsoa11_E06000056_central_bedfordshire.geojson").path
        let loadStart = ContinuousClock.now
        let layer = try GeoJSONReader(codeProperty: "LSOA11CD").read(path: path)
        let loadTime = ContinuousClock.now - loadStart
        let box = try #require(layer.features.compactMap(\.bounds).reduce(nil as GridBounds?) { $0?.union($1) ?? $1 })
        var generator = SplitMix64(seed: 2009)
        let count = 400_000
        var points: [GridPoint] = []
        points.reserveCapacity(count)
        for _ in 0..<count {
            let u = Double(generator.next() >> 11) / Double(1 << 53), v = Double(generator.next() >> 11) / Double(1 << 53)
            points.append(GridPoint(easting: box.min.easting + u * (box.max.easting - box.min.easting),
                                    northing: box.min.northing + v * (box.max.northing - box.min.northing)))
        }
        let inside = points.filter { layer.locate($0) != nil }
        // The hard case: points within 20 m of a boundary vertex, where cells are crossed.
        var nearEdges: [GridPoint] = []
        for vertex in layer.features.flatMap({ $0.polygons.flatMap(\.exterior) }) {
            for _ in 0..<20 {
                let de = Double(generator.next() % 40_000) / 1000 - 20, dn = Double(generator.next() % 40_000) / 1000 - 20
                nearEdges.append(GridPoint(easting: vertex.easting + de, northing: vertex.northing + dn))
            }
        }
        let parseStart = ContinuousClock.now
        _ = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: path)))
        print("JSONParser alone: \(ContinuousClock.now - parseStart)")
        let lonLats = inside.prefix(100_000).map(OSGB36.toWGS84)

        func rate(_ label: String, _ items: Int, repeats: Int = 5, _ body: () -> Int) {
            var best = Duration.seconds(1_000)
            var checksum = 0
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                checksum &+= body()
                best = min(best, ContinuousClock.now - start)
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
            print("\(label): \(Int(Double(items) / seconds)) per second (\(items) in \(best), checksum \(checksum))")
        }
        print("LSOA11 layer: \(layer.count) features, \(layer.index.cellCount) cells, loaded in \(loadTime)")
        rate("locate, uniform in the bounding box", points.count) {
            var sum = 0
            for p in points { sum &+= layer.locate(p) ?? -1 }
            return sum
        }
        rate("locate, points inside an LSOA", inside.count) {
            var sum = 0
            for p in inside { sum &+= layer.locate(p) ?? -1 }
            return sum
        }
        rate("locate, points within 20 m of a boundary vertex", nearEdges.count) {
            var sum = 0
            for p in nearEdges { sum &+= layer.locate(p) ?? -1 }
            return sum
        }
        rate("locate(LonLat) incl. WGS84->grid", lonLats.count) {
            var sum = 0
            for p in lonLats { sum &+= layer.locate(p) ?? -1 }
            return sum
        }
        rate("linear scan over 157 features (for comparison)", 20_000, repeats: 1) {
            var sum = 0
            for p in inside.prefix(20_000) {
                sum &+= layer.features.indices.first { layer.index.contains(feature: $0, p) } ?? -1
            }
            return sum
        }
        for p in inside.prefix(20_000) + nearEdges.prefix(20_000) {
            #expect(layer.locate(p) == layer.features.indices.first { layer.index.contains(feature: $0, p) })
        }
    }
}
