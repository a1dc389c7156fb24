import CSPCore
import CSPGeo
import CSPStorage
import Foundation
import Logging

/// Built area layers kept between runs, so that a large layer is not parsed, transformed and indexed again while its
/// boundary files are unchanged: `<output>/<pipeline>/cache/layer-<id>.bin`, one file per layer, replaced when the
/// layer changes. The national pipeline's ward layer (318 GeoJSON files, 40 MB, 7,589 wards) took 0.6 s of stage 3's
/// 0.9 s of loading on this machine to parse, transform and index; read back from the cache (and checked) it takes
/// about 0.1 s.
///
/// **When the cache is used.** Only for a layer whose files total at least ``minimumBytes`` (the small boundary files
/// of one council load in milliseconds), and only when every file has the checksum the stage's fingerprint gave it
/// before the stage read anything (`StageContext.digestBeforeReading`).
///
/// **What makes an entry valid.** Its key is the SHA-256 of the archive format (`AreaLayer.archiveFormat`, raised
/// whenever the layout or the index's construction changes), the csp version, the layer's definition in the
/// pipeline and the path and checksum of each of its files, in order. The entry holds the key and the SHA-256 of its
/// payload; an entry with another key, a payload that does not hash to its checksum, or bytes that do not decode is
/// ignored (logged), and the layer is built from its files as if there were no cache. The stage's manifest lists the
/// boundary files as inputs, with their checksums, either way; the cache is never an input.
///
/// **Failures.** The cache only saves time: a cache that cannot be read or written is logged and the stage goes on.
struct LayerCache {
    /// The folder of the entries.
    let folder: String
    /// The checksum of a declared input as the fingerprint hashed it, or nil.
    let digest: (String) -> (hex: String, bytes: Int)?
    let logger: Logger
    /// Layers whose files total fewer bytes are not cached.
    var minimumBytes = 4 << 20

    /// The first 8 bytes of an entry.
    static let kind = "CSPLAYER"

    /// The cache of the run's pipeline: `<output>/<pipeline>/cache`.
    init(context: StageContext) {
        folder = context.layout.root + "/cache"
        digest = { context.digestBeforeReading($0) }
        logger = context.logger
    }

    init(folder: String, digest: @escaping (String) -> (hex: String, bytes: Int)?, logger: Logger, minimumBytes: Int) {
        self.folder = folder; self.digest = digest; self.logger = logger; self.minimumBytes = minimumBytes
    }

    /// The entry's path for layer `id`.
    func path(_ id: String) -> String { folder + "/layer-" + id + ".bin" }

    /// The key of `definition` over `paths` (its files, resolved), or nil when the layer is not to be cached.
    func key(_ definition: LayerDefinition, paths: [String]) -> String? {
        var total = 0
        var text = "csp layer cache; archive format \(AreaLayer.archiveFormat); csp \(ToolVersion.current)\n"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(definition) else { return nil }
        text += String(decoding: json, as: UTF8.self) + "\n"
        for p in paths {
            guard let d = digest(p) else { return nil }
            total += d.bytes
            text += "\(p)\t\(d.hex)\t\(d.bytes)\n"
        }
        guard total >= minimumBytes else { return nil }
        return FileDigest.sha256(data: Data(text.utf8))
    }

    /// The layer stored for `id` under `key`, or nil (absent, another key, damaged: the reason is logged). The file is
    /// read once, 1 MB at a time, decoded and hashed as it goes (`ChecksummedFile`); the layer is used only when the
    /// hash matches.
    func load(_ id: String, key: String) -> (layer: AreaLayer, columns: [[String]])? {
        let file = path(id)
        switch ChecksummedFile.read(file, kind: Self.kind, key: key, body: { size, fill in try AreaLayer.unarchived(size: size, read: fill) }) {
        case .absent:
            return nil
        case .otherKind:
            logger.warning("layer cache \(file) is not a layer cache file: ignored, the layer is built from its files")
        case .otherKey:
            logger.info("layer cache \(file) is for other boundary files or another csp: the layer `\(id)` is built from its files")
        case .damaged(let reason):
            logger.warning("layer cache \(file) is damaged (\(reason)): ignored, the layer is built from its files")
        case .value(let kept):
            return kept
        }
        return nil
    }

    /// Stores `layer` and its `columns` for `id` under `key`, replacing any earlier entry (best effort: logged on
    /// failure). Streamed 1 MB at a time into a temporary file renamed into place.
    func store(_ id: String, key: String, layer: AreaLayer, columns: [[String]]) {
        do {
            try FileSystem.makeDirectory(folder)
            try ChecksummedFile.write(path(id), kind: Self.kind, key: key) { sink in try layer.archive(columns: columns, to: sink) }
            logger.info("layer `\(id)` (\(layer.count) areas) kept in \(path(id)) for later runs with the same boundary files")
        } catch {
            logger.warning("layer cache \(path(id)) could not be written (\(error)); the next run builds the layer again")
        }
    }
}
