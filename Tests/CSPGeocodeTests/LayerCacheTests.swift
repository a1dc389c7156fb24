import CSPTestSupport
import CSPCore
import CSPGeo
import CSPStorage
import Foundation
import Logging
import Testing
@testable import CSPGeocode

/// `LayerCache`: a layer is taken from the cache only under its own key and only when its bytes hash to the checksum
/// stored with them; anything else is ignored and the layer built from its files (which the caller then stores).
@Suite struct LayerCacheTests {
    /// The messages the cache logged.
    final class Messages: @unchecked Sendable {
        var lines: [String] = []
        let lock = NSLock()
        func add(_ s: String) { lock.withLock { lines.append(s) } }
    }

    struct Capture: LogHandler {
        let messages: Messages
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            messages.add("\(level) \(message)")
        }
    }

    /// A cache in a new folder with every file's checksum from `FileDigest`, caching layers of any size.
    static func cache(_ dir: String, _ messages: Messages) -> LayerCache {
        LayerCache(folder: dir + "/cache", digest: { try? FileDigest.sha256(path: $0) },
                   logger: Logger(label: "test") { _ in Capture(messages: messages) }, minimumBytes: 0)
    }

    /// The two council files of `NationalGeographyTests` in a new folder, their pipeline, its inputs and a cache there.
    struct Setting {
        let dir: String, pipeline: PipelineDefinition, inputs: StageInputs, messages: Messages, cache: LayerCache
        init(_ name: String) throws {
            dir = StageTestSupport.temporaryFolder(name)
            pipeline = try NationalGeographyTests.patternPipeline(dir, keys: "la_code_property: LAD25CD, la_name_property: LAD25NM")
            inputs = StageInputs(stage: .geocode, declared: try Geography.declaredInputs(for: pipeline))
            messages = Messages()
            cache = LayerCacheTests.cache(dir, messages)
        }
        func geography() throws -> Geography { try Geography(pipeline: pipeline, inputs: inputs, cache: cache) }
        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    @Test func aLayerIsKeptAndTakenBackOnlyWhileItsFilesAreUnchanged() throws {
        let t = try Setting("layer-cache")
        defer { t.remove() }
        let (dir, messages, cache) = (t.dir, t.messages, t.cache)

        let built = try t.geography()
        #expect(FileManager.default.fileExists(atPath: cache.path("ward")))
        #expect(messages.lines.contains { $0.contains("kept in") })
        let kept = try t.geography()
        #expect(messages.lines.contains { $0.contains("areas from") && $0.contains("unchanged") })
        #expect(kept.layers[0].areas.features == built.layers[0].areas.features)
        #expect(kept.layers[0].laCodes == ["A25", "B"] && kept.layers[0].laNames == ["Council A25", "Council B"])
        #expect(kept.layers[0].areas.locate(LonLat(lon: -0.45, lat: 52.05)) == 0)
        #expect(kept.layers[0].areas.locate(LonLat(lon: -0.25, lat: 52.05)) == 1)

        // A changed boundary file: another key, so the layer is built again from the files, with the new ward.
        let changed = try String(contentsOfFile: dir + "/B.geojson", encoding: .utf8).replacingOccurrences(of: "Ward W2", with: "Ward W2 renamed")
        try changed.write(toFile: dir + "/B.geojson", atomically: true, encoding: .utf8)
        let rebuilt = try t.geography()
        #expect(rebuilt.layers[0].areas.features[1].name == "Ward W2 renamed")
        #expect(messages.lines.contains { $0.contains("for other boundary files") })
    }

    @Test func aDamagedEntryIsIgnoredAndRebuilt() throws {
        let t = try Setting("layer-cache-damaged")
        defer { t.remove() }
        let (messages, cache) = (t.messages, t.cache)
        let built = try t.geography()

        // One byte of the payload changed: the checksum does not match.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache.path("ward")))
        bytes[bytes.count - 20] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: cache.path("ward")))
        let again = try t.geography()
        #expect(again.layers[0].areas.features == built.layers[0].areas.features)
        #expect(messages.lines.contains { $0.hasPrefix("warning") && $0.contains("damaged") })

        // Cut short, then not a cache file at all.
        let whole = try Data(contentsOf: URL(fileURLWithPath: cache.path("ward")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cache.path("ward")))
        _ = try t.geography()
        #expect(messages.lines.contains { $0.hasPrefix("warning") && $0.contains("damaged (truncated") })
        try Data(String(repeating: "x", count: 500).utf8).write(to: URL(fileURLWithPath: cache.path("ward")))
        let last = try t.geography()
        #expect(messages.lines.contains { $0.hasPrefix("warning") && $0.contains("not a layer cache file") })
        #expect(last.layers[0].areas.features == built.layers[0].areas.features)
    }

    @Test func smallLayersAndUnhashedFilesAreNotCached() throws {
        let t = try Setting("layer-cache-small")
        defer { t.remove() }
        let dir = t.dir
        let layer = try #require(t.pipeline.geography?.layers.first)
        var cache = t.cache
        #expect(cache.key(layer, paths: layer.files.map(\.path)) != nil)
        cache.minimumBytes = 1 << 30
        #expect(cache.key(layer, paths: layer.files.map(\.path)) == nil)
        let unhashed = LayerCache(folder: dir + "/cache", digest: { _ in nil }, logger: StageTestSupport.logger, minimumBytes: 0)
        #expect(unhashed.key(layer, paths: layer.files.map(\.path)) == nil)
    }
}
