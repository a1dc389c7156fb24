import CSPTestSupport
import Foundation
@testable import CSPGeo

/// Fixture files written into a fresh temporary directory, removed when the value goes away.
final class GeoFixtures {
    /// The temporary directory holding this test's files.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csp-geo-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` as UTF-8 and returns the file's path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The path `name` would have in the directory.
    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// `realdata/ons-boundaries` next to the repository; throws `RealData.Missing` (failing the test) when absent.
    static func onsBoundaries() throws -> URL {
        URL(fileURLWithPath: try RealData.require("ons-boundaries"), isDirectory: true)
    }

    /// Metres between two WGS84 positions (equirectangular; fine for metres apart).
    static func metres(_ a: LonLat, _ b: LonLat) -> Double {
        let scale = 6_371_000 * Double.pi / 180
        let dy = (a.lat - b.lat) * scale
        let dx = (a.lon - b.lon) * scale * cos(a.lat * .pi / 180)
        return (dx * dx + dy * dy).squareRoot()
    }
}
