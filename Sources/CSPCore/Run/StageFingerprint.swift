import Crypto
import Foundation

/// What a stage's result depends on, hashed, so that a nightly run on unchanged exports can skip it.
struct StageFingerprint {
    let pipeline: PipelineDefinition
    let layout: RunLayout
    let runID: String

    /// The fingerprint of `stage` as it would run now in `runID`, and the digests of the files it read
    /// (absolute path → SHA-256 and size), so that the stage's manifest need not hash them again.
    func compute(_ stage: StageID) throws -> (fingerprint: String, digests: [String: (hex: String, bytes: Int)]) {
        var digests: [String: (hex: String, bytes: Int)] = [:]
        func digest(_ path: String) throws -> String {
            let d = try FileDigest.sha256(path: path)
            digests[path] = d
            return d.hex
        }
        var parts = ["stage=\(stage.rawValue)", "tool=\(ToolVersion.current)", "config=\(pipeline.configHash)"]
        if let prev = stage.previous {
            let dir = layout.stage(prev, run: runID)
            let m = try JSON.read(Manifest.self, from: dir + "/manifest.json")
            for o in m.outputs.sorted(by: { $0.path < $1.path }) {
                parts.append("input \(o.path)=\(o.sha256)")
                digests[dir + "/" + o.path] = (o.sha256, o.bytes)
            }
        } else {
            // The raw files are hashed on both cores (stage 1's inputs are the largest files a run hashes).
            var files: [(source: String, path: String)] = []
            for source in pipeline.sources {
                for pattern in source.paths {
                    for file in FileSystem.glob(pattern) { files.append((source.id, file)) }
                }
            }
            let hashed = try FileDigest.sha256(paths: files.map(\.path))
            for (f, d) in zip(files, hashed) {
                digests[f.path] = d
                parts.append("source \(f.source) \(f.path)=\(d.hex)")
            }
        }
        for ref in pipeline.reference { parts.append("reference \(ref.name)=\(try digest(ref.path))") }
        if let key = pipeline.privacy.keyFile, let data = FileManager.default.contents(atPath: key) {
            parts.append("key=\(FileDigest.sha256(data: data).prefix(16))")
        }
        return (FileDigest.sha256(data: Data(parts.joined(separator: "\n").utf8)), digests)
    }
}
